import Testing
import TradewindCore
@testable import TradewindEngine

@Suite("Brackets, OCO, time in force, cancel and replace")
struct BracketAndTimeInForceTests {
    /// Entry fills at bar 1's open (100); bar 2 touches both the take-profit (110) and the stop-loss (95).
    let bars: [(Double, Double, Double, Double)] = [
        (100, 100, 100, 100), (100, 101, 99, 100), (100, 112, 94, 108), (108, 108, 108, 108),
    ]

    func bracketRun(_ policy: IntrabarPolicy) throws -> BacktestResult {
        try run(daily(bars), config: BacktestConfig(intrabar: policy)) { ctx in
            if ctx.step == 0 { ctx.bracket(.buy(0, .units(10)), takeProfit: 110, stopLoss: 95) }
        }
    }

    @Test func bracketBothTouchedExitsAtTheStopUnderWorst() throws {
        let r = try bracketRun(.worst)
        #expect(r.fills.map(\.price) == [100, 95])
        #expect(r.orders[2].status == .filled && r.orders[1].status == .cancelled)
        #expect(r.orders[1].reason.contains("OCO"))
    }

    @Test func bracketBothTouchedFollowsOpenHighLowCloseUnderPath() throws {
        // close 108 ≥ open 100 → path O→H→L→C: the high (take-profit 110) comes first.
        let r = try bracketRun(.path)
        #expect(r.fills.map(\.price) == [100, 110])
        #expect(r.orders[1].status == .filled && r.orders[2].status == .cancelled)
    }

    @Test func bracketChildrenAreHeldUntilTheEntryFillsAndWorkFromTheNextBar() throws {
        let r = try bracketRun(.worst)
        let tpLog = r.events(1).map(\.status)
        #expect(tpLog.first == .held)
        #expect(r.events(1).first { $0.status == .working }?.step == 2)
        #expect(r.orders[2].filledQuantity == 10)
    }

    @Test func bracketChildrenAreCancelledWhenTheEntryIsCancelled() throws {
        let r = try run(daily(bars)) { ctx in
            if ctx.step == 0 {
                let ids = ctx.bracket(.buy(0, .units(10), .limit(50)), takeProfit: 110, stopLoss: 40)
                ctx.cancel(ids.entry)
            }
        }
        #expect(r.orders.map(\.status) == [.cancelled, .cancelled, .cancelled])
        #expect(r.fills.isEmpty)
    }

    @Test func ocoFillOfOneCancelsTheOther() throws {
        let r = try run(daily(bars)) { ctx in
            if ctx.step == 0 { ctx.oco([.buy(0, .units(1), .stop(111)), .buy(0, .units(1), .limit(99.5))]) }
        }
        // Bar 1 (100/101/99) touches only the limit at 99.5.
        #expect(r.fills.map(\.price) == [99.5])
        #expect(r.orders[0].status == .cancelled && r.orders[0].reason == "OCO: order 1 filled")
    }

    @Test func iocExpiresAfterItsFirstBar() throws {
        let r = try run(daily(bars)) { ctx in if ctx.step == 0 { ctx.buy(0, .units(1), .limit(90), tif: .ioc) } }
        #expect(r.orders[0].status == .expired)
        #expect(r.events(0).last?.step == 1)
    }

    @Test func dayOrderExpiresAtSessionCloseWhileGTCKeepsWorking() throws {
        let s = intraday([
            (0, 1000, (10, 10, 10, 10)), (0, 1100, (10, 10, 10, 10)), (0, 1500, (10, 10, 10, 10)),
            (1, 930, (10, 10, 8, 9)),
        ])
        let r = try run(s) { ctx in
            if ctx.step == 0 {
                ctx.buy(0, .units(1), .limit(8.5), tif: .day)
                ctx.buy(0, .units(1), .limit(8.5), tif: .gtc)
            }
        }
        #expect(r.orders[0].status == .expired && r.events(0).last?.step == 2)
        #expect(r.orders[1].status == .filled && r.fills.map(\.price) == [8.5])
    }

    @Test func dailyDayOrderWorksForOneSession() throws {
        let r = try run(daily(bars)) { ctx in if ctx.step == 0 { ctx.buy(0, .units(1), .limit(94.5), tif: .day) } }
        // Bar 1 (low 99) misses it; it expires at bar 1's close and never sees bar 2's low of 94.
        #expect(r.orders[0].status == .expired && r.fills.isEmpty)
    }

    @Test func replaceCancelsTheOldOrderAndSubmitsTheChangedOne() throws {
        var newID: OrderID?
        let r = try run(daily(bars)) { ctx in
            if ctx.step == 0 { ctx.buy(0, .units(1), .limit(90)) }
            if ctx.step == 1 { newID = ctx.replace(0, type: .limit(96)) }
        }
        #expect(newID == 1)
        #expect(r.orders[0].status == .replaced)
        #expect(r.orders[1].replaces == 0 && r.orders[1].status == .filled)
        #expect(r.fills.map(\.price) == [96])
    }

    @Test func strategyReceivesOrderUpdatesAndFills() throws {
        var s = Scripted { ctx in if ctx.step == 0 { ctx.buy(0, .units(2)) } }
        _ = try Backtest.run(&s, data: MarketDataset([daily(bars)]))
        #expect(s.fills.count == 1 && s.fills[0].quantity == 2)
        #expect(s.updates.map(\.status) == [.submitted, .working, .filled])
    }
}
