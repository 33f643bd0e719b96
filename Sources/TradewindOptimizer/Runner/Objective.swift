import TradewindAnalytics
import TradewindCore
import TradewindEngine
import TradewindStrategies

/// A backtest metric a search can rank by: the keys of `tradewind backtest --json`, with the same
/// definitions (`BacktestSummary`): rates are fractions and `max_drawdown` is positive.
public enum OptimizationMetric: String, Sendable, Hashable, CaseIterable, Codable {
    case finalEquity = "final_equity"
    case totalReturn = "total_return"
    case cagr
    case volatility
    case sharpe
    case sortino
    case calmar
    case maxDrawdown = "max_drawdown"
    case trades
    case winRate = "win_rate"
    case profitFactor = "profit_factor"
    case exposure

    /// The metric's position in a `TrialMetrics` vector.
    public var index: Int { OptimizationMetric.allCases.firstIndex(of: self)! }

    /// Metrics a kernel can report (`KernelMetric`; each kernel declares which of them it reports exactly).
    public static let kernelMetrics = Set(KernelMetric.allCases.map(OptimizationMetric.init(kernel:)))

    /// The optimization metric a kernel figure is.
    public init(kernel metric: KernelMetric) {
        switch metric {
        case .finalEquity: self = .finalEquity
        case .totalReturn: self = .totalReturn
        case .cagr: self = .cagr
        case .volatility: self = .volatility
        case .sharpe: self = .sharpe
        case .sortino: self = .sortino
        case .calmar: self = .calmar
        case .maxDrawdown: self = .maxDrawdown
        case .trades: self = .trades
        case .winRate: self = .winRate
        case .profitFactor: self = .profitFactor
        case .exposure: self = .exposure
        }
    }

    /// The names, comma-separated, for help texts.
    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// What a search optimises: a metric and a direction.
///
/// Text form (`--objective`): a metric name, maximised (`sharpe`), or the name after a minus sign,
/// minimised (`-max_drawdown`).
public struct Objective: Sendable, Hashable, CustomStringConvertible {
    public var metric: OptimizationMetric
    public var direction: ObjectiveDirection

    public init(_ metric: OptimizationMetric = .sharpe, _ direction: ObjectiveDirection = .maximize) {
        self.metric = metric
        self.direction = direction
    }

    /// Parses `metric` or `-metric` (minimise).
    public static func parse(_ text: String) throws(OptimizerError) -> Objective {
        let minimise = text.hasPrefix("-")
        let name = minimise ? String(text.dropFirst()) : text
        guard let m = OptimizationMetric(rawValue: name) else {
            throw .invalidArgument(name: "objective", value: "'\(text)'", valid: "a metric (\(OptimizationMetric.names)), prefixed with - to minimise")
        }
        return Objective(m, minimise ? .minimize : .maximize)
    }

    public var description: String { (direction == .minimize ? "-" : "") + metric.rawValue }
}

/// The metrics of one evaluated parameter set, indexed by `OptimizationMetric.index`; NaN where undefined
/// (e.g. the win rate without closed trades).
public struct TrialMetrics: Sendable, Hashable {
    public var values: [Double]
    /// The trial's per-period (not annualised) Sharpe ratio on the overfitting statistics' basis (`SharpeBasis`:
    /// bars, or sessions for intraday data), gathered over trials for the deflated Sharpe ratio; NaN when unknown.
    public var periodSharpe: Double = .nan

    public init(values: [Double]) {
        precondition(values.count == OptimizationMetric.allCases.count)
        self.values = values
    }

    /// All metrics undefined: an infeasible or failed trial.
    public static let undefined = TrialMetrics(values: [Double](repeating: .nan, count: OptimizationMetric.allCases.count))

    public subscript(_ m: OptimizationMetric) -> Double {
        get { values[m.index] }
        set { values[m.index] = newValue }
    }

    /// The metrics `tradewind backtest` reports for the same run.
    public init(summary s: BacktestSummary) {
        var v = TrialMetrics.undefined
        v[.finalEquity] = s.finalEquity
        v[.totalReturn] = s.totalReturn
        v[.cagr] = s.cagr ?? .nan
        v[.volatility] = s.volatility ?? .nan
        v[.sharpe] = s.sharpe ?? .nan
        v[.sortino] = s.sortino ?? .nan
        v[.calmar] = s.calmar ?? .nan
        v[.maxDrawdown] = s.maxDrawdown ?? .nan
        v[.trades] = Double(s.trades)
        v[.winRate] = s.winRate ?? .nan
        v[.profitFactor] = s.profitFactor ?? .nan
        v[.exposure] = s.exposure
        self = v
    }

    /// The metrics a kernel reports: its summary (`KernelSummary`, the engine summary's definitions, NaN where the
    /// summary has none), final equity, return and closed trades.
    public init(kernel k: KernelMetrics) {
        var v = TrialMetrics.undefined
        let s = k.summary
        v[.finalEquity] = k.finalEquity
        v[.totalReturn] = k.totalReturn
        v[.cagr] = s.cagr
        v[.volatility] = s.volatility
        v[.sharpe] = s.sharpe
        v[.sortino] = s.sortino
        v[.calmar] = s.calmar
        v[.maxDrawdown] = s.maxDrawdown
        v[.trades] = Double(k.trades)
        v[.winRate] = s.winRate
        v[.profitFactor] = s.profitFactor
        v[.exposure] = s.exposure
        self = v
    }
}
