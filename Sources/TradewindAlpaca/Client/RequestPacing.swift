import Foundation

/// Alpaca's request limit on the client side: a token bucket (200 requests a minute per key by default), waited on
/// before each request.
public actor TokenBucket {
    public let capacity: Double
    public let perSecond: Double
    private var tokens: Double
    private var last = ContinuousClock.now

    /// `perMinute` requests a minute, at most `burst` at once.
    public init(perMinute: Double = 200, burst: Double? = nil) {
        capacity = max(burst ?? perMinute, 1)
        perSecond = perMinute / 60
        tokens = capacity
    }

    /// Waits until a request may go.
    public func take() async {
        while true {
            let now = ContinuousClock.now
            tokens = min(capacity, tokens + Double((now - last) / .seconds(1)) * perSecond)
            last = now
            if tokens >= 1 {
                tokens -= 1
                return
            }
            try? await Task.sleep(for: .seconds((1 - tokens) / perSecond))
        }
    }
}

/// How calls are retried: idempotent calls (GET, DELETE, PATCH by id) at most `maxRetries` times after a 429, a
/// 5xx or no answer, with exponential backoff and full jitter (a 429's `Retry-After` is honoured when longer).
public struct RetryPolicy: Sendable, Hashable {
    public var maxRetries: Int
    public var baseDelay: Duration
    public var maxDelay: Duration
    /// How long one request may take.
    public var timeout: Duration

    public init(maxRetries: Int = 3, baseDelay: Duration = .milliseconds(250), maxDelay: Duration = .seconds(8),
                timeout: Duration = .seconds(15)) {
        self.maxRetries = maxRetries
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.timeout = timeout
    }

    /// The wait before retry number `attempt` (1-based): up to `baseDelay × 2^(attempt-1)`, at most `maxDelay`,
    /// at least `retryAfter`.
    public func delay(attempt: Int, retryAfter: Duration?) -> Duration {
        let cap = min(baseDelay * (1 << min(attempt - 1, 20)), maxDelay)
        let jittered = cap * Double.random(in: 0.5...1)
        if let retryAfter, retryAfter > jittered { return retryAfter }
        return jittered
    }
}
