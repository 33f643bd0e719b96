/// What TA-Lib's sliding-window extreme functions report.
public enum ExtremeOutput: String, Sendable, CaseIterable {
    case max = "MAX", min = "MIN", maxIndex = "MAXINDEX", minIndex = "MININDEX"
    /// MIDPOINT: (highest + lowest) / 2 of one series.
    case midpoint = "MIDPOINT"
}

/// Highest/lowest value (or its bar index) over `timeperiod` bars (TA-Lib MAX, MIN, MAXINDEX, MININDEX,
/// MIDPOINT). Indices count bars from the first input (0-based), as TA-Lib's batch output does.
public struct WindowExtremeIndicator: StreamingIndicator {
    public let output: ExtremeOutput
    public let timeperiod: Int
    @usableFromInline var highest: WindowExtreme
    @usableFromInline var lowest: WindowExtreme
    @usableFromInline var highValue: SlidingMax
    @usableFromInline var lowValue: SlidingMax
    @usableFromInline var seen = 0

    /// - Parameter timeperiod: 2...100000 (default 30; MIDPOINT 14).
    public init(_ output: ExtremeOutput, timeperiod: Int) throws(IndicatorError) {
        try Check.period(timeperiod, "timeperiod", in: 2...maxIndicatorPeriod, output.rawValue)
        self.output = output
        self.timeperiod = timeperiod
        highest = WindowExtreme(window: timeperiod, max: true)
        lowest = WindowExtreme(window: timeperiod, max: false)
        highValue = SlidingMax(window: timeperiod, max: true)
        lowValue = SlidingMax(window: timeperiod, max: false)
    }

    public var lookback: Int { timeperiod - 1 }

    @inlinable
    public mutating func update(_ x: Double) -> Double? {
        seen += 1
        switch output {
        case .max:
            let v = highValue.push(x)
            return seen >= timeperiod ? v : nil
        case .min:
            let v = lowValue.push(x)
            return seen >= timeperiod ? v : nil
        case .maxIndex:
            let e = highest.push(x)
            return seen >= timeperiod ? Double(e.index) : nil
        case .minIndex:
            let e = lowest.push(x)
            return seen >= timeperiod ? Double(e.index) : nil
        case .midpoint:
            let h = highValue.push(x)
            let l = lowValue.push(x)
            return seen >= timeperiod ? (h + l) / 2.0 : nil
        }
    }
}

/// Lowest and highest over `timeperiod` bars together (TA-Lib MINMAX: min, max; MINMAXINDEX: minidx, maxidx).
public struct MINMAX: StreamingIndicator {
    public let timeperiod: Int
    @usableFromInline var highest: SlidingMax
    @usableFromInline var lowest: SlidingMax
    @usableFromInline var seen = 0

    /// - Parameter timeperiod: 2...100000 (default 30).
    public init(timeperiod: Int = 30) throws(IndicatorError) {
        try Check.period(timeperiod, "timeperiod", in: 2...maxIndicatorPeriod, "MINMAX")
        self.timeperiod = timeperiod
        highest = SlidingMax(window: timeperiod, max: true)
        lowest = SlidingMax(window: timeperiod, max: false)
    }

    public var lookback: Int { timeperiod - 1 }

    @inlinable
    public mutating func update(_ x: Double) -> LinePair<MinMaxNames>? {
        seen += 1
        let h = highest.push(x)
        let l = lowest.push(x)
        return seen >= timeperiod ? LinePair(l, h) : nil
    }
}

/// Bar indices of the lowest and highest over `timeperiod` bars (TA-Lib MINMAXINDEX).
public struct MINMAXINDEX: StreamingIndicator {
    public let timeperiod: Int
    @usableFromInline var highest: WindowExtreme
    @usableFromInline var lowest: WindowExtreme
    @usableFromInline var seen = 0

    /// - Parameter timeperiod: 2...100000 (default 30).
    public init(timeperiod: Int = 30) throws(IndicatorError) {
        try Check.period(timeperiod, "timeperiod", in: 2...maxIndicatorPeriod, "MINMAXINDEX")
        self.timeperiod = timeperiod
        highest = WindowExtreme(window: timeperiod, max: true)
        lowest = WindowExtreme(window: timeperiod, max: false)
    }

    public var lookback: Int { timeperiod - 1 }

    @inlinable
    public mutating func update(_ x: Double) -> LinePair<MinMaxIndexNames>? {
        seen += 1
        let h = highest.push(x).index
        let l = lowest.push(x).index
        return seen >= timeperiod ? LinePair(Double(l), Double(h)) : nil
    }
}

/// Midpoint of the highest high and lowest low over `timeperiod` bars (TA-Lib MIDPRICE).
public struct MIDPRICE: StreamingIndicator {
    public let timeperiod: Int
    @usableFromInline var range: HighLowWindow

    /// - Parameter timeperiod: 2...100000 (default 14).
    public init(timeperiod: Int = 14) throws(IndicatorError) {
        try Check.period(timeperiod, "timeperiod", in: 2...maxIndicatorPeriod, "MIDPRICE")
        self.timeperiod = timeperiod
        range = HighLowWindow(window: timeperiod)
    }

    public var lookback: Int { timeperiod - 1 }

    @inlinable
    public mutating func update(_ bar: OHLCV) -> Double? {
        guard let (h, l) = range.push(high: bar.high, low: bar.low) else { return nil }
        return (h + l) / 2.0
    }
}

/// Sum over `timeperiod` bars (TA-Lib SUM), TA-Lib's running sum.
public struct SUM: StreamingIndicator {
    public let timeperiod: Int
    @usableFromInline var ring: Ring
    @usableFromInline var sum = 0.0

    /// - Parameter timeperiod: 2...100000 (default 30).
    public init(timeperiod: Int = 30) throws(IndicatorError) {
        try Check.period(timeperiod, "timeperiod", in: 2...maxIndicatorPeriod, "SUM")
        self.timeperiod = timeperiod
        ring = Ring(capacity: timeperiod)
    }

    public var lookback: Int { timeperiod - 1 }

    @inlinable
    public mutating func update(_ x: Double) -> Double? {
        sum += x
        ring.push(x)
        guard ring.isFull else { return nil }
        let out = sum
        sum -= ring.oldest
        return out
    }
}
