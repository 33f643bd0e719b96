/// Why a session listing could not be produced.
public enum CalendarListingError: Error, Equatable, CustomStringConvertible {
    /// A date argument is not a real `yyyy-MM-dd` date (e.g. `2023-02-30`, `yesterday`); `argument` names
    /// the parameter of `CalendarListing.listing` that held it (`from` or `to`).
    case invalidDate(String, argument: String)
    /// The calendar refused the range (out of range, or from after to).
    case calendar(CalendarError)

    public var description: String {
        switch self {
        case .invalidDate(let text, let argument):
            return "the \(argument) date '\(text)' is not a valid date: expected yyyy-MM-dd, e.g. 2024-07-03"
        case .calendar(let e):
            return e.description
        }
    }
}

/// Formats the sessions of an exchange calendar for people (one line per session) and for
/// programs (a JSON array). Used by `tradewind calendar`.
public enum CalendarListing {
    /// Output format.
    public enum Format: String, Sendable, CaseIterable {
        case text, json
    }

    /// Parses `from`/`to` (`yyyy-MM-dd`) and lists the sessions between them, inclusive.
    ///
    /// - Throws: `CalendarListingError.invalidDate` for text that is not a real date,
    ///   `.calendar(.outOfRange)` outside the calendar's years, `.calendar(.emptyRange)` when from > to.
    public static func listing(
        from fromText: String, to toText: String, calendar: some ExchangeCalendar, format: Format
    ) throws(CalendarListingError) -> String {
        guard let from = CivilDate(iso: fromText) else { throw .invalidDate(fromText, argument: "from") }
        guard let to = CivilDate(iso: toText) else { throw .invalidDate(toText, argument: "to") }
        let sessions: [TradingSession]
        do {
            sessions = try calendar.sessions(from: from, to: to)
        } catch {
            throw .calendar(error)
        }
        switch format {
        case .text: return text(sessions, zone: calendar.zone)
        case .json: return json(sessions)
        }
    }

    /// One line per session, newline-terminated:
    /// `date  open(local)  close(local)  open(UTC)  close(UTC)[  early close]`, e.g.
    /// `2024-07-03  2024-07-03T09:30:00-04:00  2024-07-03T13:00:00-04:00  2024-07-03T13:30:00Z  2024-07-03T17:00:00Z  early close`.
    public static func text(_ sessions: [TradingSession], zone: ZoneRules) -> String {
        var out = ""
        for s in sessions {
            out += s.date.description
            out += "  " + ISO8601.local(s.open, in: zone) + "  " + ISO8601.local(s.close, in: zone)
            out += "  " + ISO8601.utc(s.open) + "  " + ISO8601.utc(s.close)
            if s.isEarlyClose { out += "  early close" }
            out += "\n"
        }
        return out
    }

    /// A JSON array of `{"date": "yyyy-MM-dd", "open": "<UTC ISO 8601>", "close": "<UTC ISO 8601>"}`,
    /// one object per line, newline-terminated (`[]` when there are no sessions).
    public static func json(_ sessions: [TradingSession]) -> String {
        if sessions.isEmpty { return "[]\n" }
        var out = "[\n"
        for (i, s) in sessions.enumerated() {
            out += "  {\"date\": \"\(s.date)\", \"open\": \"\(ISO8601.utc(s.open))\", \"close\": \"\(ISO8601.utc(s.close))\"}"
            out += i + 1 < sessions.count ? ",\n" : "\n"
        }
        return out + "]\n"
    }
}
