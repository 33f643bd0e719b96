import TradewindAlpaca
import TradewindCore

/// `/v2/clock` and `/v2/calendar` from the NYSE calendar, at the replay clock's time.
enum MarketHours {
    /// The clock at `now`: open during a session; the next open and close.
    static func clock(at now: UnixNanos) -> AlpacaClock {
        let nyse = NYSECalendar.shared
        let zone = ZoneRules.newYork
        let today = UnixTime.utcDate(of: now + zone.offsetNanos(at: now))
        let open = nyse.sessionIndex(containing: now).map { nyse.session(at: $0) }
        let nextOpen = nyse.sessionIndex(onOrAfter: today).map { nyse.session(at: $0) }
            .flatMap { $0.open > now ? $0 : nyse.nextSession(after: $0.date) }
        let nextClose = open ?? nextOpen
        return AlpacaClock(timestamp: ISO8601.local(now, in: zone), isOpen: open != nil,
                           nextOpen: nextOpen.map { ISO8601.local($0.open, in: zone) } ?? "",
                           nextClose: nextClose.map { ISO8601.local($0.close, in: zone) } ?? "")
    }

    /// The sessions from `start` to `end` (inclusive), as Alpaca lists them.
    static func days(from start: CivilDate, to end: CivilDate) throws(ExchangeFailure) -> [AlpacaCalendarDay] {
        guard start <= end else { throw .invalid("start \(start) is after end \(end)") }
        guard end.daysSinceEpoch - start.daysSinceEpoch <= 3660 else { throw .invalid("at most ten years per request") }
        let sessions: [TradingSession]
        do {
            sessions = try NYSECalendar.shared.sessions(from: start, to: end)
        } catch {
            throw .invalid("\(error)")
        }
        let zone = ZoneRules.newYork
        return sessions.map { s in
            let settle = NYSECalendar.shared.nextSession(after: s.date)?.date ?? s.date
            return AlpacaCalendarDay(date: s.date.description, open: hhmm(s.open, zone), close: hhmm(s.close, zone),
                                     settlementDate: settle.description)
        }
    }

    private static func hhmm(_ t: UnixNanos, _ zone: ZoneRules) -> String {
        let local = ISO8601.local(t, in: zone)
        let start = local.index(local.startIndex, offsetBy: 11)
        return String(local[start..<local.index(start, offsetBy: 5)])
    }
}
