import Testing
import TradewindCore
import TradewindData
import TradewindEngine
import TradewindIndicators
import TradewindOptimizer
import TradewindReports
import TradewindStrategies

// A strategy written outside Tradewind, as a user's own package would: public API only (no `@testable`), one
// file, registered in a catalog and run through the library's entry points for backtests, optimization and
// reports. README's "Write your own strategy" shows the same code.

/// `ema-trend`: long while the close is above its EMA(period), flat below it.
struct EMATrend: ParameterizedStrategy {
    static let name = "ema-trend"
    static let summary = "Long while the close is above EMA(period), flat below it."
    static let parameterSpecs = [ParameterSpec("period", .int(2...500), default: .int(20), "EMA period (bars).")]
    let period: Int
    private var ema: IndicatorHandle<EMA>?

    init(parameters: StrategyParameters) throws(ParameterError) { period = try parameters.int("period") }

    mutating func onStart(_ context: some TradingContext) throws {
        // Registered once: the context feeds every symbol's closes to its own EMA and plots it in reports.
        ema = context.register(try EMA(timeperiod: period), name: "EMA(\(period))", pane: .price)
    }

    mutating func onBar(_ context: some TradingContext) throws {
        for s in 0..<context.symbolCount where context.hasBar(s) {
            guard let ema, let average = context.value(ema, s) else { continue }
            let held = context.position(s)
            if context.close(s) > average && held == 0 { context.buy(s, .allAvailable) }
            if context.close(s) < average && held > 0 { context.closePosition(s) }
        }
    }
}

extension EMATrend: CatalogStrategy {
    static let rules = "Buy with all cash when the close is above EMA(period); sell everything when it is below."
}

@Suite struct OwnStrategyTests {
    static func catalog() throws -> StrategyCatalog { try StrategyCatalog.builtIn.registering(EMATrend.self) }
    static func spy() throws -> MarketDataset { try DataSource(parsing: "sample:spy-daily").load() }

    @Test func aPackagesStrategyIsListedShownAndBacktestedThroughItsCatalog() throws {
        let catalog = try Self.catalog()
        #expect(catalog.names.last == "ema-trend")
        #expect(StrategyListing.list(json: false, catalog: catalog).contains("ema-trend"))
        #expect(try StrategyListing.show("ema-trend", catalog: catalog).contains("Buy with all cash"))
        let result = try catalog.run("ema-trend", parameters: ["period": "50"], data: try Self.spy())
        #expect(result.trades.count > 10)
        // The same run as the strategy's own type through the engine.
        var direct = try EMATrend(parameters: catalog.named("ema-trend").parameters(["period": "50"]))
        let again = try Backtest.run(&direct, data: try Self.spy())
        #expect(again.finalEquity == result.finalEquity)
        #expect(throws: DuplicateStrategyError.self) { try catalog.registering(EMATrend.self) }
    }

    @Test func aMistypedParameterIsAClearErrorNotATrap() throws {
        let catalog = try Self.catalog()
        #expect(throws: ParameterError.self) { try catalog.named("ema-trend").parameters(["perod": "5"]) }
        let p = try catalog.named("ema-trend").parameters([:])
        #expect(throws: ParameterError.undeclared(name: "perod", declared: ["period"])) { try p.int("perod") }
        #expect(throws: ParameterError.self) { try p.bool("period") }
        #expect(try p.real("period") == 20)
    }

    @Test func aPackagesStrategyIsOptimisedAndReported() throws {
        let descriptor = try Self.catalog().named("ema-trend")
        let space = try SpaceBuilder.space(strategy: descriptor, grids: ["period=10:60:10"])
        let job = OptimizationJob(strategy: descriptor, space: space,
                                  constraints: try SpaceBuilder.constraints(strategy: descriptor, extra: [], space: space),
                                  settings: SearchSettings(method: .grid, topK: 10), config: BacktestConfig(),
                                  validation: .none, allowKernel: true, threads: 1)
        let series = try Self.spy().series[0]
        let outcome = try SearchRunner.run(job.settings, evaluator: job.evaluator(series), constraints: job.constraints)
        #expect(outcome.evaluations == 6 && outcome.top.count == 6)

        let parameters = try descriptor.parameters(["period": "30"])
        let data = try Self.spy()
        let result = try descriptor.run(parameters, data, BacktestConfig())
        let input = try BacktestReportAdapter.input(result: result, data: data, context: .init(
            strategy: "ema-trend", parameters: parameters, catalog: try Self.catalog()))
        let html = BacktestReport.render(input)
        #expect(html.contains("EMA(30)"))
    }
}
