/// One bar's directional movement and true range against the previous bar (Wilder), as TA-Lib defines them.
@usableFromInline
struct DirectionalStep: Sendable {
    @usableFromInline var prevHigh = 0.0
    @usableFromInline var prevLow = 0.0
    @usableFromInline var prevClose = 0.0
    @usableFromInline var started = false

    @usableFromInline init() {}

    /// Returns (+DM, −DM, TR) for this bar, nil for the first bar.
    @inlinable
    mutating func update(_ bar: OHLCV) -> (plus: Double, minus: Double, tr: Double)? {
        defer {
            prevHigh = bar.high
            prevLow = bar.low
            prevClose = bar.close
            started = true
        }
        guard started else { return nil }
        let diffP = bar.high - prevHigh
        let diffM = prevLow - bar.low
        var plus = 0.0
        var minus = 0.0
        if diffM > 0 && diffP < diffM {
            minus = diffM
        } else if diffP > 0 && diffP > diffM {
            plus = diffP
        }
        return (plus, minus, trueRange(high: bar.high, low: bar.low, prevClose: prevClose))
    }
}

/// TA-Lib's true range: the largest of high − low, |high − previous close|, |low − previous close|.
@inlinable
func trueRange(high: Double, low: Double, prevClose: Double) -> Double {
    var greatest = high - low
    let v2 = abs(prevClose - high)
    if v2 > greatest { greatest = v2 }
    let v3 = abs(low - prevClose)
    if v3 > greatest { greatest = v3 }
    return greatest
}

/// Wilder-smoothed +DM, −DM and TR: sums of the first `period − 1` bars, then `s = s − s/n + value`.
@usableFromInline
struct SmoothedDirectional: Sendable {
    @usableFromInline let period: Int
    @usableFromInline var step = DirectionalStep()
    @usableFromInline var count = 0
    @usableFromInline var plus = 0.0
    @usableFromInline var minus = 0.0
    @usableFromInline var tr = 0.0

    @usableFromInline let inverse: Double

    @usableFromInline init(period: Int) {
        self.period = period
        inverse = 1.0 / Double(period)
    }

    /// Feeds a bar; returns how many steps have been taken (bars after the first) with the current sums.
    @inlinable
    mutating func update(_ bar: OHLCV) -> Int {
        guard let (p, m, t) = step.update(bar) else { return 0 }
        count += 1
        if count < period {
            plus += p
            minus += m
            tr += t
        } else {
            plus = plus - plus * inverse + p
            minus = minus - minus * inverse + m
            tr = tr - tr * inverse + t
        }
        return count
    }
}

/// Which side of the directional movement an indicator reports.
public enum DirectionalSide: Sendable { case plus, minus }

/// Directional movement (TA-Lib PLUS_DM / MINUS_DM): Wilder-smoothed sum of one side's movement. Period 1
/// gives the raw one-bar movement.
public struct DirectionalMovement: StreamingIndicator {
    public let side: DirectionalSide
    public let timeperiod: Int
    @usableFromInline var core: SmoothedDirectional

    /// - Parameter timeperiod: 1...100000 (default 14).
    public init(_ side: DirectionalSide, timeperiod: Int = 14) throws(IndicatorError) {
        try Check.period(timeperiod, "timeperiod", in: 1...maxIndicatorPeriod, side == .plus ? "PLUS_DM" : "MINUS_DM")
        self.side = side
        self.timeperiod = timeperiod
        core = SmoothedDirectional(period: timeperiod)
    }

    public var lookback: Int { timeperiod > 1 ? timeperiod - 1 : 1 }

    @inlinable
    public mutating func update(_ bar: OHLCV) -> Double? {
        if timeperiod == 1 {
            guard let (p, m, _) = core.step.update(bar) else { return nil }
            return side == .plus ? p : m
        }
        let n = core.update(bar)
        guard n >= timeperiod - 1 else { return nil }
        return side == .plus ? core.plus : core.minus
    }
}

/// Directional indicator (TA-Lib PLUS_DI / MINUS_DI): `100 · smoothed DM / smoothed TR`. Period 1 gives the
/// raw ratio DM/TR (without the factor 100, as TA-Lib does).
public struct DirectionalIndicator: StreamingIndicator {
    public let side: DirectionalSide
    public let timeperiod: Int
    @usableFromInline var core: SmoothedDirectional

    /// - Parameter timeperiod: 1...100000 (default 14).
    public init(_ side: DirectionalSide, timeperiod: Int = 14) throws(IndicatorError) {
        try Check.period(timeperiod, "timeperiod", in: 1...maxIndicatorPeriod, side == .plus ? "PLUS_DI" : "MINUS_DI")
        self.side = side
        self.timeperiod = timeperiod
        core = SmoothedDirectional(period: timeperiod)
    }

    public var lookback: Int { timeperiod > 1 ? timeperiod : 1 }

    @inlinable
    public mutating func update(_ bar: OHLCV) -> Double? {
        if timeperiod == 1 {
            guard let (p, m, t) = core.step.update(bar) else { return nil }
            return isZero(t) ? 0.0 : (side == .plus ? p : m) / t
        }
        let n = core.update(bar)
        guard n >= timeperiod else { return nil }
        let dm = side == .plus ? core.plus : core.minus
        return isZero(core.tr) ? 0.0 : 100.0 * (dm / core.tr)
    }
}

/// Directional movement index (TA-Lib DX): `100 · |+DI − −DI| / (+DI + −DI)`.
public struct DX: StreamingIndicator {
    public let timeperiod: Int
    @usableFromInline var core: SmoothedDirectional
    @usableFromInline var last = 0.0

    /// - Parameter timeperiod: 2...100000 (default 14).
    public init(timeperiod: Int = 14) throws(IndicatorError) {
        try Check.period(timeperiod, "timeperiod", in: 2...maxIndicatorPeriod, "DX")
        self.init(unchecked: timeperiod)
    }

    @usableFromInline init(unchecked timeperiod: Int) {
        self.timeperiod = timeperiod
        core = SmoothedDirectional(period: timeperiod)
    }

    public var lookback: Int { timeperiod }

    /// DX of the current sums, or nil when TA-Lib would leave the value unchanged (zero TR or zero DI sum).
    @inlinable
    func currentDX() -> Double? {
        guard !isZero(core.tr) else { return nil }
        let minusDI = 100.0 * (core.minus / core.tr)
        let plusDI = 100.0 * (core.plus / core.tr)
        let s = minusDI + plusDI
        guard !isZero(s) else { return nil }
        return 100.0 * (abs(minusDI - plusDI) / s)
    }

    @inlinable
    public mutating func update(_ bar: OHLCV) -> Double? {
        let n = core.update(bar)
        guard n >= timeperiod else { return nil }
        if let dx = currentDX() { last = dx } else if n == timeperiod { last = 0.0 }
        return last
    }
}

/// Average directional movement index (TA-Lib ADX): the average of the first `timeperiod` DX values, then
/// Wilder-smoothed.
public struct ADX: StreamingIndicator {
    public let timeperiod: Int
    @usableFromInline var dx: DX
    @usableFromInline var sumDX = 0.0
    @usableFromInline var adx = 0.0

    /// - Parameter timeperiod: 2...100000 (default 14).
    public init(timeperiod: Int = 14) throws(IndicatorError) {
        try Check.period(timeperiod, "timeperiod", in: 2...maxIndicatorPeriod, "ADX")
        self.init(unchecked: timeperiod)
    }

    @usableFromInline let keep: Double

    @usableFromInline init(unchecked timeperiod: Int) {
        self.timeperiod = timeperiod
        dx = DX(unchecked: timeperiod)
        keep = Double(timeperiod - 1) / Double(timeperiod)
    }

    public var lookback: Int { 2 * timeperiod - 1 }

    @inlinable
    public mutating func update(_ bar: OHLCV) -> Double? {
        let n = dx.core.update(bar)
        let p = timeperiod
        guard n >= p else { return nil }
        let value = dx.currentDX()
        if n < 2 * p - 1 {
            if let value { sumDX += value }
            return nil
        }
        if n == 2 * p - 1 {
            if let value { sumDX += value }
            adx = sumDX / Double(p)
            return adx
        }
        if let value { adx = adx * keep + value * dx.core.inverse }
        return adx
    }
}

/// Average directional movement rating (TA-Lib ADXR): the mean of today's ADX and the ADX `timeperiod − 1`
/// bars earlier.
public struct ADXR: StreamingIndicator {
    public let timeperiod: Int
    @usableFromInline var adx: ADX
    @usableFromInline var ring: Ring

    /// - Parameter timeperiod: 2...100000 (default 14).
    public init(timeperiod: Int = 14) throws(IndicatorError) {
        try Check.period(timeperiod, "timeperiod", in: 2...maxIndicatorPeriod, "ADXR")
        self.timeperiod = timeperiod
        adx = ADX(unchecked: timeperiod)
        ring = Ring(capacity: timeperiod)
    }

    public var lookback: Int { 3 * timeperiod - 2 }

    @inlinable
    public mutating func update(_ bar: OHLCV) -> Double? {
        guard let a = adx.update(bar) else { return nil }
        ring.push(a)
        guard ring.isFull else { return nil }
        return (a + ring.oldest) / 2.0
    }
}
