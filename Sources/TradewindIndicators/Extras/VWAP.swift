import Foundation

/// A bar together with whether it opens a new session (the input of session-anchored indicators). The
/// calendar stays outside this module: callers mark session starts (e.g. from exchange-local dates).
public struct SessionBar: Sendable, Equatable {
    public var bar: OHLCV
    public var startsSession: Bool
    @inlinable public init(_ bar: OHLCV, startsSession: Bool) {
        self.bar = bar
        self.startsSession = startsSession
    }
}

/// One third, rounded once: typical prices multiply by it (one division per bar fewer; within 1 ulp of /3).
@usableFromInline let oneThird = 1.0 / 3.0

/// Session-anchored volume-weighted average price: Σ(typical price · volume) / Σvolume since the session's
/// first bar, typical price = (high + low + close)/3 (TA-Lib 0.8's VWAP definition, which never resets; with a
/// single session the two agree). 0 while the session has traded no volume, as TA-Lib.
public struct VWAP: StreamingIndicator {
    @usableFromInline var sumPV = 0.0
    @usableFromInline var sumV = 0.0
    public init() {}
    public var lookback: Int { 0 }

    @inlinable
    public mutating func update(_ input: SessionBar) -> Double? {
        if input.startsSession {
            sumPV = 0
            sumV = 0
        }
        let b = input.bar
        let tp = (b.high + b.low + b.close) * oneThird
        sumPV += tp * b.volume
        sumV += b.volume
        return sumV != 0 ? sumPV / sumV : 0.0
    }
}

/// Session-anchored VWAP with volume-weighted standard-deviation bands: middle = VWAP, bands = VWAP ±
/// nbdev·σ with σ² = Σ(v·tp²)/Σv − VWAP² (clamped at 0). Bands collapse onto the VWAP while no volume traded.
public struct VWAPBands: StreamingIndicator {
    public let nbdevup: Double, nbdevdn: Double
    @usableFromInline var sumPV = 0.0, sumV = 0.0, sumP2V = 0.0

    /// - Parameters: nbdevup, nbdevdn (default 1).
    public init(nbdevup: Double = 1, nbdevdn: Double = 1) throws(IndicatorError) {
        try Check.real(nbdevup, "nbdevup", in: -realParameterBound...realParameterBound, "VWAP_BANDS")
        try Check.real(nbdevdn, "nbdevdn", in: -realParameterBound...realParameterBound, "VWAP_BANDS")
        (self.nbdevup, self.nbdevdn) = (nbdevup, nbdevdn)
    }

    public var lookback: Int { 0 }

    @inlinable
    public mutating func update(_ input: SessionBar) -> Bands? {
        if input.startsSession {
            sumPV = 0
            sumV = 0
            sumP2V = 0
        }
        let b = input.bar
        let tp = (b.high + b.low + b.close) / 3.0
        sumPV += tp * b.volume
        sumP2V += tp * tp * b.volume
        sumV += b.volume
        guard sumV != 0 else { return Bands(upperband: 0, middleband: 0, lowerband: 0) }
        let vwap = sumPV / sumV
        let sd = sqrt(max(0, sumP2V / sumV - vwap * vwap))
        return Bands(upperband: vwap + nbdevup * sd, middleband: vwap, lowerband: vwap - nbdevdn * sd)
    }
}

/// Rolling VWAP over the last `timeperiod` bars: Σ(tp·v)/Σv of the window (0 when the window traded nothing).
public struct RollingVWAP: StreamingIndicator {
    public let timeperiod: Int
    @usableFromInline var pv: Ring
    @usableFromInline var vol: Ring
    @usableFromInline var sumPV = 0.0, sumV = 0.0

    /// - Parameter timeperiod: 1...100000 (default 20).
    public init(timeperiod: Int = 20) throws(IndicatorError) {
        try Check.period(timeperiod, "timeperiod", in: 1...maxIndicatorPeriod, "ROLLING_VWAP")
        self.timeperiod = timeperiod
        pv = Ring(capacity: timeperiod)
        vol = Ring(capacity: timeperiod)
    }

    public var lookback: Int { timeperiod - 1 }

    @inlinable
    public mutating func update(_ b: OHLCV) -> Double? {
        if pv.isFull {
            sumPV -= pv.oldest
            sumV -= vol.oldest
        }
        let tp = (b.high + b.low + b.close) / 3.0
        let x = tp * b.volume
        pv.push(x)
        vol.push(b.volume)
        sumPV += x
        sumV += b.volume
        guard pv.isFull else { return nil }
        return sumV != 0 ? sumPV / sumV : 0.0
    }
}
