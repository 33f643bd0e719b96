/// Money flow index (TA-Lib MFI): `100 · positive flow / (positive + negative flow)` over `timeperiod` bars,
/// where flow = typical price × volume, signed by the change of typical price (unchanged bars count for neither).
public struct MFI: StreamingIndicator {
    public let timeperiod: Int
    @usableFromInline var pos: Ring
    @usableFromInline var neg: Ring
    @usableFromInline var posSum = 0.0
    @usableFromInline var negSum = 0.0
    @usableFromInline var prevTP = 0.0
    @usableFromInline var seen = 0

    /// - Parameter timeperiod: 2...100000 (default 14).
    public init(timeperiod: Int = 14) throws(IndicatorError) {
        try Check.period(timeperiod, "timeperiod", in: 2...maxIndicatorPeriod, "MFI")
        self.timeperiod = timeperiod
        pos = Ring(capacity: timeperiod)
        neg = Ring(capacity: timeperiod)
    }

    public var lookback: Int { timeperiod }

    @inlinable
    public mutating func update(_ bar: OHLCV) -> Double? {
        let tp = (bar.high + bar.low + bar.close) / 3.0
        defer { prevTP = tp }
        seen += 1
        guard seen > 1 else { return nil }
        if pos.isFull {
            posSum -= pos.oldest
            negSum -= neg.oldest
        }
        // TA-Lib 0.8 treats a change within 1e-14 of the prices' magnitude as no change (rounding noise).
        var diff = tp - prevTP
        if isZero(diff, scale: abs(tp) + abs(prevTP)) { diff = 0 }
        let flow = tp * bar.volume
        if diff < 0 {
            neg.push(flow)
            pos.push(0)
            negSum += flow
        } else if diff > 0 {
            pos.push(flow)
            neg.push(0)
            posSum += flow
        } else {
            pos.push(0)
            neg.push(0)
        }
        guard pos.isFull else { return nil }
        let total = posSum + negSum
        return isZero(total) ? 0.0 : 100.0 * (posSum / total)
    }
}
