import Testing
import TradewindCore
@testable import TradewindEngine

@Suite("Fill-or-kill, limit-on-open/-close and extended-hours orders")
struct AuctionAndExtendedHoursOrderTests {
    /// Bar 1 (100/101/99) reaches a buy limit at 99.5 but not one at 90.
    let bars: [(Double, Double, Double, Double)] = [(100, 100, 100, 100), (100, 101, 99, 100), (100, 100, 100, 100)]

    @Test func fokFillsTheWholeQuantityOnItsFirstBar() throws {
        let r = try run(daily(bars)) { ctx in if ctx.step == 0 { ctx.buy(0, .units(10), .limit(99.5), tif: .fok) } }
        #expect(r.orders[0].status == .filled && r.orders[0].filledQuantity == 10)
        #expect(r.fills.map(\.price) == [99.5] && r.fills.map(\.step) == [1])
    }

    @Test func fokNotReachedOnItsFirstBarIsCancelledWhereIOCExpires() throws {
        let r = try run(daily(bars)) { ctx in
            if ctx.step == 0 {
                ctx.buy(0, .units(10), .limit(90), tif: .fok)
                ctx.buy(0, .units(10), .limit(90), tif: .ioc)
            }
        }
        #expect(r.fills.isEmpty)
        #expect(r.orders[0].status == .cancelled && r.orders[0].reason.contains("FOK"))
        #expect(r.events(0).last?.step == 1)
        #expect(r.orders[1].status == .expired)
    }

    @Test func fokIsNeverPartiallyFilledUnderTheVolumeCapWhereIOCIs() throws {
        // 10 % of a 100-share bar: at most 10 shares per bar.
        let config = BacktestConfig(volumeParticipation: 0.1)
        let fok = try run(daily(bars, volume: 100), config: config) { ctx in
            if ctx.step == 0 { ctx.buy(0, .units(20), .market, tif: .fok) }
        }
        #expect(fok.fills.isEmpty)
        #expect(fok.orders[0].status == .cancelled && fok.orders[0].reason.contains("volume cap allows 10 of 20"))
        let ioc = try run(daily(bars, volume: 100), config: config) { ctx in
            if ctx.step == 0 { ctx.buy(0, .units(20), .market, tif: .ioc) }
        }
        #expect(ioc.fills.map(\.quantity) == [10] && ioc.orders[0].status == .expired)
        let fits = try run(daily(bars, volume: 100), config: config) { ctx in
            if ctx.step == 0 { ctx.buy(0, .units(10), .market, tif: .fok) }
        }
        #expect(fits.fills.map(\.quantity) == [10] && fits.orders[0].status == .filled)
    }

    @Test func limitOnOpenFillsAtTheNextSessionsOpenOnlyWhenTheOpenReachesTheLimit() throws {
        let s = intraday([
            (0, 930, (10, 10, 10, 10)), (0, 1000, (11, 11, 11, 11)), (0, 1500, (12, 12, 12, 12.5)),
            (1, 930, (13, 13, 12, 13)), (1, 1000, (12, 14, 11, 14)),
        ])
        // Placed on the session's last bar: a DAY order then works on the next session (an opg order placed after
        // 19:00 at Alpaca).
        let r = try run(s) { ctx in
            if ctx.step == 2 {
                ctx.buy(0, .units(1), .limitOnOpen(13.5), tif: .day)
                ctx.buy(0, .units(1), .limitOnOpen(12.5), tif: .gtc)
                ctx.sell(0, .units(1), .limitOnOpen(12), tif: .gtc)
            }
        }
        // Only the first buy is reached by the 13 open; the 12.5 buy expires there although the bar later trades at
        // 12 and the next one at 11 (an opening-auction order); the sell at 12 or better fills at the 13 open.
        #expect(r.orders[0].status == .filled && r.orders[0].averageFillPrice == 13)
        #expect(r.orders[1].status == .expired && r.orders[1].reason.contains("limit-on-open"))
        #expect(r.events(1).last?.step == 3)
        #expect(r.orders[2].status == .filled && r.orders[2].averageFillPrice == 13)
        #expect(r.fills.allSatisfy { $0.step == 3 })
    }

    @Test func limitOnCloseFillsAtTheSessionsCloseOnlyWhenTheCloseReachesTheLimit() throws {
        let s = intraday([
            (0, 930, (10, 10, 10, 10)), (0, 1000, (11, 11, 9, 11)), (0, 1500, (12, 12, 12, 12.5)),
            (1, 930, (13, 13, 13, 13)),
        ])
        let r = try run(s) { ctx in
            if ctx.step == 0 {
                ctx.buy(0, .units(1), .limitOnClose(13), tif: .day)
                ctx.buy(0, .units(1), .limitOnClose(12), tif: .gtc)
            }
        }
        // The 10:00 bar trades at 9, below both limits: a closing-auction order waits for the close (12.5).
        #expect(r.orders[0].status == .filled && r.fills.map(\.price) == [12.5] && r.fills.map(\.step) == [2])
        #expect(r.orders[1].status == .expired && r.orders[1].reason.contains("limit-on-close"))
        #expect(r.events(1).last?.step == 2)
    }

    /// 2024-03-04 (a Monday, an NYSE session) with pre-market and after-hours bars, then Tuesday 10:00.
    let extendedDay = intraday([
        (0, 700, (10, 10, 10, 10)), (0, 800, (10, 10, 9, 9.5)), (0, 930, (10, 10, 9, 10)), (0, 1500, (10, 10, 9.6, 10)),
        (0, 1700, (10, 10, 8, 8)), (0, 1930, (10, 10, 10, 10)), (1, 1000, (10, 10, 0.5, 10)),
    ])

    @Test func extendedHoursLimitOrdersFillInThePreMarketAndAfterHoursAndRegularOrdersNever() throws {
        let r = try run(extendedDay, config: BacktestConfig(session: .nyse)) { ctx in
            if ctx.step == 0 {
                ctx.submit(OrderRequest(symbol: 0, side: .buy, type: .limit(9.2), size: .units(1), timeInForce: .day, extendedHours: true))
                ctx.buy(0, .units(1), .limit(9.2), tif: .day)
            }
            if ctx.step == 2 {
                ctx.submit(OrderRequest(symbol: 0, side: .buy, type: .limit(8.5), size: .units(1), timeInForce: .day, extendedHours: true))
                ctx.buy(0, .units(1), .limit(8.5), tif: .day)
            }
        }
        // 08:00 pre-market bar: only the extended order fills; the regular one waits for the 09:30 bar.
        #expect(r.orders[0].status == .filled && r.fills.first { $0.orderID == 0 }?.step == 1)
        #expect(r.orders[1].status == .filled && r.fills.first { $0.orderID == 1 }?.step == 2)
        // 17:00 after-hours bar (low 8): the extended order fills; the regular DAY order expired at the close.
        #expect(r.orders[2].status == .filled && r.fills.first { $0.orderID == 2 }?.step == 4)
        #expect(r.orders[3].status == .expired && r.events(3).last?.step == 3)
    }

    @Test func extendedHoursOrdersWorkUntilTheAfterHoursEnd() throws {
        let r = try run(extendedDay, config: BacktestConfig(session: .nyse)) { ctx in
            if ctx.step == 0 {
                ctx.submit(OrderRequest(symbol: 0, side: .buy, type: .limit(1), size: .units(1), timeInForce: .day, extendedHours: true))
            }
        }
        // Still working after the regular close (16:00), expired before Tuesday's bar, which would have filled it.
        #expect(r.fills.isEmpty)
        #expect(r.orders[0].status == .expired && r.events(0).last?.step == 6)
        #expect(r.orders[0].reason.contains("after-hours"))
        #expect(!r.events(0).contains { $0.status == .expired && $0.step < 6 })
    }

    @Test func extendedHoursAreForDayLimitOrdersUnderRegularHoursOnly() throws {
        let r = try run(extendedDay, config: BacktestConfig(session: .nyse)) { ctx in
            if ctx.step == 0 {
                ctx.submit(OrderRequest(symbol: 0, side: .buy, type: .market, size: .units(1), timeInForce: .day, extendedHours: true))
                ctx.submit(OrderRequest(symbol: 0, side: .buy, type: .limit(9), size: .units(1), timeInForce: .gtc, extendedHours: true))
            }
        }
        #expect(r.orders.map(\.status) == [.rejected, .rejected])
        #expect(r.orders[0].reason.contains("DAY limit") && r.orders[1].reason.contains("gtc limit"))
        let everyBar = try run(extendedDay) { ctx in
            if ctx.step == 0 {
                ctx.submit(OrderRequest(symbol: 0, side: .buy, type: .limit(9), size: .units(1), timeInForce: .day, extendedHours: true))
            }
        }
        #expect(everyBar.orders[0].status == .rejected && everyBar.orders[0].reason.contains("regular hours"))
    }

    @Test func extendedHoursAreTheDaysWallClockTimesAcrossADSTChange() throws {
        // Hours without a calendar, so DST-change Sundays have hours: each boundary is its wall-clock time that day,
        // with the offset in effect then, even when asked from before the change (01:30, before 02:00).
        let zone = ZoneRules.newYork
        let policy = SessionPolicy(zone: zone, hours: (9 * 60 + 30)..<(16 * 60))
        for date in [CivilDate(year: 2024, month: 3, day: 10)!, CivilDate(year: 2024, month: 11, day: 3)!] {
            for (hour, minute) in [(0, 0), (1, 30), (12, 0), (23, 59)] {
                let t = zone.instant(date, hour: hour, minute: minute)
                let day = try #require(policy.extendedTradingDay(containing: t))
                #expect(day.preMarketOpen == zone.instant(date, hour: 4, minute: 0), "\(date) \(hour):\(minute)")
                #expect(day.open == zone.instant(date, hour: 9, minute: 30))
                #expect(day.close == zone.instant(date, hour: 16, minute: 0))
                #expect(day.afterHoursClose == zone.instant(date, hour: 20, minute: 0))
            }
        }
        // Pre-market on the fall-back day starts at 04:00 EST (09:00 UTC), not 04:00 EDT.
        let fall = zone.instant(CivilDate(year: 2024, month: 11, day: 3)!, hour: 1, minute: 30)
        #expect(try #require(policy.extendedTradingDay(containing: fall)).preMarketOpen
                == UnixTime.midnightUTC(CivilDate(year: 2024, month: 11, day: 3)!) + 9 * UnixTime.nanosPerHour)
        // With the NYSE calendar, the sessions either side of each change keep their local hours.
        for (y, m, d) in [(2024, 3, 8), (2024, 3, 11), (2024, 11, 1), (2024, 11, 4)] {
            let date = CivilDate(year: y, month: m, day: d)!
            let day = try #require(SessionPolicy.nyse.extendedTradingDay(containing: zone.instant(date, hour: 3, minute: 0)))
            #expect(day.preMarketOpen == zone.instant(date, hour: 4, minute: 0))
            #expect(day.afterHoursClose == zone.instant(date, hour: 20, minute: 0))
        }
    }

    @Test func extendedHoursFollowTheCalendarsEarlyClose() throws {
        // 2024-07-03 closes at 13:00: after-hours until 17:00; 2024-07-05 is a regular session.
        let policy = SessionPolicy.nyse
        let early = ZoneRules.newYork.instant(CivilDate(year: 2024, month: 7, day: 3)!, hour: 14, minute: 0)
        let day = try #require(policy.extendedTradingDay(containing: early))
        #expect(day.isExtendedHours(early))
        #expect(day.afterHoursClose == ZoneRules.newYork.instant(CivilDate(year: 2024, month: 7, day: 3)!, hour: 17, minute: 0))
        #expect(policy.extendedTradingDay(containing: ZoneRules.newYork.instant(CivilDate(year: 2024, month: 7, day: 4)!, hour: 10, minute: 0)) == nil)
        let late = ZoneRules.newYork.instant(CivilDate(year: 2024, month: 7, day: 3)!, hour: 18, minute: 0)
        #expect(policy.extendedHoursEnd(forOrderPlacedAt: late)
                == ZoneRules.newYork.instant(CivilDate(year: 2024, month: 7, day: 5)!, hour: 20, minute: 0))
        let pre = ZoneRules.newYork.instant(CivilDate(year: 2024, month: 7, day: 5)!, hour: 4, minute: 0)
        #expect(try #require(policy.extendedTradingDay(containing: pre)).isExtendedHours(pre))
        #expect(!(try #require(policy.extendedTradingDay(containing: pre - 1))).isExtendedHours(pre - 1))
    }
}
