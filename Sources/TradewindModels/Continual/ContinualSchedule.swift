import TradewindCore

/// When continual learning runs (the GPU trading system's `daily_update_time` and `full_retrain_time`): an
/// incremental update each weekday at `dailyUpdate` local time, and a full retrain each week on
/// `fullRetrainWeekday` at `fullRetrain` (it replaces that day's update).
public struct ContinualSchedule: Sendable, Equatable {
    public enum Action: String, Sendable, Codable { case incrementalUpdate = "incremental-update", fullRetrain = "full-retrain" }

    /// Minutes after local midnight.
    public let dailyUpdate: Int, fullRetrain: Int
    /// 0 = Sunday … 6 = Saturday.
    public let fullRetrainWeekday: Int
    public let zone: ZoneRules

    /// - Parameters: times as HH:MM; `fullRetrainWeekday` 0 (Sunday)…6 (Saturday).
    public init(dailyUpdateTime: String = "16:30", fullRetrainTime: String = "02:00", fullRetrainWeekday: Int = 6,
                zone: ZoneRules = .newYork) throws(ModelError) {
        func minutes(_ text: String, _ name: String) throws(ModelError) -> Int {
            let parts = text.split(separator: ":")
            guard parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]), (0..<24).contains(h), (0..<60).contains(m) else {
                throw .invalidSetting(name: name, value: text, expected: "a time HH:MM")
            }
            return h * 60 + m
        }
        guard (0...6).contains(fullRetrainWeekday) else {
            throw .invalidSetting(name: "fullRetrainWeekday", value: "\(fullRetrainWeekday)", expected: "0 (Sunday)...6 (Saturday)")
        }
        dailyUpdate = try minutes(dailyUpdateTime, "dailyUpdateTime")
        fullRetrain = try minutes(fullRetrainTime, "fullRetrainTime")
        self.fullRetrainWeekday = fullRetrainWeekday
        self.zone = zone
    }

    /// Whether the incremental update runs on `day`: a session of `calendar` (within the dates it knows), else a
    /// weekday.
    func updates(on day: CivilDate, calendar: (any ExchangeCalendar)?) -> Bool {
        if let calendar, calendar.supportedDates.contains(day) { return calendar.isSession(day) }
        return !day.isWeekend
    }

    /// The actions due on `day`, earliest first.
    func due(on day: CivilDate, calendar: (any ExchangeCalendar)?) -> [(time: UnixNanos, action: Action)] {
        if day.weekday == fullRetrainWeekday {
            return [(zone.instant(day, hour: fullRetrain / 60, minute: fullRetrain % 60), .fullRetrain)]
        }
        guard updates(on: day, calendar: calendar) else { return [] }
        return [(zone.instant(day, hour: dailyUpdate / 60, minute: dailyUpdate % 60), .incrementalUpdate)]
    }

    /// The first scheduled action strictly after `instant`; with `calendar`, incremental updates only on its
    /// sessions (holidays skipped).
    public func next(after instant: UnixNanos, calendar: (any ExchangeCalendar)? = nil) -> (time: UnixNanos, action: Action) {
        let today = zone.localDate(of: instant)
        for offset in 0...8 {
            if let hit = due(on: today.adding(days: offset), calendar: calendar).first(where: { $0.time > instant }) { return hit }
        }
        preconditionFailure("a week always holds a scheduled action")
    }

    /// The step to run at `instant` when the last one run was scheduled for `since` (nil: the step due now, if
    /// any, after `since`): the newest action due in (`since`, `instant`], as a full retrain when a full retrain
    /// fell due anywhere in that span. So a server down over the weekly retrain and back after the next session's
    /// update still retrains in full, once; missed incremental updates are not repeated (the newest covers them).
    public func catchUp(since: UnixNanos, atOrBefore instant: UnixNanos,
                        calendar: (any ExchangeCalendar)? = nil) -> (time: UnixNanos, action: Action)? {
        let newest = last(atOrBefore: instant, calendar: calendar)
        guard newest.time > since else { return nil }
        if newest.action == .fullRetrain { return newest }
        let retrain = lastFullRetrain(atOrBefore: instant)
        return (newest.time, retrain > since ? .fullRetrain : .incrementalUpdate)
    }

    /// The weekly full retrain's last time at or before `instant`.
    func lastFullRetrain(atOrBefore instant: UnixNanos) -> UnixNanos {
        let today = zone.localDate(of: instant)
        let day = today.adding(days: -((today.weekday - fullRetrainWeekday + 7) % 7))
        let time = zone.instant(day, hour: fullRetrain / 60, minute: fullRetrain % 60)
        return time <= instant ? time : zone.instant(day.adding(days: -7), hour: fullRetrain / 60, minute: fullRetrain % 60)
    }

    /// The last scheduled action at or before `instant` (what a server that was down at that time runs once at
    /// start-up).
    public func last(atOrBefore instant: UnixNanos, calendar: (any ExchangeCalendar)? = nil) -> (time: UnixNanos, action: Action) {
        let today = zone.localDate(of: instant)
        for offset in 0...8 {
            if let hit = due(on: today.adding(days: -offset), calendar: calendar).last(where: { $0.time <= instant }) { return hit }
        }
        preconditionFailure("a week always holds a scheduled action")
    }
}
