import TradewindCore
import TradewindEngine

/// A strategy that describes itself completely, in its own file: what `tradewind strategy list|show`, the
/// optimizer, reports and the server read through the catalog (`StrategyCatalog`). Nothing outside the
/// strategy's file names it.
///
/// Beyond `ParameterizedStrategy` (name, summary, typed parameters, construction from validated values) it
/// declares its exact rules, the constraints between its parameters, what it needs from the data and the run,
/// the indicators it plots in reports, and optionally an exact fast kernel for the optimizer. Every member but
/// `rules` has a default.
public protocol CatalogStrategy: ParameterizedStrategy, SendableMetatype {
    /// The exact rules, as `tradewind strategy show` prints them (plain text, lines of at most ~110 columns).
    static var rules: String { get }
    /// Rules between parameters as constraint expressions (`fast < slow`): the strategy rejects points that break
    /// them; stating them lets a search skip those points.
    static var constraints: [String] { get }
    /// What the strategy needs from the data and the run.
    static var requirements: StrategyRequirements { get }
    /// The indicators the strategy trades on, for the report's price charts of `bars` (one symbol of the run).
    static func plots(_ parameters: StrategyParameters, bars: BarSeries) throws -> [StrategyPlot]
    /// The strategy's exact fast kernel, if it has one.
    static var kernel: ExactKernel? { get }
    /// The bars of history the strategy needs before its first decision is the one it makes on a long history (its
    /// indicators' windows), derived from `parameters`: the warm-up `--warmup auto` gives a run (`Warmup`).
    static func warmupBars(_ parameters: StrategyParameters) -> Int
}

extension CatalogStrategy {
    public static var constraints: [String] { [] }
    public static var requirements: StrategyRequirements { StrategyRequirements() }
    public static func plots(_ parameters: StrategyParameters, bars: BarSeries) throws -> [StrategyPlot] { [] }
    public static var kernel: ExactKernel? { nil }
    public static func warmupBars(_ parameters: StrategyParameters) -> Int { 0 }
}

/// What a strategy needs from the data and the run. A run that lacks what can be applied gets it (the catalog
/// says so in its notes); a run that lacks what cannot be applied is an error (`StrategyRequirementError`).
public struct StrategyRequirements: Sendable, Hashable {
    /// Intraday bars (minutes or hours): the rules are within sessions.
    public var intradayBars: Bool
    /// Exchange sessions from a calendar (holidays, early closes); applied as the NYSE calendar when missing.
    public var exchangeSessions: Bool
    /// Positions closed at each session's close; applied when missing.
    public var flattenAtClose: Bool
    /// Parameters that name another symbol the run must include (rsi2's `hedge_symbol`), when set.
    public var symbolParameters: [String]

    public init(intradayBars: Bool = false, exchangeSessions: Bool = false, flattenAtClose: Bool = false,
                symbolParameters: [String] = []) {
        self.intradayBars = intradayBars
        self.exchangeSessions = exchangeSessions
        self.flattenAtClose = flattenAtClose
        self.symbolParameters = symbolParameters
    }

    /// Intraday rules on exchange sessions, flat at every close (the momentum family).
    public static let intradaySessions = StrategyRequirements(intradayBars: true, exchangeSessions: true, flattenAtClose: true)
}

/// A run that cannot give a strategy what it needs.
public struct StrategyRequirementError: Error, Equatable, CustomStringConvertible {
    public let strategy: String
    public let problem: String
    public var description: String { "\(strategy): \(problem)" }
}

/// One line an indicator draws in a report: on the price chart, or in a pane of its own.
public struct StrategyPlot: Sendable, Equatable {
    public enum Pane: Sendable, Equatable { case price, separate }
    /// A horizontal reference level (`Entry 30`).
    public struct Level: Sendable, Equatable {
        public let value: Double
        public let label: String
        public init(_ value: Double, _ label: String) {
            self.value = value
            self.label = label
        }
    }

    public var name: String
    /// One value per bar of the symbol's series (NaN during warm-up).
    public var values: [Double]
    public var pane: Pane
    public var levels: [Level]
    /// A fixed range for a separate pane (`0...100` for RSI).
    public var range: ClosedRange<Double>?

    public init(_ name: String, _ values: [Double], pane: Pane, levels: [Level] = [], range: ClosedRange<Double>? = nil) {
        self.name = name
        self.values = values
        self.pane = pane
        self.levels = levels
        self.range = range
    }
}
