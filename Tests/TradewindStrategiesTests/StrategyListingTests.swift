import Foundation
import Testing
import TradewindCore
import TradewindEngine
import TradewindStrategies

@Suite struct StrategyListingTests {
    @Test func jsonListingNamesEveryCatalogStrategyWithItsParametersAndKernel() throws {
        let json = StrategyListing.list(json: true)
        let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [[String: Any]]
        #expect(parsed.map { $0["name"] as! String } == StrategyCatalog.names)
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
}

@Suite struct KernelAvailabilityTests {
    static func params(_ name: String, _ overrides: [String: String] = [:]) throws -> StrategyParameters {
        try StrategyCatalog.named(name).parameters(overrides)
    }

    @Test func kernelsApplyOnlyUnderTheSettingsTheyReproduce() throws {
        var nyse = BacktestConfig(commission: .percentOfValue(0.001), slippage: .basisPoints(2))
        nyse.session = SessionPolicy(zone: .newYork, calendar: NYSECalendar.shared, flattenAtClose: true)
        #expect(KernelAvailability.supports("momentum", parameters: try Self.params("momentum"), config: nyse, symbolCount: 1))
        var noFlatten = nyse
        noFlatten.session.flattenAtClose = false
        #expect(!KernelAvailability.supports("momentum", parameters: try Self.params("momentum"), config: noFlatten, symbolCount: 1))
        #expect(!KernelAvailability.supports("momentum", parameters: try Self.params("momentum"), config: nyse, symbolCount: 2))

        let daily = BacktestConfig(commission: .percentOfValue(0.001))
        #expect(KernelAvailability.supports("rsi2", parameters: try Self.params("rsi2"), config: daily, symbolCount: 1))
        #expect(!KernelAvailability.supports("rsi2", parameters: try Self.params("rsi2", ["filter_trend": "true"]), config: daily, symbolCount: 1))
        #expect(!KernelAvailability.supports("rsi2", parameters: try Self.params("rsi2", ["hedge_symbol": "SH"]), config: daily, symbolCount: 1))
        #expect(KernelAvailability.supports("sma-cross", parameters: try Self.params("sma-cross"), config: daily, symbolCount: 1))
        var perShare = daily
        perShare.commission = CommissionModel(perShare: 0.005, minimum: 1)
        #expect(!KernelAvailability.supports("sma-cross", parameters: try Self.params("sma-cross"), config: perShare, symbolCount: 1))
        var close = daily
        close.fillTiming = .signalClose
        #expect(!KernelAvailability.supports("sma-cross", parameters: try Self.params("sma-cross"), config: close, symbolCount: 1))
        #expect(!KernelAvailability.supports("ema-cross", parameters: try Self.params("ema-cross"), config: daily, symbolCount: 1))
        #expect(KernelAvailability.costs(of: nyse) == KernelCosts(commission: 0.001, slippageBps: 2))
    }
}
