import Testing
import TradewindCore
@testable import TradewindEngine

@Suite("Order types fill where the fill model says")
struct OrderFillTests {
    let bars: [(Double, Double, Double, Double)] = [
        (100, 101, 99, 100), (102, 105, 101, 104), (103, 104, 95, 96), (90, 92, 88, 91), (91, 99, 90, 98),
    ]

    @Test func marketOrderFillsAtNextBarsOpen() throws {
        let r = try run(daily(bars)) { ctx in if ctx.step == 0 { ctx.buy(0, .units(10)) } }
        #expect(r.fills.count == 1)
        #expect(r.fills[0].price == 102 && r.fills[0].step == 1)
        #expect(r.orders[0].status == .filled)
        #expect(r.orderLog.map(\.status) == [.submitted, .working, .filled])
    }

    @Test func marketOrderFillsAtSignalCloseInCloseMode() throws {
        let r = try run(daily(bars), config: BacktestConfig(fillTiming: .signalClose)) { ctx in
            if ctx.step == 0 { ctx.buy(0, .units(10)) }
        }
        #expect(r.fills[0].price == 100 && r.fills[0].step == 0)
        #expect(r.equity.equity[0] == 100_000)
    }

    @Test func limitBuyFillsAtItsPriceWhenTouched() throws {
        let r = try run(daily(bars)) { ctx in if ctx.step == 1 { ctx.buy(0, .units(1), .limit(97)) } }
        #expect(r.fills.map(\.price) == [97])
        #expect(r.fills[0].step == 2)
    }

    @Test func limitBuyFillsAtTheOpenWhenTheBarGapsBelowIt() throws {
        let r = try run(daily(bars)) { ctx in if ctx.step == 2 { ctx.buy(0, .units(1), .limit(93)) } }
        #expect(r.fills.map(\.price) == [90])
    }

    @Test func stopSellGappedThroughFillsAtTheOpen() throws {
        let r = try run(daily(bars)) { ctx in
            if ctx.step == 0 { ctx.buy(0, .units(10)) }
            if ctx.step == 2 { ctx.sell(0, .units(10), .stop(94)) }
        }
        #expect(r.fills.map(\.price) == [102, 90])
    }

    @Test func stopSellTouchedIntrabarFillsAtTheStop() throws {
        let r = try run(daily(bars)) { ctx in
            if ctx.step == 0 { ctx.buy(0, .units(10)) }
            if ctx.step == 1 { ctx.sell(0, .units(10), .stop(97)) }
        }
        #expect(r.fills.map(\.price) == [102, 97])
        #expect(r.trades.count == 1 && r.trades[0].grossPnL == -50)
    }

    @Test func stopLimitTriggersThenFillsOnlyAtItsLimitOrBetter() throws {
        // Buy stop-limit: stop 104.5, limit 104.8. Bar 1 rises through 104.5 (high 105) → fills at the stop.
        let r1 = try run(daily(bars)) { ctx in if ctx.step == 0 { ctx.buy(0, .units(1), .stopLimit(stop: 104.5, limit: 104.8)) } }
        #expect(r1.fills.map(\.price) == [104.5])
        // Sell stop-limit: stop 97, limit 96.5 — bar 2 falls to 95: triggers at 97 and fills at 97 (≥ limit).
        // Bar 3 gaps to 90, below a 94/93 stop-limit: triggered at the open but 90 < 93, and the bar never gets
        // back to 93 (high 92) → no fill; bar 4 trades up to 99 → fills at the limit 93.
        let r2 = try run(daily(bars), config: BacktestConfig(account: .regT)) { ctx in
            if ctx.step == 2 { ctx.sell(0, .units(1), .stopLimit(stop: 94, limit: 93)) }
        }
        #expect(r2.fills.map(\.price) == [93])
        #expect(r2.fills[0].step == 4)
        #expect(r2.orderLog.contains { $0.status == .triggered && $0.step == 3 })
    }

    @Test func trailingStopRatchetsWithHighsAndFillsAtItsLevel() throws {
        let b: [(Double, Double, Double, Double)] = [
            (100, 100, 100, 100), (100, 101, 99, 100), (101, 110, 100, 109), (109, 112, 108, 111), (111, 111, 100, 101),
        ]
        let r = try run(daily(b)) { ctx in
            if ctx.step == 0 { ctx.buy(0, .units(1)) }
            if ctx.step == 1 { ctx.sell(0, .units(1), .trailingStop(.percent(0.05))) }
        }
        // Trail starts at 100 (close of bar 1) → 95; bar 2 high 110 → 104.5; bar 3 high 112 → 106.4;
        // bar 4 falls to 100: fills at 106.4.
        #expect(r.fills.count == 2)
        #expect(abs(r.fills[1].price - 106.4) < 1e-9 && r.fills[1].step == 4)
        let amount = try run(daily(b)) { ctx in
            if ctx.step == 0 { ctx.buy(0, .units(1)) }
            if ctx.step == 1 { ctx.sell(0, .units(1), .trailingStop(.amount(3))) }
        }
        #expect(amount.fills[1].price == 109 && amount.fills[1].step == 4)
    }

    @Test func marketOnOpenAndOnCloseUseSessionBoundaries() throws {
        let s = intraday([
            (0, 930, (10, 10, 10, 10)), (0, 1000, (11, 11, 11, 11)), (0, 1500, (12, 12, 12, 12.5)),
            (1, 930, (13, 13, 13, 13)), (1, 1000, (14, 14, 14, 14)), (1, 1500, (15, 15, 15, 15.5)),
        ])
        let r = try run(s) { ctx in
            if ctx.step == 1 {
                ctx.buy(0, .units(1), .marketOnOpen)
                ctx.buy(0, .units(1), .marketOnClose)
            }
        }
        // MOC placed at 10:00 fills at the 15:00 bar's close the same day; MOO at the next session's open.
        #expect(r.fills.map(\.price) == [12.5, 13])
        #expect(r.fills.map(\.step) == [2, 3])
    }
}
