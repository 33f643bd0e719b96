import Testing
import TradewindCore
@testable import TradewindEngine

/// `OrderType.openIf`: a conditional market-on-open that decides on exactly one bar.
@Suite struct OpenIfOrderTests {
    /// Hourly bars of one day (09:00…14:00 New York) whose opens are `opens` (high = open + 1, low = open − 1).
    static func bars(_ opens: [Double], hours: [Int]? = nil) -> BarSeries {
        let hh = hours ?? Array(9..<(9 + opens.count))
        return intraday(zip(hh, opens).map { (day: 0, hhmm: $0 * 100, ohlc: ($1, $1 + 1, $1 - 1, $1)) })
    }

    static func at(_ hour: Int) -> UnixNanos { ZoneRules.newYork.instant(CivilDate(year: 2024, month: 3, day: 4)!, hour: hour, minute: 0) }

    @Test func fillsAtTheOpenOfItsFirstActiveBarWhenTheOpenIsAboveTheLevel() throws {
        var id: OrderID = -1
        let r = try run(Self.bars([100, 103, 99, 104])) { c in
            if c.step == 0 { id = c.buy(0, .units(10), .openIf(OpenCondition(above: 102))) }
        }
        #expect(r.fills.count == 1)
        #expect(r.fills[0].price == 103 && r.fills[0].step == 1)
        #expect(r.orders[id].status == .filled)
    }

    @Test func expiresOnItsFirstActiveBarWhenTheOpenFailsAndNeverFillsLater() throws {
        var id: OrderID = -1
        let r = try run(Self.bars([100, 102, 110, 120])) { c in
            if c.step == 0 { id = c.buy(0, .units(10), .openIf(OpenCondition(above: 102))) }   // 102 is not > 102
        }
        #expect(r.fills.isEmpty)
        #expect(r.orders[id].status == .expired)
        #expect(r.events(id).last?.step == 1)
        #expect(r.orders[id].reason.contains("does not satisfy"))
    }

    @Test func inclusiveAndUpperBoundsAreHonoured() throws {
        let r = try run(Self.bars([100, 102, 102, 102, 102])) { c in
            switch c.step {
            case 0: _ = c.buy(0, .units(1), .openIf(OpenCondition(atLeast: 102)), tag: "at-least")
            case 1: _ = c.buy(0, .units(1), .openIf(OpenCondition(below: 102)), tag: "below")
            case 2: _ = c.buy(0, .units(1), .openIf(OpenCondition(atMost: 102)), tag: "at-most")
            case 3: _ = c.buy(0, .units(1), .openIf(OpenCondition(above: 101, atLeast: 102.5)), tag: "both")
            default: break
            }
        }
        #expect(r.orders.map(\.status) == [.filled, .expired, .filled, .expired])
    }

    @Test func waitsForItsBarAndExpiresWhenThatBarIsMissing() throws {
        // Placed at 09:00 for the 12:00 bar: 10:00 and 11:00 are skipped however they open.
        var id: OrderID = -1
        let r = try run(Self.bars([100, 150, 150, 103, 90])) { c in
            if c.step == 0 { id = c.buy(0, .units(10), .openIf(OpenCondition(above: 102, barStart: Self.at(12)))) }
        }
        #expect(r.fills.count == 1)
        #expect(r.fills[0].time == Self.at(12) && r.fills[0].price == 103)
        #expect(r.orders[id].status == .filled)
        // No 11:00 bar: the first bar after 11:00 (12:00) decides, and it is not the 11:00 bar → expired unfilled.
        var missing: OrderID = -1
        let gap = try run(Self.bars([100, 150, 150, 103], hours: [9, 10, 12, 13])) { c in
            if c.step == 0 { missing = c.buy(0, .units(10), .openIf(OpenCondition(above: 102, barStart: Self.at(11)))) }
        }
        #expect(gap.fills.isEmpty)
        #expect(gap.orders[missing].status == .expired)
        #expect(gap.orders[missing].reason.contains("no bar starting"))
        #expect(gap.events(missing).last?.step == 2)
    }

    @Test func slippageAndCommissionApplyAsForAMarketOrder() throws {
        let config = BacktestConfig(commission: .percentOfValue(0.001), slippage: .basisPoints(10))
        let r = try run(Self.bars([100, 103]), config: config) { c in
            if c.step == 0 { _ = c.buy(0, .units(10), .openIf(OpenCondition(above: 102))) }
        }
        let f = try #require(r.fills.first)
        #expect(f.price == 103 * (1 + 10.0 / 10_000))
        #expect(abs(f.commission - f.price * 10 * 0.001) < 1e-12)
    }

    @Test func cancelledWhileWaitingItNeverFillsAndNaNBoundsAreRejected() throws {
        var ids: [OrderID] = []
        let r = try run(Self.bars([100, 110, 120])) { c in
            if c.step == 0 {
                ids.append(c.buy(0, .units(1), .openIf(OpenCondition(above: 1, barStart: Self.at(11)))))
                ids.append(c.buy(0, .units(1), .openIf(OpenCondition(above: .nan))))
            }
            if c.step == 1 { _ = c.cancel(ids[0]) }
        }
        #expect(r.fills.isEmpty)
        #expect(r.orders[ids[0]].status == .cancelled)
        #expect(r.orders[ids[1]].status == .rejected)
        #expect(OrderType.openIf(OpenCondition()).name == "open-if")
    }
}
