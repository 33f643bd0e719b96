import Foundation
import Testing
import TradewindAlpaca
import TradewindExchange

/// `tradewind exchange serve --state DIR`: a market started again on the directory another one wrote (as after a
/// `kill -9`) holds the same orders, fills, positions, account and clock, and goes on producing the same ids and
/// events as one that never stopped.
@Suite struct ExchangeStateTests {
    static func stateDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("tw-exchange-state-\(UUID().uuidString)").path
    }

    struct Snapshot: Equatable {
        let orders: [AlpacaOrder]
        let positions: [AlpacaPosition]
        let account: AlpacaAccount
        let steps: Int
        let events: Int

        init(_ m: ExchangeMarket) {
            orders = m.orders(status: "all", limit: 10_000, ascending: true, after: nil, until: nil, symbols: nil, nested: false)
            positions = m.positions()
            account = m.account()
            steps = m.stepsPlayed
            events = m.tradeUpdatesPublished
        }
    }

    /// Orders of each kind of command: filled, resting, replaced, cancelled, refused; the clock moved between them.
    static func trade(_ m: ExchangeMarket) throws {
        m.advance(3)
        _ = try m.submit(AlpacaOrderRequest(symbol: "AAA", qty: "10", side: "buy", type: "market", timeInForce: "day", clientOrderId: "buy-1"))
        m.advance(2)
        let resting = try m.submit(AlpacaOrderRequest(symbol: "BBB", qty: "5", side: "buy", type: "limit", timeInForce: "gtc",
                                                      limitPrice: "1", clientOrderId: "rest-1"))
        let replaced = try m.replace(orderID: resting.id, with: AlpacaReplaceRequest(qty: "6", limitPrice: "2"))
        m.advance(1)
        _ = try m.submit(AlpacaOrderRequest(symbol: "BBB", qty: "3", side: "buy", type: "limit", timeInForce: "gtc",
                                            limitPrice: "1.5", clientOrderId: "rest-2"))
        try m.cancel(orderID: replaced.id)
        #expect(throws: ExchangeFailure.self) {
            try m.submit(AlpacaOrderRequest(symbol: "AAA", qty: "1", side: "buy", type: "market", timeInForce: "day", clientOrderId: "buy-1"))
        }
        m.advance(4)
        _ = try m.submit(AlpacaOrderRequest(symbol: "AAA", qty: "4", side: "sell", type: "market", timeInForce: "day", clientOrderId: "sell-1"))
        m.advance(2)
    }

    @Test func aRestartedExchangeResumesWithTheSameOrdersFillsPositionsAndClock() throws {
        let dir = Self.stateDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let first = try ExchangeHarness.market()
        #expect(try first.keepState(in: dir) == 0)
        try Self.trade(first)
        let before = Snapshot(first)
        #expect(before.positions.map(\.symbol) == ["AAA"] && before.orders.count >= 5)

        let second = try ExchangeHarness.market()
        #expect(try second.keepState(in: dir) > 0)
        #expect(Snapshot(second) == before)
        // Both go on alike: the same new ids (a client's `updates(after:)` still works) and the same fills.
        for m in [first, second] {
            _ = try m.submit(AlpacaOrderRequest(symbol: "AAA", qty: "2", side: "sell", type: "market", timeInForce: "day"))
            m.advance(3)
        }
        #expect(Snapshot(second) == Snapshot(first))
        // A client order id used before the restart is still refused.
        #expect(throws: ExchangeFailure.self) {
            try second.submit(AlpacaOrderRequest(symbol: "AAA", qty: "1", side: "buy", type: "market", timeInForce: "day", clientOrderId: "sell-1"))
        }
    }

    @Test func aTornLastCommandIsDroppedAndADamagedOneStopsTheStart() throws {
        let dir = Self.stateDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let first = try ExchangeHarness.market()
        try first.keepState(in: dir)
        try Self.trade(first)
        let before = Snapshot(first)
        let file = (dir as NSString).appendingPathComponent("exchange-commands.jsonl")
        let intact = try Data(contentsOf: URL(fileURLWithPath: file))
        // A crash in the middle of writing a command: it was never answered, so it is not played again.
        try (intact + Data(#"{"op":"submit","order":{"symbol":"AA"#.utf8)).write(to: URL(fileURLWithPath: file))
        let resumed = try ExchangeHarness.market()
        try resumed.keepState(in: dir)
        #expect(Snapshot(resumed) == before)
        // The torn bytes were cut: the commands after the restart survive the next one.
        resumed.advance(2)
        let later = Snapshot(resumed)
        let again = try ExchangeHarness.market()
        try again.keepState(in: dir)
        #expect(Snapshot(again) == later)
        let intactNow = try Data(contentsOf: URL(fileURLWithPath: file))
        // Damage before the last line is not a crash: the start stops naming the line.
        try (Data("not a command\n".utf8) + intactNow).write(to: URL(fileURLWithPath: file))
        #expect(throws: ExchangeStateError.self) { try ExchangeHarness.market().keepState(in: dir) }
    }
}
