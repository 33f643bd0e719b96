/// Moving average with a variable period (TA-Lib MAVP): at each bar, the `matype` average whose period is that
/// bar's `periods` value (truncated, clamped to minperiod...maxperiod). As in TA-Lib, one average per possible
/// period runs over the series, each started so its first value falls at the first output bar; an update is
/// O(maxperiod − minperiod + 1).
public struct MAVP: StreamingIndicator {
    public let minperiod: Int, maxperiod: Int, matype: MAType
    @usableFromInline var averages: [MovingAverage]
    @usableFromInline let total: Int

    /// - Parameters: minperiod 2...100000 (default 2); maxperiod 2...100000 (default 30), ≥ minperiod; matype (SMA).
    public init(minperiod: Int = 2, maxperiod: Int = 30, matype: MAType = .sma) throws(IndicatorError) {
        try Check.period(minperiod, "minperiod", in: 2...maxIndicatorPeriod, "MAVP")
        try Check.period(maxperiod, "maxperiod", in: 2...maxIndicatorPeriod, "MAVP")
        guard minperiod <= maxperiod else {
            throw .invalidCombination(indicator: "MAVP", reason: "minperiod (\(minperiod)) must not exceed maxperiod (\(maxperiod))")
        }
        // One average per period, each keeping up to its window: Σ period values in all. A range that would need
        // more than 50 million (400 MB) is refused rather than exhausting the machine's memory.
        let windowValues = (minperiod + maxperiod) * (maxperiod - minperiod + 1) / 2
        guard windowValues <= Self.maximumWindowValues else {
            throw .invalidCombination(indicator: "MAVP", reason: "minperiod \(minperiod) to maxperiod \(maxperiod) keeps one average per period "
                + "(\(windowValues) values, \(windowValues / 131_072) MB); narrow the range to at most \(Self.maximumWindowValues) values in all")
        }
        (self.minperiod, self.maxperiod, self.matype) = (minperiod, maxperiod, matype)
        let total = MovingAverage.lookback(timeperiod: maxperiod, matype: matype)
        self.total = total
        averages = (minperiod...maxperiod).map { p in
            MovingAverage(unchecked: p, matype: matype, skip: total - MovingAverage.lookback(timeperiod: p, matype: matype))
        }
    }

    /// The most values all the per-period averages may keep together (50 million doubles, 400 MB).
    public static let maximumWindowValues = 50_000_000

    public var lookback: Int { total }

    /// `input.x` is the price, `input.y` the bar's period.
    @inlinable
    public mutating func update(_ input: RealPair) -> Double? {
        var chosen: Double?
        var p = minperiod
        let raw = input.y
        // Clamp as a double first: `Int(1e300)` would trap (a periods file may hold any finite number).
        let wanted = raw.isFinite ? Int(max(Double(minperiod), min(Double(maxperiod), raw.rounded(.towardZero)))) : maxperiod
        for k in averages.indices {
            let v = averages[k].update(input.x)
            if p == wanted { chosen = v }
            p += 1
        }
        return chosen
    }
}
