import Foundation

/// When and how long to wait before trying an idempotent request again.
///
/// Retried: 408, 429, 500, 502, 503, 504, timeouts and failed connections, at most `maxRetries` times. The wait
/// is the server's `Retry-After` when it sent one (seconds or an HTTP date; refused beyond `maxRetryAfter`), else
/// exponential backoff (`baseDelay` × 2^attempt, capped at `maxDelay`) with jitter: a random fraction `jitter` of
/// the wait is taken off, so that clients that failed together do not retry together. Only for requests that are
/// safe to repeat (GETs, and submits made idempotent by a client id).
public struct RetryPolicy: Sendable, Equatable {
    /// Tries after the first (0: never retry).
    public var maxRetries: Int
    /// The first backoff wait.
    public var baseDelay: Duration
    /// The longest backoff wait.
    public var maxDelay: Duration
    /// The fraction of each backoff wait that is random, 0…1.
    public var jitter: Double
    /// The longest `Retry-After` honoured; a server asking for more fails the request with its wait in the error.
    public var maxRetryAfter: Duration

    public init(maxRetries: Int = 3, baseDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(30),
                jitter: Double = 0.5, maxRetryAfter: Duration = .seconds(120)) {
        self.maxRetries = max(0, maxRetries)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.jitter = min(1, max(0, jitter))
        self.maxRetryAfter = maxRetryAfter
    }

    /// Three retries from half a second, up to 30 s, half jittered; Retry-After up to 2 minutes.
    public static let standard = RetryPolicy()
    /// Never retry.
    public static let never = RetryPolicy(maxRetries: 0)

    /// True for the HTTP statuses worth retrying: 408, 429, 500, 502, 503 and 504.
    public static func isRetryable(status: Int) -> Bool {
        status == 408 || status == 429 || status == 500 || status == 502 || status == 503 || status == 504
    }

    /// The wait before retry number `attempt` (0 for the first retry). `retryAfter` is the server's wait when it
    /// gave one; `unit` is a random number in [0, 1) (jitter). Nil when the server's wait exceeds `maxRetryAfter`.
    public func delay(beforeRetry attempt: Int, retryAfter: Duration?, unit: Double) -> Duration? {
        if let retryAfter {
            return retryAfter > maxRetryAfter ? nil : max(.zero, retryAfter)
        }
        let factor = Double(1 << min(max(attempt, 0), 30))
        let backoff = min(maxDelay, baseDelay * factor)
        return backoff * (1 - jitter * min(max(unit, 0), 1))
    }

    /// The wait a `Retry-After` header asks for: delta-seconds (`120`) or an HTTP date
    /// (`Wed, 21 Oct 2015 07:28:00 GMT`, measured from `now`). Nil when the value is neither.
    public static func retryAfter(_ value: String, now: Date = Date()) -> Duration? {
        let v = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(v), seconds.isFinite, seconds >= 0 { return .milliseconds(Int64(seconds * 1000)) }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            f.dateFormat = format
            if let date = f.date(from: v) {
                let seconds = max(0, date.timeIntervalSince(now))
                return .milliseconds(Int64(seconds * 1000))
            }
        }
        return nil
    }
}
