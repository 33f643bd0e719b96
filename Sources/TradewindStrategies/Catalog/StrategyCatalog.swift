import TradewindCore
import TradewindEngine

/// A strategy the CLI, optimizer and UI can list, validate and run by name.
public struct StrategyDescriptor: Sendable {
    public let name: String
    public let summary: String
    public let parameterSpecs: [ParameterSpec]
    /// Builds the strategy from validated parameters and runs it through a loop specialised for its type.
    public let run: @Sendable (StrategyParameters, MarketDataset, BacktestConfig) throws -> BacktestResult
    /// `run` on a market prepared once (`PreparedMarket`), for many runs on the same data.
    public let runPrepared: @Sendable (StrategyParameters, PreparedMarket, BacktestConfig) throws -> BacktestResult

    init<S: ParameterizedStrategy & SendableMetatype>(_ type: S.Type) {
        name = S.name
        summary = S.summary
        parameterSpecs = S.parameterSpecs
        run = { parameters, data, config in
            var strategy = try S(parameters: parameters)
            return try Backtest.run(&strategy, data: data, config: config)
        }
        runPrepared = { parameters, market, config in
            var strategy = try S(parameters: parameters)
            return try Backtest.run(&strategy, market: market, config: config)
        }
    }

    /// Validates `name=value` texts against this strategy's specs (defaults for the rest).
    public func parameters(_ overrides: [String: String]) throws(ParameterError) -> StrategyParameters {
        try StrategyParameters(specs: parameterSpecs, strategy: name, parsing: overrides)
    }
}

/// An unknown strategy name.
public struct UnknownStrategyError: Error, CustomStringConvertible {
    public let name: String
    public let known: [String]
    public var description: String { "unknown strategy '\(name)'; available: \(known.joined(separator: ", "))" }
}

/// Maps strategy names to their descriptors.
public enum StrategyCatalog {
    public static let all: [StrategyDescriptor] = [
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
    ]

    public static var names: [String] { all.map(\.name) }

    public static func named(_ name: String) throws(UnknownStrategyError) -> StrategyDescriptor {
        guard let d = all.first(where: { $0.name == name }) else { throw UnknownStrategyError(name: name, known: names) }
        return d
    }

    /// Looks up `name`, validates `parameters` (`name=value` texts) and runs it.
    public static func run(_ name: String, parameters: [String: String] = [:], data: MarketDataset,
                           config: BacktestConfig = BacktestConfig()) throws -> BacktestResult {
        let d = try named(name)
        return try d.run(try d.parameters(parameters), data, config)
    }
}
