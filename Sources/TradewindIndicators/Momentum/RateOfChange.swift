/// The change forms TA-Lib computes against the value `timeperiod` bars back.
public enum ChangeForm: Sendable {
    /// MOM: x − prev.
    case momentum
    /// ROC: (x/prev − 1)·100.
    case roc
    /// ROCP: (x − prev)/prev.
    case rocp
    /// ROCR: x/prev.
    case rocr
    /// ROCR100: (x/prev)·100.
    case rocr100
}

/// Momentum and rate of change (TA-Lib MOM, ROC, ROCP, ROCR, ROCR100). The ratio forms give 0 when the
/// earlier value is 0, as TA-Lib does.
public struct RateOfChange: StreamingIndicator {
    public let timeperiod: Int
    public let form: ChangeForm
    @usableFromInline var ring: Ring

    /// - Parameter timeperiod: 1...100000 (default 10).
    public init(_ form: ChangeForm, timeperiod: Int = 10) throws(IndicatorError) {
        let name = switch form {
        case .momentum: "MOM"
        case .roc: "ROC"
        case .rocp: "ROCP"
        case .rocr: "ROCR"
        case .rocr100: "ROCR100"
        }
        try Check.period(timeperiod, "timeperiod", in: 1...maxIndicatorPeriod, name)
        self.init(unchecked: form, timeperiod: timeperiod)
    }

    @usableFromInline init(unchecked form: ChangeForm, timeperiod: Int) {
        self.timeperiod = timeperiod
        self.form = form
        ring = Ring(capacity: timeperiod + 1)
    }

    public var lookback: Int { timeperiod }

    @inlinable
    public mutating func update(_ x: Double) -> Double? {
        ring.push(x)
        guard ring.isFull else { return nil }
        let prev = ring.oldest
        switch form {
        case .momentum: return x - prev
        case .roc: return prev != 0.0 ? ((x / prev) - 1.0) * 100.0 : 0.0
        case .rocp: return prev != 0.0 ? (x - prev) / prev : 0.0
        case .rocr: return prev != 0.0 ? x / prev : 0.0
        case .rocr100: return prev != 0.0 ? (x / prev) * 100.0 : 0.0
        }
    }
}

/// TRIX (TA-Lib TRIX): one-bar rate of change (percent) of a triple EMA.
public struct TRIX: StreamingIndicator {
    public let timeperiod: Int
    @usableFromInline var e1: EMA, e2: EMA, e3: EMA
    @usableFromInline var roc: RateOfChange

    /// - Parameter timeperiod: 1...100000 (default 30).
    public init(timeperiod: Int = 30) throws(IndicatorError) {
        try Check.period(timeperiod, "timeperiod", in: 1...maxIndicatorPeriod, "TRIX")
        self.timeperiod = timeperiod
        e1 = EMA(unchecked: timeperiod)
        e2 = EMA(unchecked: timeperiod)
        e3 = EMA(unchecked: timeperiod)
        roc = RateOfChange(unchecked: .roc, timeperiod: 1)
    }

    public var lookback: Int { 3 * (timeperiod - 1) + 1 }

    @inlinable
    public mutating func update(_ x: Double) -> Double? {
        guard let a = e1.update(x), let b = e2.update(a), let c = e3.update(b) else { return nil }
        return roc.update(c)
    }
}
