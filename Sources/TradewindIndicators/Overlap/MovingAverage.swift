/// A moving average of any TA-Lib `matype` 0...13 (TA-Lib MA). As in TA-Lib, a period of 1 passes the input
/// through (lookback 0) for every type but MAMA, and MAMA ignores the period (fastlimit 0.5, slowlimit 0.05,
/// lookback 32). `disabled` passes the input through at every period (lookback 0); `default` is SMA (MA's own
/// default; APO and PPO resolve it to EMA before they get here).
public struct MovingAverage: StreamingIndicator {
    public let timeperiod: Int
    public let matype: MAType
    // One optional slot per type, mutated in place through `!` (an enum payload would be copied, and its
    // buffers with it, on every update).
    @usableFromInline var sma: SMA?
    @usableFromInline var ema: EMA?
    @usableFromInline var wma: WMA?
    @usableFromInline var dema: DEMA?
    @usableFromInline var tema: TEMA?
    @usableFromInline var trima: TRIMA?
    @usableFromInline var kama: KAMA?
    @usableFromInline var mama: MAMA?
    @usableFromInline var t3: T3?
    @usableFromInline var hma: HMA?
    @usableFromInline var zlema: ZLEMA?
    @usableFromInline var rma: RMA?
    @usableFromInline let identity: Bool

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
        identity = (timeperiod == 1 && matype != .mama) || matype == .disabled
        if identity { return }
        switch matype {
        case .sma, .default: sma = SMA(unchecked: timeperiod)
        case .ema: ema = EMA(unchecked: timeperiod)
        case .wma: wma = WMA(unchecked: timeperiod)
        case .dema: dema = DEMA(unchecked: timeperiod)
        case .tema: tema = TEMA(unchecked: timeperiod)
        case .trima: trima = TRIMA(unchecked: timeperiod)
        case .kama: kama = KAMA(unchecked: timeperiod)
        case .mama: mama = MAMA(unchecked: 0.5, slowlimit: 0.05, skip: skip)
        case .t3: t3 = T3(unchecked: timeperiod, vfactor: 0.7)
        case .hma: hma = HMA(unchecked: timeperiod)
        case .zlema: zlema = ZLEMA(unchecked: timeperiod)
        case .rma: rma = RMA(unchecked: timeperiod)
        case .disabled: break
        }
    }

    @usableFromInline let skipped: Int
    @usableFromInline var toSkip: Int

    /// TA-Lib's lookback for this type and period.
    public static func lookback(timeperiod: Int, matype: MAType) -> Int {
        if timeperiod <= 1 && matype != .mama { return 0 }
        switch matype {
        case .sma, .ema, .wma, .trima, .rma, .default: return timeperiod - 1
        case .dema: return 2 * (timeperiod - 1)
        case .tema: return 3 * (timeperiod - 1)
        case .kama: return timeperiod
        case .mama: return 32
        case .t3: return 6 * (timeperiod - 1)
        case .hma: return HMA.lookback(timeperiod)
        case .zlema: return ZLEMA.lookback(timeperiod)
        case .disabled: return 0
        }
    }

    public var lookback: Int {
        if let mama { return mama.lookback }
        return MovingAverage.lookback(timeperiod: timeperiod, matype: matype) + skipped
    }

    @inline(__always) @inlinable
    public mutating func update(_ x: Double) -> Double? {
        if toSkip > 0 {
            toSkip -= 1
            return nil
        }
        if identity { return x }
        switch matype {
        case .sma, .default: return sma!.update(x)
        case .ema: return ema!.update(x)
        case .wma: return wma!.update(x)
        case .dema: return dema!.update(x)
        case .tema: return tema!.update(x)
        case .trima: return trima!.update(x)
        case .kama: return kama!.update(x)
        case .mama: return mama!.update(x)?.mama
        case .t3: return t3!.update(x)
        case .hma: return hma!.update(x)
        case .zlema: return zlema!.update(x)
        case .rma: return rma!.update(x)
        case .disabled: return x
        }
    }
}
