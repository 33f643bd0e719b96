import Foundation
import Testing
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
