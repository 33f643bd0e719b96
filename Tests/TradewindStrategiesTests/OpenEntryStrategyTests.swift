import Testing
import TradewindCore
import TradewindData
import TradewindEngine
import TradewindStrategies

/// The open-at-buy-time strategies through the catalog, on the hand-checked eqker SPY sessions.
@Suite struct OpenEntryStrategyTests {
    static let config = BacktestConfig(session: SessionPolicy(zone: .newYork, calendar: NYSECalendar.shared, flattenAtClose: true))

    @Test func open10amBuysAtTheTenOClockOpensOfTheHandCheckedSessions() throws {
        // IntradayHandCheckedTests: with buy_trigger 0.5, sell_trigger 0.3, stop 0.2 the 10:00 entries are
        // 2019-02-12 at 273.03, 02-13 at 275.53 and 02-15 at 276.58.
        let spy = MarketDataset([try SampleBars.eqkerMinute("SPY")])
        let r = try StrategyCatalog.builtIn.run("open-10am-stop", parameters: ["buy_trigger": "0.5", "sell_trigger": "0.3", "stop_loss": "0.2"],
                                        data: spy, config: Self.config)
        let entries = r.closedTrades.map { (ISO8601.utc($0.entryTime), $0.entryPrice) }
        #expect(entries.contains { $0.0 == "2019-02-12T15:00:00Z" && $0.1 == 273.03 })
        #expect(entries.contains { $0.0 == "2019-02-13T15:00:00Z" && $0.1 == 275.53 })
        #expect(entries.contains { $0.0 == "2019-02-15T15:00:00Z" && $0.1 == 276.58 })
        // Every entry is a 10:00 open; orders that did not fill expired on that bar.
        #expect(r.closedTrades.allSatisfy { ZoneRules.newYork.localTimeOfDayNanos(of: $0.entryTime) == 600 * UnixTime.nanosPerMinute })
        #expect(r.orders.filter { $0.request.tag == "entry" }.allSatisfy { $0.status == .filled || $0.status == .expired })
    }

    /// The entry order is placed once, at buy_time on the session clock, with the VWAP of the bars before it (it used
    /// to be placed on the 09:40 close and replaced on every later bar, which needed a bar before buy_time).
    @Test func vwapMomentumPlacesOneOrderAtBuyTimeWithTheVWAPSoFarAndChecksItsParameters() throws {
        let spy = MarketDataset([try SampleBars.eqkerMinute("SPY")])
        let r = try StrategyCatalog.builtIn.run("vwap-momentum", parameters: ["buy_trigger": "0.05", "sell_trigger": "0.3"], data: spy,
                                        config: Self.config)
        #expect(r.closedTrades.contains { ISO8601.utc($0.entryTime) == "2019-02-12T15:00:00Z" && $0.entryPrice == 273.03 })
        let entries = r.orders.filter { $0.request.tag == "entry" }
        #expect(!entries.isEmpty && !r.orders.contains { $0.status == .replaced })
        #expect(entries.allSatisfy { ZoneRules.newYork.localTimeOfDayNanos(of: $0.submittedAt) == 600 * UnixTime.nanosPerMinute })
        #expect(throws: ParameterError.self) {
            _ = try StrategyCatalog.builtIn.run("vwap-momentum", parameters: ["reference_time": "10:00"], data: spy, config: Self.config)
        }
        // buy_time 09:30 is valid now (the order needs no earlier bar: the 09:30 open decides); before the open is not.
        #expect(throws: ParameterError.self) { try StrategyCatalog.builtIn.named("open-10am").parameters(["buy_time": "09:29"]) }
        #expect(try StrategyCatalog.builtIn.named("open-10am").parameters(["buy_time": "09:30"]).timeOfDay("buy_time") == 570)
    }

    @Test func intradayStrategiesMapToTheirKernelRules() throws {
        for (name, rule) in [("open-10am", "open-10am"), ("open-10am-stop", "open-10am"), ("vwap-momentum", "vwap-momentum"),
                             ("momentum", "momentum")] {
            let kernel = try #require(try StrategyCatalog.builtIn.named(name).kernel)
            #expect(kernel.summary.contains("IntradayKernel (rule \(rule))"))
            #expect(kernel.exactMetrics == KernelMetric.all)
        }
        #expect(try StrategyCatalog.builtIn.named("buy-and-hold").kernel == nil)
        #expect(try StrategyListing.show("open-10am").contains("conditional market-on-open"))
    }
}
