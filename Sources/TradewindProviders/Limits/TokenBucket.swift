/// A client-side rate limiter: a bucket of `capacity` tokens refilled at a steady rate; each request takes one.
///
/// Requests beyond the bucket wait their turn (first come, first served: a waiter reserves its token when it asks,
/// so later callers queue behind it) instead of being refused. A 429 answer can `pause` the bucket so that every
/// request to that provider waits out its `Retry-After`. Not specific to any provider: one bucket per provider key.
public actor TokenBucket {
    /// The most requests that may go at once after a quiet period.
    public nonisolated let capacity: Double
    /// Tokens added per second.
    public nonisolated let refillPerSecond: Double
    private var tokens: Double
    private var last: ContinuousClock.Instant
    private var pausedUntil: ContinuousClock.Instant?
    private let clock = ContinuousClock()

    /// A bucket of `capacity` tokens (at least 1) refilled at `refillPerSecond` (above 0), full at the start.
    public init(capacity: Int, refillPerSecond: Double) {
        precondition(refillPerSecond > 0, "a token bucket needs a refill rate above 0")
        self.capacity = Double(max(1, capacity))
        self.refillPerSecond = refillPerSecond
        self.tokens = Double(max(1, capacity))
        self.last = ContinuousClock().now
    }

    /// A bucket that allows `limit` on average and bursts of up to `burst` (default: the whole limit, as providers
    /// count requests per window).
    public init(_ limit: RateLimit, burst: Int? = nil) {
        self.init(capacity: burst ?? limit.requests, refillPerSecond: limit.perSecond)
    }

    /// Takes a token, waiting until one is free. Throws `CancellationError` (and gives the token back) when the
    /// task is cancelled while waiting.
    public func acquire() async throws {
        let wait = reserve()
        guard wait > .zero else { return }
        do {
            try await Task.sleep(for: wait)
        } catch {
            tokens = min(capacity, tokens + 1)
            throw error
        }
    }

    /// Takes a token when one is free now; false (taking nothing) otherwise.
    public func tryAcquire() -> Bool {
        refill()
        guard pausedUntil.map({ clock.now >= $0 }) ?? true, tokens >= 1 else { return false }
        tokens -= 1
        return true
    }

    /// Holds every request back for `duration` (a provider's `Retry-After`): the waits already reserved and the
    /// ones to come start after it.
    public func pause(for duration: Duration) {
        let until = clock.now.advanced(by: duration)
        if pausedUntil.map({ until > $0 }) ?? true { pausedUntil = until }
    }

    /// Tokens free now (negative: reserved by waiters).
    public var available: Double {
        refill()
        return tokens
    }

    private func refill() {
        let now = clock.now
        let elapsed = last.duration(to: now)
        last = now
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        tokens = min(capacity, tokens + seconds * refillPerSecond)
    }

    /// Reserves a token and returns how long its holder must wait for it.
    private func reserve() -> Duration {
        refill()
        tokens -= 1
        var wait: Duration = tokens >= 0 ? .zero : .seconds(-tokens / refillPerSecond)
        if let pausedUntil {
            let untilPause = clock.now.duration(to: pausedUntil)
            if untilPause > .zero { wait += untilPause } else { self.pausedUntil = nil }
        }
        return wait
    }
}
