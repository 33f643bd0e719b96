import Testing
import TradewindCore
@testable import TradewindEngine

/// The clock: events scheduled within sessions fire on their instants, between bars, whether or not a bar
/// starts then, in the order `Strategy` documents.
@Suite struct ScheduledEventTests {
    /// A regular NYSE session (Monday 2024-03-04) and an early close (Friday 2024-11-29, 13:00).
    static let monday = CivilDate(year: 2024, month: 3, day: 4)!
    static let blackFriday = CivilDate(year: 2024, month: 11, day: 29)!

    static func at(_ date: CivilDate, _ hhmm: Int) -> UnixNanos {
        ZoneRules.newYork.instant(date, hour: hhmm / 100, minute: hhmm % 100)
    }

    /// One-minute bars at local times `hhmm` of each date; bar k opens at 100 + k and closes at 100.5 + k.
    static func minutes(_ days: [(CivilDate, [Int])]) -> BarSeries {
        let times = days.flatMap { d in d.1.map { at(d.0, $0) } }
        let opens = times.indices.map { 100 + Double($0) }
        return BarSeries(symbol: "TEST", interval: .minutes(1), time: times, open: opens, high: opens.map { $0 + 1 },
                         low: opens.map { $0 - 1 }, close: opens.map { $0 + 0.5 },
                         volume: [Double](repeating: 1_000, count: times.count))
    }

    /// Every minute from `from` to `to` (inclusive, hhmm).
    static func range(_ from: Int, _ to: Int) -> [Int] {
        let a = from / 100 * 60 + from % 100, b = to / 100 * 60 + to % 100
        return (a...b).map { $0 / 60 * 100 + $0 % 60 }
    }

    /// Records every hook as a line, and runs `action` in each event handler.
    struct Journal: Strategy {
        let schedules: [EventSchedule]
        var action: (any TradingContext, ScheduledEventID) -> Void = { _, _ in }
        var lines: [String] = []

        static func clock(_ c: some TradingContext) -> String {
            let m = c.minuteOfDay
            return "\(m / 60):\(m % 60 < 10 ? "0" : "")\(m % 60)"
        }

        mutating func onStart(_ context: some TradingContext) throws {
            for s in schedules { try context.schedule(s) }
        }
        mutating func onSessionOpen(_ context: some TradingContext) throws { lines.append("open \(Self.clock(context))") }
        mutating func onBar(_ context: some TradingContext) throws { lines.append("bar \(Self.clock(context))") }
        mutating func onSessionClose(_ context: some TradingContext) throws { lines.append("close \(Self.clock(context))") }
        mutating func onEvent(_ context: some TradingContext, event: ScheduledEventID) throws {
            lines.append("event \(event.rawValue) \(Self.clock(context))")
            action(context, event)
        }
        mutating func onFill(_ context: some TradingContext, fill: Fill) throws {
            lines.append("fill \(fill.price) at step \(fill.step)")
        }
    }

    static func journal(_ series: BarSeries, _ schedules: [EventSchedule], config: BacktestConfig = BacktestConfig(session: .nyse),
                        action: @escaping (any TradingContext, ScheduledEventID) -> Void = { _, _ in }) throws -> (lines: [String], result: BacktestResult) {
        var strategy = Journal(schedules: schedules, action: action)
        let result = try Backtest.run(&strategy, data: MarketDataset([series]), config: config)
        return (strategy.lines, result)
    }

    @Test func anEventAtTenRunsAfterTheBarsBeforeTenAndBeforeTheBarAtTen() throws {
        let (lines, _) = try Self.journal(Self.minutes([(Self.monday, [958, 959, 1000, 1001])]), [.timeOfDay(600)])
        #expect(lines == ["open 9:58", "bar 9:58", "bar 9:59", "event 0 10:00", "bar 10:00", "bar 10:01", "close 10:01"])
    }

    @Test func anEventFiresOnItsInstantWhenNoBarStartsThen() throws {
        var seen: (time: UnixNanos, minute: Int, hasBar: Bool, close: Double, step: Int)?
        let (lines, _) = try Self.journal(Self.minutes([(Self.monday, [958, 1002])]), [.timeOfDay(600)]) { c, _ in
            seen = (c.time, c.minuteOfDay, c.hasBar(0), c.close(0), c.step)
        }
        #expect(lines == ["open 9:58", "bar 9:58", "event 0 10:00", "bar 10:02", "close 10:02"])
        let s = try #require(seen)
        #expect(s.time == Self.at(Self.monday, 1000) && s.minute == 600)
        // The handler sees the bars before the instant: the 09:58 bar, not the 10:02 one.
        #expect(!s.hasBar && s.close == 100.5 && s.step == 0)
    }

    @Test(arguments: [FillTiming.nextOpen, .signalClose])
    func aMarketOrderFromAnEventFillsAtTheOpenOfTheFirstBarAfterIt(timing: FillTiming) throws {
        let config = BacktestConfig(fillTiming: timing, session: .nyse)
        let (lines, result) = try Self.journal(Self.minutes([(Self.monday, [958, 959, 1003, 1004])]), [.timeOfDay(600)],
                                               config: config) { c, _ in c.buy(0, .units(1)) }
        #expect(result.fills.count == 1)
        // Bar 2 (10:03) opens at 102.
        #expect(result.fills.first?.price == 102 && result.fills.first?.step == 2)
        #expect(lines.firstIndex(of: "event 0 10:00")! < lines.firstIndex(of: "fill 102.0 at step 2")!)
        #expect(result.orders[OrderID(rawValue: 0)].submittedAt == Self.at(Self.monday, 1000))
    }

    @Test func eventsAtOneInstantFireInSchedulingOrderAndBeforeTheSessionOpen() throws {
        let (lines, _) = try Self.journal(Self.minutes([(Self.monday, [930, 931])]),
                                          [.afterOpen(minutes: 0), .timeOfDay(570)])
        #expect(lines == ["event 0 9:30", "event 1 9:30", "open 9:30", "bar 9:30", "bar 9:31", "close 9:31"])
    }

    @Test func anIntervalFiresEveryNMinutesFromTheOpenThroughTheClose() throws {
        let (lines, _) = try Self.journal(Self.minutes([(Self.monday, Self.range(930, 1559)), (Self.blackFriday, Self.range(930, 1259))]),
                                          [.every(minutes: 10)])
        let events = lines.filter { $0.hasPrefix("event") }
        // 09:40 … 16:00 on a full session (39), 09:40 … 13:00 on the early close (21).
        #expect(events.count == 39 + 21)
        #expect(events.first == "event 0 9:40" && events[38] == "event 0 16:00" && events.last == "event 0 13:00")
        // The 16:00 event has no bar after it in its session: it fires after the 15:59 bar, before the close hook.
        let closeIndex = lines.firstIndex(of: "close 15:59")!
        #expect(lines[closeIndex - 1] == "event 0 16:00" && lines[closeIndex - 2] == "bar 15:59")
    }

    @Test func closeRelativeEventsFollowEarlyClosesAndTimesAfterTheCloseDoNotFire() throws {
        let data = Self.minutes([(Self.monday, Self.range(1540, 1559)), (Self.blackFriday, Self.range(1240, 1259))])
        let (lines, _) = try Self.journal(data, [.beforeClose(minutes: 10), .timeOfDay(15 * 60 + 55)])
        #expect(lines.filter { $0.hasPrefix("event") } == ["event 0 15:50", "event 1 15:55", "event 0 12:50"])
    }

    @Test func aSessionsPendingEventsFireBeforeItsCloseWhenItsLastBarsAreMissing() throws {
        let data = Self.minutes([(Self.monday, [1548, 1549]), (Self.monday.adding(days: 1), [930])])
        let (lines, _) = try Self.journal(data, [.beforeClose(minutes: 5)])
        // The data ends on Tuesday's 09:30 bar, that session's last: its 15:55 event fires there too.
        #expect(lines == ["open 15:48", "bar 15:48", "bar 15:49", "event 0 15:55", "close 15:49",
                          "open 9:30", "bar 9:30", "event 0 15:55", "close 9:30"])
    }

    @Test func aDayOrderPlacedAfterTheSessionsLastBarExpiresAndAGTCOrderWorksTheNextSession() throws {
        let data = Self.minutes([(Self.monday, [1548, 1549]), (Self.monday.adding(days: 1), [930, 931])])
        let (_, result) = try Self.journal(data, [.beforeClose(minutes: 5)]) { c, _ in
            guard c.sessionDate == Self.monday else { return }
            c.buy(0, .units(1), .limit(1_000), tif: .day, tag: "day")
            c.buy(0, .units(1), .limit(1_000), tif: .gtc, tag: "gtc")
        }
        let day = try #require(result.orders.first { $0.request.tag == "day" })
        let gtc = try #require(result.orders.first { $0.request.tag == "gtc" })
        #expect(day.status == .expired && day.reason.contains("after the session's last bar"))
        // The GTC order works from Tuesday's first bar (09:30 opens at 102).
        #expect(gtc.status == .filled && result.fills.map(\.price) == [102] && result.fills.first?.step == 2)
    }

    @Test func eventsNeedSessionsAndIntradayBarsAndValidNumbers() throws {
        let minute = Self.minutes([(Self.monday, [958, 959])])
        #expect(throws: BacktestError.self) { try Self.journal(minute, [.every(minutes: 0)]) }
        #expect(throws: BacktestError.self) { try Self.journal(minute, [.timeOfDay(600)], config: BacktestConfig()) }
        let days = daily(flat(10, 3))
        #expect(throws: BacktestError.self) { try Self.journal(days, [.timeOfDay(600)]) }
        #expect(EventSchedule.every(minutes: 0).problem != nil && EventSchedule.timeOfDay(1440).problem != nil)
        #expect(EventSchedule.afterOpen(minutes: 30).problem == nil)
    }

    @Test func schedulingFromAHookPlacesOnlyLaterInstants() throws {
        struct Late: Strategy {
            var fired: [Int] = []
            mutating func onBar(_ context: some TradingContext) throws {
                if context.minuteOfDay == 600 { try context.schedule(.every(minutes: 1)) }
            }
            mutating func onEvent(_ context: some TradingContext, event: ScheduledEventID) throws { fired.append(context.minuteOfDay) }
        }
        var s = Late()
        _ = try Backtest.run(&s, data: MarketDataset([Self.minutes([(Self.monday, [959, 1000, 1001, 1003])])]),
                             config: BacktestConfig(session: .nyse))
        // Scheduled on the 10:00 bar: 10:01, 10:02 and 10:03 fire before the bars at or after them; the rest of the
        // session's minutes (to 16:00) fire at its last bar.
        #expect(s.fired.prefix(3) == [601, 602, 603])
        #expect(s.fired.count == 960 - 600)
    }
}
