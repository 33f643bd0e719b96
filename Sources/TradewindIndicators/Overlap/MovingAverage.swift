/// A moving average of any TA-Lib `matype` (TA-Lib MA). As in TA-Lib, a period of 1 passes the input through
/// (lookback 0) for every type but MAMA, and MAMA ignores the period (fastlimit 0.5, slowlimit 0.05, lookback 32).
public struct MovingAverage: StreamingIndicator {
    public let timeperiod: Int
    public let matype: MAType
    @usableFromInline var kernel: Kernel

    @usableFromInline
    enum Kernel: Sendable {
        case identity
        case sma(SMA), ema(EMA), wma(WMA), dema(DEMA), tema(TEMA), trima(TRIMA), kama(KAMA), mama(MAMA), t3(T3)
        case empty
    }

    /// - Parameters: timeperiod 1...100000 (default 30); matype (default SMA).
    public init(timeperiod: Int = 30, matype: MAType = .sma) throws(IndicatorError) {
        try Check.period(timeperiod, "timeperiod", in: 1...maxIndicatorPeriod, "MA")
        self.init(unchecked: timeperiod, matype: matype)
    }

    /// A moving average that ignores its first `skip` inputs: TA-Lib starts an inner average at a later bar
    /// when an outer function (MACDEXT, APO, …) asks for it from there, which moves the seed of the
    /// recursive types.
    @usableFromInline init(unchecked timeperiod: Int, matype: MAType, skip: Int = 0) {
        self.timeperiod = timeperiod
        self.matype = matype
        // MAMA alternates its delay lines by absolute bar index, so it counts the skipped bars itself.
        skipped = matype == .mama ? 0 : skip
        toSkip = skipped
        if timeperiod == 1 && matype != .mama {
            kernel = .identity
            return
        }
        switch matype {
        case .sma: kernel = .sma(SMA(unchecked: timeperiod))
        case .ema: kernel = .ema(EMA(unchecked: timeperiod))
        case .wma: kernel = .wma(WMA(unchecked: timeperiod))
        case .dema: kernel = .dema(DEMA(unchecked: timeperiod))
        case .tema: kernel = .tema(TEMA(unchecked: timeperiod))
        case .trima: kernel = .trima(TRIMA(unchecked: timeperiod))
        case .kama: kernel = .kama(KAMA(unchecked: timeperiod))
        case .mama: kernel = .mama(MAMA(unchecked: 0.5, slowlimit: 0.05, skip: skip))
        case .t3: kernel = .t3(T3(unchecked: timeperiod, vfactor: 0.7))
        }
    }

    @usableFromInline let skipped: Int
    @usableFromInline var toSkip: Int

    /// TA-Lib's lookback for this type and period.
    public static func lookback(timeperiod: Int, matype: MAType) -> Int {
        if timeperiod <= 1 && matype != .mama { return 0 }
        switch matype {
        case .sma, .ema, .wma, .trima: return timeperiod - 1
        case .dema: return 2 * (timeperiod - 1)
        case .tema: return 3 * (timeperiod - 1)
        case .kama: return timeperiod
        case .mama: return 32
        case .t3: return 6 * (timeperiod - 1)
        }
    }

    public var lookback: Int {
        if case .mama(let k) = kernel { return k.lookback }
        return MovingAverage.lookback(timeperiod: timeperiod, matype: matype) + skipped
    }

    @inlinable
    public mutating func update(_ x: Double) -> Double? {
        if toSkip > 0 {
            toSkip -= 1
            return nil
        }
        switch kernel {
        case .identity:
            return x
        case .sma(var k):
            kernel = .empty
            let v = k.update(x)
            kernel = .sma(k)
            return v
        case .ema(var k):
            kernel = .empty
            let v = k.update(x)
            kernel = .ema(k)
            return v
        case .wma(var k):
            kernel = .empty
            let v = k.update(x)
            kernel = .wma(k)
            return v
        case .dema(var k):
            kernel = .empty
            let v = k.update(x)
            kernel = .dema(k)
            return v
        case .tema(var k):
            kernel = .empty
            let v = k.update(x)
            kernel = .tema(k)
            return v
        case .trima(var k):
            kernel = .empty
            let v = k.update(x)
            kernel = .trima(k)
            return v
        case .kama(var k):
            kernel = .empty
            let v = k.update(x)
            kernel = .kama(k)
            return v
        case .mama(var k):
            kernel = .empty
            let v = k.update(x)
            kernel = .mama(k)
            return v?.mama
        case .t3(var k):
            kernel = .empty
            let v = k.update(x)
            kernel = .t3(k)
            return v
        case .empty:
            return nil
        }
    }
}
