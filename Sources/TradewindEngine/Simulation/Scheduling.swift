import TradewindCore
import TradewindIndicators

/// One instant of a schedule that has not fired yet.
@usableFromInline
struct PendingEvent: Sendable {
    @usableFromInline let time: UnixNanos
    /// The `schedule` call it came from (ties at one instant fire in this order).
    @usableFromInline let id: Int
    /// The local day key of its session (`MarketColumns.day`).
    @usableFromInline let day: Int64
}

extension SimulationContext {
    /// Places every instant of `schedule` after now, in the sessions of the prepared market, on the run's clock.
    @discardableResult
    public func schedule(_ schedule: EventSchedule) throws(ScheduleError) -> ScheduledEventID {
        if let why = schedule.problem { throw .invalid(schedule, why) }
        guard market.intraday else { throw .needsIntradayBars }
        guard config.session.calendar != nil || config.session.hours != nil else { throw .noSessions }
        let id = scheduleCount
        scheduleCount += 1
        schedules.append((id, schedule))
        let now = hot.pointee.step < 0 ? UnixNanos.min : (eventInstant ?? market.time[hot.pointee.step])
        var added: [PendingEvent] = []
        for (day, session) in sessionTable() {
            for t in schedule.instants(in: session, zone: config.session.zone) where t > now {
                added.append(PendingEvent(time: t, id: id, day: day))
            }
        }
        var remaining = Array(pendingEvents[pendingHead...])
        remaining.append(contentsOf: added)
        remaining.sort { ($0.time, $0.id) < ($1.time, $1.id) }
        pendingEvents = remaining
        pendingHead = 0
        hot.pointee.nextEvent = pendingEvents.first?.time ?? .max
        return ScheduledEventID(rawValue: id)
    }

    /// The sessions of the days the market has steps on, from the current step's day on (computed once).
    private func sessionTable() -> [(day: Int64, session: TradingSession)] {
        if market.stream != nil {
            // A streamed market knows only the days it has seen; each new day adds its own (`addSessionEvents`).
            return stepCount > 0 ? session(onDay: market.day[stepCount - 1]).map { [(market.day[stepCount - 1], $0)] } ?? [] : []
        }
        if let table = sessions { return table.filter { $0.day >= currentDayKey } }
        var table: [(day: Int64, session: TradingSession)] = []
        var last = Int64.min
        for i in 0..<market.stepCount where market.day[i] != last {
            last = market.day[i]
            if let s = session(onDay: last) { table.append((last, s)) }
        }
        sessions = table
        return table.filter { $0.day >= currentDayKey }
    }

    /// A streamed market's new local day `day` has begun: places the instants of its session, from every schedule, that
    /// are after `now` (as a whole-dataset run places them in `schedule`).
    func addSessionEvents(day: Int64, after now: UnixNanos) {
        guard !schedules.isEmpty, let session = session(onDay: day) else { return }
        var added: [PendingEvent] = []
        for (id, schedule) in schedules {
            for t in schedule.instants(in: session, zone: config.session.zone) where t > now {
                added.append(PendingEvent(time: t, id: id, day: day))
            }
        }
        guard !added.isEmpty else { return }
        var remaining = Array(pendingEvents[pendingHead...])
        remaining.append(contentsOf: added)
        remaining.sort { ($0.time, $0.id) < ($1.time, $1.id) }
        pendingEvents = remaining
        pendingHead = 0
        hot.pointee.nextEvent = pendingEvents.first?.time ?? .max
    }

    private var currentDayKey: Int64 { hot.pointee.step < 0 ? .min : market.day[hot.pointee.step] }

    /// The session on local day `day`: the calendar's, else the policy's regular hours on that date.
    private func session(onDay day: Int64) -> TradingSession? {
        let date = CivilDate(daysSinceEpoch: Int(day))
        if let calendar = config.session.calendar { return calendar.session(on: date) }
        guard let hours = config.session.hours else { return nil }
        let zone = config.session.zone
        return TradingSession(date: date, open: zone.instant(date, hour: hours.lowerBound / 60, minute: hours.lowerBound % 60),
                              close: zone.instant(date, hour: hours.upperBound / 60, minute: hours.upperBound % 60),
                              isEarlyClose: false)
    }

    /// True when an event is due before step `i`'s bar (its instant is at or before the bar's start).
    @inlinable func eventsDue(beforeStep i: Int) -> Bool { market.time[i] >= hot.pointee.nextEvent }

    /// True when an event is due at or before `t`.
    @inlinable func eventsDue(at t: UnixNanos) -> Bool { t >= hot.pointee.nextEvent }

    /// True when events of the current step's session are still pending (checked on its last bar).
    @inlinable var sessionEventsPending: Bool { hot.pointee.nextEvent != .max }

    /// Takes the next event due at or before `limit`, or (with `day`) any pending event of that session.
    @usableFromInline
    func takeDueEvent(through limit: UnixNanos, orDay day: Int64?) -> PendingEvent? {
        guard pendingHead < pendingEvents.count else { return nil }
        let e = pendingEvents[pendingHead]
        guard e.time <= limit || e.day == day else { return nil }
        pendingHead += 1
        hot.pointee.nextEvent = pendingHead < pendingEvents.count ? pendingEvents[pendingHead].time : .max
        return e
    }

    /// The local day key of the current step.
    @usableFromInline var dayKey: Int64 { market.day[hot.pointee.step] }

    /// The run's clock stands at `event.time` while its handler runs.
    @usableFromInline
    func eventContext(_ event: PendingEvent) -> ScheduledEventContext {
        eventInstant = event.time
        return ScheduledEventContext(self, instant: event.time, zone: config.session.zone)
    }

    @usableFromInline func endEvent() { eventInstant = nil }
}

/// The context a scheduled event's handler sees: the simulation at the event's instant. Bars are those that
/// started before it (no symbol has a bar starting at the instant: that bar, if any, comes next); the session
/// facts are the instant's; orders go to the simulation and market orders fill at the next bar's open.
@usableFromInline
final class ScheduledEventContext: TradingContext {
    @usableFromInline let simulation: SimulationContext
    @usableFromInline let time: UnixNanos
    @usableFromInline let sessionDate: CivilDate
    @usableFromInline let minuteOfDay: Int

    @usableFromInline init(_ simulation: SimulationContext, instant: UnixNanos, zone: ZoneRules) {
        self.simulation = simulation
        time = instant
        sessionDate = zone.localDate(of: instant)
        minuteOfDay = Int(zone.localTimeOfDayNanos(of: instant) / UnixTime.nanosPerMinute)
    }

    @usableFromInline var symbols: [String] { simulation.symbols }
    @usableFromInline var symbolCount: Int { simulation.symbolCount }
    @usableFromInline func symbolIndex(_ name: String) -> Int? { simulation.symbolIndex(name) }
    @usableFromInline var step: Int { simulation.step }
    @usableFromInline var isSessionOpen: Bool { false }
    @usableFromInline var isSessionClose: Bool { false }
    @usableFromInline var isInSession: Bool { true }
    @usableFromInline func hasBar(_ symbol: Int) -> Bool { false }
    @usableFromInline func barIndex(_ symbol: Int) -> Int { simulation.step < 0 ? -1 : simulation.barIndex(symbol) }
    @usableFromInline func open(_ symbol: Int) -> Double { simulation.step < 0 ? .nan : simulation.open(symbol) }
    @usableFromInline func high(_ symbol: Int) -> Double { simulation.step < 0 ? .nan : simulation.high(symbol) }
    @usableFromInline func low(_ symbol: Int) -> Double { simulation.step < 0 ? .nan : simulation.low(symbol) }
    @usableFromInline func close(_ symbol: Int) -> Double { simulation.step < 0 ? .nan : simulation.close(symbol) }
    @usableFromInline func volume(_ symbol: Int) -> Double { simulation.step < 0 ? .nan : simulation.volume(symbol) }
    @usableFromInline func history(_ symbol: Int) -> BarHistory { simulation.history(symbol) }
    @usableFromInline func position(_ symbol: Int) -> Double { simulation.position(symbol) }
    @usableFromInline func averageEntryPrice(_ symbol: Int) -> Double { simulation.averageEntryPrice(symbol) }
    @usableFromInline var cash: Double { simulation.cash }
    @usableFromInline var equity: Double { simulation.step < 0 ? simulation.cash : simulation.equity }
    @usableFromInline var initialCash: Double { simulation.initialCash }
    @usableFromInline func submit(_ request: OrderRequest) -> OrderID { simulation.submit(request) }
    @usableFromInline func bracket(_ entry: OrderRequest, takeProfit: Double?, stopLoss: Double?,
                                   exitTimeInForce: TimeInForce) -> BracketIDs {
        simulation.bracket(entry, takeProfit: takeProfit, stopLoss: stopLoss, exitTimeInForce: exitTimeInForce)
    }
    @usableFromInline func oco(_ requests: [OrderRequest]) -> [OrderID] { simulation.oco(requests) }
    @usableFromInline func cancel(_ id: OrderID) -> Bool { simulation.cancel(id) }
    @usableFromInline func replace(_ id: OrderID, type: OrderType?, size: OrderSize?) -> OrderID? {
        simulation.replace(id, type: type, size: size)
    }
    @usableFromInline func order(_ id: OrderID) -> Order { simulation.order(id) }
    @usableFromInline func orderStatus(_ id: OrderID) -> OrderStatus { simulation.orderStatus(id) }
    @usableFromInline var openOrders: [Order] { simulation.openOrders }
    @usableFromInline func register<I: StreamingIndicator>(_ indicator: I, name: String, pane: IndicatorPane) -> IndicatorHandle<I>
        where I.Input == Double {
        simulation.register(indicator, name: name, pane: pane)
    }
    @usableFromInline func register<I: StreamingIndicator>(_ indicator: I, name: String, pane: IndicatorPane) -> IndicatorHandle<I>
        where I.Input == OHLCV {
        simulation.register(indicator, name: name, pane: pane)
    }
    @usableFromInline func value<I: StreamingIndicator>(_ handle: IndicatorHandle<I>, _ symbol: Int) -> I.Output? {
        simulation.value(handle, symbol)
    }
    @usableFromInline func schedule(_ schedule: EventSchedule) throws(ScheduleError) -> ScheduledEventID {
        try simulation.schedule(schedule)
    }
}
