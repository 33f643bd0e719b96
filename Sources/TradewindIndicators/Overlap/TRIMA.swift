/// Triangular moving average (TA-Lib TRIMA): triangular weights over `timeperiod` bars, computed as the simple
/// average of a simple average (lengths ⌈(n+1)/2⌉ and ⌊n/2⌋+… so that the weights are 1,2,…,2,1).
public struct TRIMA: StreamingIndicator {
    public let timeperiod: Int
    @usableFromInline var inner: SMAAnyLength
    @usableFromInline var outer: SMAAnyLength

    /// - Parameter timeperiod: 2...100000 (TA-Lib default 30).
    public init(timeperiod: Int = 30) throws(IndicatorError) {
        try Check.period(timeperiod, "timeperiod", in: 2...maxIndicatorPeriod, "TRIMA")
        self.init(unchecked: timeperiod)
    }

    @usableFromInline init(unchecked timeperiod: Int) {
        self.timeperiod = timeperiod
        if timeperiod % 2 == 1 {
            inner = SMAAnyLength((timeperiod + 1) / 2)
            outer = SMAAnyLength((timeperiod + 1) / 2)
        } else {
            inner = SMAAnyLength(timeperiod / 2 + 1)
            outer = SMAAnyLength(timeperiod / 2)
        }
    }

    public var lookback: Int { timeperiod - 1 }

    @inlinable
    public mutating func update(_ x: Double) -> Double? {
        guard let a = inner.update(x) else { return nil }
        return outer.update(a)
    }
}

/// Running mean over a window of any length ≥ 1 (internal building block).
@usableFromInline
struct SMAAnyLength: Sendable {
    @usableFromInline var ring: Ring
    @usableFromInline var sum = 0.0
    @usableFromInline let length: Int
    @usableFromInline init(_ length: Int) {
        self.length = length
        ring = Ring(capacity: length)
    }

    @inlinable
    mutating func update(_ x: Double) -> Double? {
        sum += x
        ring.push(x)
        guard ring.isFull else { return nil }
        let out = sum / Double(length)
        sum -= ring.oldest
        return out
    }
}
