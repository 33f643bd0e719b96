import TradewindCore
import TradewindEngine

/// A strategy the CLI, optimizer, reports and server can list, validate and run by name: everything its type
/// declares (`CatalogStrategy`), and runs specialised for its type.
public struct StrategyDescriptor: Sendable {
    public let name: String
    public let summary: String
    public let parameterSpecs: [ParameterSpec]
    /// The exact rules, as `tradewind strategy show` prints them.
    public let rules: String
    /// Constraint expressions between parameters (`fast < slow`).
    public let constraints: [String]
    public let requirements: StrategyRequirements
    /// The strategy's exact fast kernel, if any.
    public let kernel: ExactKernel?
    /// The warm-up the strategy needs with these parameters, in bars (`CatalogStrategy.warmupBars`).
    public let warmupBars: @Sendable (StrategyParameters) -> Int
    /// The indicators the strategy plots for one symbol's bars.
    public let plots: @Sendable (StrategyParameters, BarSeries) throws -> [StrategyPlot]
    /// Builds the strategy from validated parameters and runs it through a loop specialised for its type.
    public let run: @Sendable (StrategyParameters, MarketDataset, BacktestConfig) throws -> BacktestResult
    /// `run` on a market prepared once (`PreparedMarket`), for many runs on the same data.
    public let runPrepared: @Sendable (StrategyParameters, PreparedMarket, BacktestConfig) throws -> BacktestResult
    /// Builds the strategy from `parameters` and a streamed run of it, specialised for its type (the live runtime).
    public let stream: @Sendable (StrategyParameters, StreamingSetup) throws -> StreamingDriver

    /// The descriptor of `S`: how a strategy of any package enters a catalog (`StrategyCatalog.registering`).
    public init<S: CatalogStrategy>(_ type: S.Type) {
        name = S.name
        summary = S.summary
        parameterSpecs = S.parameterSpecs
        rules = S.rules
        constraints = S.constraints
        requirements = S.requirements
        kernel = S.kernel
        plots = { parameters, bars in try S.plots(parameters, bars: bars) }
        warmupBars = { parameters in S.warmupBars(parameters) }
        run = { parameters, data, config in
            var strategy = try S(parameters: parameters)
            return try Backtest.run(&strategy, data: data, config: config)
        }
        runPrepared = { parameters, market, config in
            var strategy = try S(parameters: parameters)
            return try Backtest.run(&strategy, market: market, config: config)
        }
        stream = { parameters, setup in try StreamingDriver(try S(parameters: parameters), setup: setup) }
    }

    /// Validates `name=value` texts against this strategy's specs (defaults for the rest).
    public func parameters(_ overrides: [String: String]) throws(ParameterError) -> StrategyParameters {
        try StrategyParameters(specs: parameterSpecs, strategy: name, parsing: overrides)
    }

    /// `config` completed with what the strategy needs (its `requirements`), and a note for each setting that was
    /// applied, the setting called `setting(field)` (default: its `BacktestSettings` field name; the command line
    /// passes its flags); throws when `data` lacks what cannot be applied (intraday bars, a symbol a parameter names).
    public func prepare(_ config: BacktestConfig, parameters: StrategyParameters, data: MarketDataset,
                        naming setting: (BacktestSettings.Field) -> String = \.rawValue)
        throws(StrategyRequirementError) -> (config: BacktestConfig, notes: [String]) {
        var config = config
        var notes: [String] = []
        let needs = requirements
        if needs.intradayBars, let daily = data.series.first(where: { !$0.interval.isIntraday }) {
            throw StrategyRequirementError(strategy: name, problem:
                "needs intraday bars (e.g. 1-minute) but \(daily.symbol) has \(daily.interval) bars; use sample:eqker-1m or another minute-bar source")
        }
        if needs.exchangeSessions && config.session.calendar == nil {
            config.session.calendar = NYSECalendar.shared
            config.session.zone = NYSECalendar.shared.zone
            config.session.hours = nil
            notes.append("\(name) trades within exchange sessions: applied the NYSE calendar (\(setting(.session)) nyse)")
        }
        if needs.flattenAtClose && !config.session.flattenAtClose {
            config.session.flattenAtClose = true
            notes.append("\(name) is flat at every session close: applied \(setting(.flattenAtClose))")
        }
        for parameter in needs.symbolParameters {
            guard let symbol = try? parameters.string(parameter), !symbol.isEmpty else { continue }
            guard data.symbols.contains(symbol) else {
                throw StrategyRequirementError(strategy: name, problem:
                    "\(parameter)=\(symbol) names a symbol the data does not have; the data has \(data.symbols.joined(separator: ", "))")
            }
        }
        return (config, notes)
    }
}

/// An unknown strategy name.
public struct UnknownStrategyError: Error, CustomStringConvertible {
    public let name: String
    public let known: [String]
    public var description: String { "unknown strategy '\(name)'; available: \(known.joined(separator: ", "))" }
}

/// The registry of strategies by name: what the CLI, optimizer, reports and server list and run. `builtIn` holds
/// Tradewind's library; a package adds its own strategies with `registering(_:)` and passes the catalog to the
/// library entry points.
public struct StrategyCatalog: Sendable {
    /// The strategies, in listing order.
    public private(set) var all: [StrategyDescriptor]

    public init(_ strategies: [StrategyDescriptor]) { all = strategies }

    /// Tradewind's strategy library.
    public static let builtIn = StrategyCatalog([
        StrategyDescriptor(BuyAndHold.self),
        StrategyDescriptor(SMACross.self),
        StrategyDescriptor(Momentum.self),
        StrategyDescriptor(OpenTenAM.self),
        StrategyDescriptor(OpenTenAMStop.self),
        StrategyDescriptor(VWAPMomentum.self),
        StrategyDescriptor(RSI2.self),
        StrategyDescriptor(EMACross.self),
        StrategyDescriptor(MACDCross.self),
        StrategyDescriptor(BollingerReversion.self),
        StrategyDescriptor(DonchianBreakout.self),
        StrategyDescriptor(SignalStrategy.self),
    ])

    /// This catalog plus `S`; throws when the name is taken.
    public func registering<S: CatalogStrategy>(_ type: S.Type) throws(DuplicateStrategyError) -> StrategyCatalog {
        guard !names.contains(S.name) else { throw DuplicateStrategyError(name: S.name) }
        var copy = self
        copy.all.append(StrategyDescriptor(S.self))
        return copy
    }

    public var names: [String] { all.map(\.name) }

    public func named(_ name: String) throws(UnknownStrategyError) -> StrategyDescriptor {
        guard let d = all.first(where: { $0.name == name }) else { throw UnknownStrategyError(name: name, known: names) }
        return d
    }

    /// Looks up `name`, validates `parameters` (`name=value` texts), applies its requirements and runs it.
    public func run(_ name: String, parameters: [String: String] = [:], data: MarketDataset,
                    config: BacktestConfig = BacktestConfig()) throws -> BacktestResult {
        let d = try named(name)
        let p = try d.parameters(parameters)
        return try d.run(p, data, try d.prepare(config, parameters: p, data: data).config)
    }
}

/// A strategy name registered twice.
public struct DuplicateStrategyError: Error, CustomStringConvertible {
    public let name: String
    public var description: String { "a strategy named '\(name)' is already in the catalog; choose another name" }
}
