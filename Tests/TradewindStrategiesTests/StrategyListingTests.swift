import Foundation
import Testing
import TradewindCore
import TradewindEngine
import TradewindStrategies

@Suite struct StrategyListingTests {
    @Test func jsonListingNamesEveryCatalogStrategyWithItsParametersAndKernel() throws {
        let json = StrategyListing.list(json: true)
        let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [[String: Any]]
        #expect(parsed.map { $0["name"] as! String } == StrategyCatalog.builtIn.names)
        let momentum = parsed.first { $0["name"] as? String == "momentum" }!
        #expect((momentum["parameters"] as! [[String: Any]]).map { $0["name"] as! String }
                == ["buy_trigger", "sell_trigger", "stop_loss", "buy_time", "compound"])
        #expect(momentum["kernel"] is String)
        #expect(parsed.first { $0["name"] as? String == "buy-and-hold" }!["kernel"] is NSNull)
    }

    @Test func showPrintsRulesAndParametersAndUnknownNamesListTheKnownOnes() throws {
        let text = try StrategyListing.show("momentum")
        #expect(text.contains("Rules:") && text.contains("buy_time      time-of-day, default 10:00"))
        #expect(throws: UnknownStrategyError.self) { try StrategyListing.show("no-such-strategy") }
    }

    @Test func showListsTheSettingsTheKernelCovers() throws {
        let text = try StrategyListing.show("momentum")
        #expect(text.contains("Covers: " + ExactKernel.costModelSettings) && text.contains("every objective"), "\(text)")
        #expect(text.contains("flatten at close"))
        #expect((try StrategyListing.show("ema-cross")).contains("Covers: " + ExactKernel.accountSettings))
        #expect((try StrategyListing.show("rsi2")).contains("Covers: " + ExactKernel.accountSettings))
        #expect((try StrategyListing.show("sma-cross")).contains("Covers: " + ExactKernel.costModelSettings))
        #expect(!(try StrategyListing.show("buy-and-hold")).contains("Covers:"))
    }

    @Test func requirementsNameTheBacktestSettingsOrTheNamesGiven() throws {
        let text = try StrategyListing.show("open-10am")
        #expect(text.contains("exchange sessions (applied: session nyse); flat at each close (applied: flatten_at_close)"), "\(text)")
        #expect(!text.contains("--"))
        let flagged = try StrategyListing.show("open-10am", naming: { "--" + $0.rawValue })
        #expect(flagged.contains("(applied: --session nyse)") && flagged.contains("(applied: --flatten_at_close)"), "\(flagged)")
    }
}

@Suite struct KernelAvailabilityTests {
    static func params(_ name: String, _ overrides: [String: String] = [:]) throws -> StrategyParameters {
        try StrategyCatalog.builtIn.named(name).parameters(overrides)
    }

    static func series(_ symbol: String, split: Double = 1) -> BarSeries {
        let n = 3
        return BarSeries(symbol: symbol, interval: .daily, time: [0, 1, 2].map { Int64($0) * 86_400_000_000_000 },
                         open: [10, 10, 5], high: [11, 11, 6], low: [9, 9, 4], close: [10, 10, 5],
                         volume: [Double](repeating: 100, count: n),
                         dividend: [Double](repeating: 0, count: n), splitCoefficient: [1, 1, split])
    }
    /// Whether `name`'s declared kernel reproduces the engine for these parameters, settings and data.
    static func supports(_ name: String, parameters: StrategyParameters, config: BacktestConfig, data: MarketDataset) throws -> Bool {
        try StrategyCatalog.builtIn.named(name).kernel?.supports(parameters, config: config, data: data) ?? false
    }

    static let one = MarketDataset([series("A")])
    static let two = MarketDataset([series("A"), series("B")])

    @Test func kernelsAreNotUsedOnDataWithSplitsOrDividends() throws {
        let daily = BacktestConfig(commission: .percentOfValue(0.001))
        let split = MarketDataset([Self.series("A", split: 2)])
        #expect(try !Self.supports("sma-cross", parameters: try Self.params("sma-cross"), config: daily, data: split))
        let adjusted = MarketDataset([Self.series("A", split: 2).adjusted(.splitAndDividend)])
        #expect(try Self.supports("sma-cross", parameters: try Self.params("sma-cross"), config: daily, data: adjusted))
    }

    @Test func kernelsApplyOnlyUnderTheSettingsTheyReproduce() throws {
        var nyse = BacktestConfig(commission: .percentOfValue(0.001), slippage: .basisPoints(2))
        nyse.session = SessionPolicy(zone: .newYork, calendar: NYSECalendar.shared, flattenAtClose: true)
        #expect(try Self.supports("momentum", parameters: try Self.params("momentum"), config: nyse, data: Self.one))
        var noFlatten = nyse
        noFlatten.session.flattenAtClose = false
        #expect(try !Self.supports("momentum", parameters: try Self.params("momentum"), config: noFlatten, data: Self.one))
        #expect(try !Self.supports("momentum", parameters: try Self.params("momentum"), config: nyse, data: Self.two))

        let daily = BacktestConfig(commission: .percentOfValue(0.001))
        #expect(try Self.supports("rsi2", parameters: try Self.params("rsi2"), config: daily, data: Self.one))
        #expect(try Self.supports("rsi2", parameters: try Self.params("rsi2", ["filter_trend": "true"]), config: daily, data: Self.one))
        #expect(try !Self.supports("rsi2", parameters: try Self.params("rsi2", ["hedge_symbol": "SH"]), config: daily, data: Self.one))
        #expect(try Self.supports("sma-cross", parameters: try Self.params("sma-cross"), config: daily, data: Self.one))
        var perShare = daily
        perShare.commission = CommissionModel(perShare: 0.005, minimum: 1)
        #expect(try Self.supports("sma-cross", parameters: try Self.params("sma-cross"), config: perShare, data: Self.one))
        #expect(try Self.supports("momentum", parameters: try Self.params("momentum"), config: { var c = nyse; c.wholeShares = true; return c }(),
                                  data: Self.one))
        #expect(try !Self.supports("momentum", parameters: try Self.params("momentum"), config: { var c = nyse; c.volumeParticipation = 0.1; return c }(),
                                   data: Self.one))
        var close = daily
        close.fillTiming = .signalClose
        #expect(try Self.supports("sma-cross", parameters: try Self.params("sma-cross"), config: close, data: Self.one))
        #expect(try Self.supports("rsi2", parameters: try Self.params("rsi2"), config: close, data: Self.one))
        for name in ["ema-cross", "macd-cross", "bollinger-reversion", "donchian-breakout"] {
            #expect(try Self.supports(name, parameters: try Self.params(name), config: daily, data: Self.one), "\(name)")
            #expect(try Self.supports(name, parameters: try Self.params(name), config: close, data: Self.one), "\(name)")
            #expect(try !Self.supports(name, parameters: try Self.params(name), config: nyse, data: Self.one), "\(name)")
            #expect(try Self.supports(name, parameters: try Self.params(name), config: perShare, data: Self.one), "\(name)")
        }
        #expect(try !Self.supports("buy-and-hold", parameters: try Self.params("buy-and-hold"), config: daily, data: Self.one))
        #expect(ExactKernel.costs(of: nyse) == KernelCosts(commission: 0.001, slippageBps: 2))
    }
}
