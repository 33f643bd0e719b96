/// Parabolic SAR (TA-Lib SAR), a special case of `SAREXT` with equal long/short settings.
public struct SAR: StreamingIndicator {
    public let acceleration: Double, maximum: Double
    @usableFromInline var core: SAREXT

    /// - Parameters: acceleration ≥ 0 (default 0.02); maximum ≥ 0 (default 0.2). An acceleration above the
    ///   maximum is lowered to it, as TA-Lib does.
    public init(acceleration: Double = 0.02, maximum: Double = 0.2) throws(IndicatorError) {
        try Check.real(acceleration, "acceleration", in: 0...realParameterBound, "SAR")
        try Check.real(maximum, "maximum", in: 0...realParameterBound, "SAR")
        (self.acceleration, self.maximum) = (acceleration, maximum)
        let a = min(acceleration, maximum)
        core = SAREXT(unchecked: 0, offsetonreverse: 0, initLong: a, long: a, maxLong: maximum,
                      initShort: a, short: a, maxShort: maximum, signed: false)
    }

    public var lookback: Int { 1 }

    @inlinable
    public mutating func update(_ bar: OHLCV) -> Double? { core.update(bar) }
}

/// Parabolic SAR, extended (TA-Lib SAREXT): separate initial/step/maximum accelerations for long and short,
/// an optional start value (> 0 starts long at that SAR, < 0 starts short at its absolute value, 0 lets the
/// first two bars' directional movement decide) and an optional percentage offset on reversal. Short
/// positions are reported as negative values, as TA-Lib does.
public struct SAREXT: StreamingIndicator {
    public let startvalue: Double, offsetonreverse: Double
    @usableFromInline let initLong: Double, stepLong: Double, maxLong: Double
    @usableFromInline let initShort: Double, stepShort: Double, maxShort: Double
    @usableFromInline let signed: Bool
    @usableFromInline var seen = 0
    @usableFromInline var isLong = true
    @usableFromInline var afLong = 0.0, afShort = 0.0
    @usableFromInline var ep = 0.0, sar = 0.0
    @usableFromInline var newHigh = 0.0, newLow = 0.0

    /// - Parameters: as TA-Lib (startvalue 0, offsetonreverse 0 (≥ 0), accelerations 0.02 / 0.02 / 0.2 for each
    ///   side (all ≥ 0)).
    public init(startvalue: Double = 0, offsetonreverse: Double = 0,
                accelerationinitlong: Double = 0.02, accelerationlong: Double = 0.02, accelerationmaxlong: Double = 0.2,
                accelerationinitshort: Double = 0.02, accelerationshort: Double = 0.02, accelerationmaxshort: Double = 0.2) throws(IndicatorError) {
        let r = -realParameterBound...realParameterBound
        let pos = 0...realParameterBound
        try Check.real(startvalue, "startvalue", in: r, "SAREXT")
        try Check.real(offsetonreverse, "offsetonreverse", in: pos, "SAREXT")
        try Check.real(accelerationinitlong, "accelerationinitlong", in: pos, "SAREXT")
        try Check.real(accelerationlong, "accelerationlong", in: pos, "SAREXT")
        try Check.real(accelerationmaxlong, "accelerationmaxlong", in: pos, "SAREXT")
        try Check.real(accelerationinitshort, "accelerationinitshort", in: pos, "SAREXT")
        try Check.real(accelerationshort, "accelerationshort", in: pos, "SAREXT")
        try Check.real(accelerationmaxshort, "accelerationmaxshort", in: pos, "SAREXT")
        self.init(unchecked: startvalue, offsetonreverse: offsetonreverse,
                  initLong: min(accelerationinitlong, accelerationmaxlong), long: min(accelerationlong, accelerationmaxlong),
                  maxLong: accelerationmaxlong,
                  initShort: min(accelerationinitshort, accelerationmaxshort), short: min(accelerationshort, accelerationmaxshort),
                  maxShort: accelerationmaxshort, signed: true)
    }

    @usableFromInline init(unchecked startvalue: Double, offsetonreverse: Double, initLong: Double, long: Double,
                           maxLong: Double, initShort: Double, short: Double, maxShort: Double, signed: Bool) {
        self.startvalue = startvalue
        self.offsetonreverse = offsetonreverse
        (self.initLong, stepLong, self.maxLong) = (initLong, long, maxLong)
        (self.initShort, stepShort, self.maxShort) = (initShort, short, maxShort)
        self.signed = signed
        afLong = initLong
        afShort = initShort
    }

    public var lookback: Int { 1 }

    @inlinable
    func report(_ v: Double, long: Bool) -> Double { signed && !long ? -v : v }

    @inlinable
    public mutating func update(_ bar: OHLCV) -> Double? {
        seen += 1
        if seen == 1 {
            newHigh = bar.high
            newLow = bar.low
            return nil
        }
        var prevHigh = newHigh
        var prevLow = newLow
        if seen == 2 {
            // Direction from the first two bars (TA-Lib: short when −DM > 0), or from startvalue.
            if startvalue == 0 {
                let diffP = bar.high - prevHigh
                let diffM = prevLow - bar.low
                isLong = !(diffM > 0 && diffP < diffM)
                sar = isLong ? prevLow : prevHigh
            } else {
                isLong = startvalue > 0
                sar = abs(startvalue)
            }
            ep = isLong ? bar.high : bar.low
            // TA-Lib treats the second bar as its own "previous" bar on the first step.
            prevHigh = bar.high
            prevLow = bar.low
        }
        newHigh = bar.high
        newLow = bar.low
        if isLong {
            if newLow <= sar {
                isLong = false
                sar = ep
                if sar < prevHigh { sar = prevHigh }
                if sar < newHigh { sar = newHigh }
                if offsetonreverse != 0.0 { sar += sar * offsetonreverse }
                let out = report(sar, long: false)
                afShort = initShort
                ep = newLow
                sar = sar + afShort * (ep - sar)
                if sar < prevHigh { sar = prevHigh }
                if sar < newHigh { sar = newHigh }
                return out
            }
            let out = report(sar, long: true)
            if newHigh > ep {
                ep = newHigh
                afLong += stepLong
                if afLong > maxLong { afLong = maxLong }
            }
            sar = sar + afLong * (ep - sar)
            if sar > prevLow { sar = prevLow }
            if sar > newLow { sar = newLow }
            return out
        }
        if newHigh >= sar {
            isLong = true
            sar = ep
            if sar > prevLow { sar = prevLow }
            if sar > newLow { sar = newLow }
            if offsetonreverse != 0.0 { sar -= sar * offsetonreverse }
            let out = report(sar, long: true)
            afLong = initLong
            ep = newHigh
            sar = sar + afLong * (ep - sar)
            if sar > prevLow { sar = prevLow }
            if sar > newLow { sar = newLow }
            return out
        }
        let out = report(sar, long: false)
        if newLow < ep {
            ep = newLow
            afShort += stepShort
            if afShort > maxShort { afShort = maxShort }
        }
        sar = sar + afShort * (ep - sar)
        if sar < prevHigh { sar = prevHigh }
        if sar < newHigh { sar = newHigh }
        return out
    }
}
