import Foundation
import Testing
import TradewindAlpaca
import TradewindCore
import TradewindEngine
import TradewindExchange
import TradewindProviders
import TradewindLive
import TradewindStrategies

/// The live-trading parity across a real network protocol: the runtime trading through `AlpacaBroker` (REST and
/// the `trade_updates` stream) against the exchange replaying a recording, stepped in lockstep with it, records the
/// fills, trades and equity `tradewind backtest` records on the same bars.
@Suite struct AlpacaBrokerParityTests {
    @Test func smaCrossThroughAlpacaEqualsTheBacktest() async throws {
        let data = ExchangeHarness.recording(symbols: ["AAA"], days: 2)
        var config = BacktestConfig(initialCash: 100_000)
        config.session = .nyse
        let strategy = try SMACross(fast: 5, slow: 20)
        let expected = try await ReplaySession(data: data, config: config).run(strategy)
        #expect(expected.fills.count > 10, "the recording must make the strategy trade")

        let market = try ExchangeMarket(data: data, config: config)
        let result = try await ExchangeHarness.with(market) { x in
            let broker = AlpacaBroker(client: x.client())
            try await broker.connect(symbols: market.replay.symbols, timeout: .seconds(60))
            defer { broker.disconnect() }
            let runtime = try TradingRuntime(strategy: strategy, symbols: market.replay.symbols, interval: .minute,
                                             config: config, broker: broker, runID: "parity")
            try runtime.start()
            for step in market.replay.timeline {
                market.advance(1)
                // Lockstep: every event the exchange published has reached the broker before the runtime sees the bar…
                #expect(await eventually { broker.eventsReceived == market.tradeUpdatesPublished })
                try runtime.process(step)
                // …and every order the strategy placed on it has reached the exchange before the next bar.
                await broker.settled()
            }
            #expect(await eventually { broker.eventsReceived == market.tradeUpdatesPublished })
            return try await runtime.finish()
        }
        let rejected = result.orderLog.filter { $0.status == .rejected }.map(\.reason)
        #expect(rejected.isEmpty, "rejected: \(rejected)")
        #expect(result.fills.count == expected.fills.count)
        func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-9 * max(abs(a), abs(b), 1) }
        for (a, b) in zip(result.fills, expected.fills) {
            #expect(a.step == b.step && a.side == b.side && close(a.quantity, b.quantity) && close(a.price, b.price),
                    "fill \(a) vs \(b)")
        }
        #expect(result.trades.count == expected.trades.count)
        for (a, b) in zip(result.trades, expected.trades) {
            #expect(a.entryStep == b.entryStep && a.exitStep == b.exitStep && close(a.netPnL, b.netPnL), "trade \(a) vs \(b)")
        }
        #expect(close(result.finalEquity, expected.finalEquity))
        let account = market.account()
        #expect(close(AlpacaJSON.number(account.equity) ?? 0, expected.finalEquity), "the exchange's books agree")
    }

    @Test func aRestartCatchesUpFromRESTWithNothingLostOrDoubled() async throws {
        let data = ExchangeHarness.recording(symbols: ["AAA"], days: 1)
        try await ExchangeHarness.with(try ExchangeHarness.market(data)) { x in
            let c = x.client()
            x.market.advance(1)
            // Orders placed and filled while no broker listened (a crash, or another process).
            _ = try await c.submit(AlpacaOrderRequest(symbol: "AAA", qty: "4", side: "buy", type: "market", timeInForce: "day",
                                                      clientOrderId: "before-1"))
            x.market.advance(1)
            _ = try await c.submit(AlpacaOrderRequest(symbol: "AAA", qty: "1", side: "sell", type: "market", timeInForce: "day",
                                                      clientOrderId: "before-2"))
            x.market.advance(1)
            let broker = AlpacaBroker(client: c)
            try await broker.connect(symbols: ["AAA"], timeout: .seconds(60))
            defer { broker.disconnect() }
            let first = try await broker.updates(after: nil)
            let again = try await broker.updates(after: nil)
            let fills = first.compactMap { u -> Double? in
                if case .fill(let q, _, _, _) = u.kind { return q }
                return nil
            }
            #expect(fills == [4, 1])
            #expect(Set(first.map(\.eventID)).count == first.count, "ids are unique")
            #expect(again.isEmpty, "a second catch-up gives nothing already given")
            let account = try await broker.account()
            #expect(account.positions == ["AAA": 3])
        }
    }

    /// Events published before the broker listened never reach it: lockstep counts from its connection, so it neither
    /// waits for them nor skips the ones published afterwards.
    @Test func lockstepIgnoresEventsPublishedBeforeTheConnectionAndWaitsForLaterOnes() async throws {
        let data = ExchangeHarness.recording(symbols: ["AAA"], days: 1)
        try await ExchangeHarness.with(try ExchangeHarness.market(data)) { x in
            let c = x.client()
            x.market.advance(1)
            _ = try await c.submit(AlpacaOrderRequest(symbol: "AAA", qty: "4", side: "buy", type: "market", timeInForce: "day",
                                                      clientOrderId: "earlier-run"))
            x.market.advance(1)
            let broker = AlpacaBroker(client: c)
            try await broker.connect(symbols: ["AAA"], timeout: .seconds(60))
            defer { broker.disconnect() }
            try await broker.catchUpWithExchange(timeout: .seconds(10))
            let before = broker.eventsReceived
            _ = try await c.submit(AlpacaOrderRequest(symbol: "AAA", qty: "1", side: "sell", type: "market", timeInForce: "day",
                                                      clientOrderId: "this-run"))
            x.market.advance(1)
            try await broker.catchUpWithExchange(timeout: .seconds(60))
            #expect(broker.eventsReceived >= before + 2, "the new and fill events of this run's order arrived before it returned")
        }
    }
}

@Suite struct AlpacaBrokerStartTests {
    /// An account that is not flat no longer stops the start: the runtime's reconciliation adopts its position and
    /// flags the order nobody here placed as external.
    @Test func anAccountThatIsNotFlatIsReconciledAtTheStart() async throws {
        try await ExchangeHarness.with(try ExchangeHarness.market()) { x in
            let c = x.client()
            x.market.advance(1)
            _ = try await c.submit(AlpacaOrderRequest(symbol: "AAA", qty: "2", side: "buy", type: "market", timeInForce: "day",
                                                      clientOrderId: "placed-by-hand"))
            x.market.advance(1)
            let broker = AlpacaBroker(client: c)
            defer { broker.disconnect() }
            try await broker.connect(symbols: ["AAA", "BBB"], timeout: .seconds(60))
            let p = try StrategyCatalog.builtIn.named("sma-cross").parameters(["fast": "5", "slow": "20"])
            let runtime = try TradingRuntime(strategy: try SMACross(parameters: p), symbols: ["AAA", "BBB"], interval: .minute,
                                             config: BacktestConfig(), broker: broker)
            runtime.log = { _ in }
            let report = try await runtime.reconcile()
            #expect(report.positions == ["AAA": 2])
            #expect(report.externalOrders.count == 1 && report.externalOrders[0].contains("placed-by-hand"), "\(report.externalOrders)")
            #expect(report.mismatches.isEmpty)
        }
    }
}
