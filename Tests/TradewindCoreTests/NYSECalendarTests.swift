import Foundation
import Testing
import TradewindCore

/// Reads `Tests/Fixtures/calendar/xnys_1990_2030.csv` (written by `Scripts/fixtures/nyse_calendar.py`
/// from exchange_calendars XNYS 4.13.2): `date,open_utc,close_utc`.
private func xnysFixture() throws -> [(date: String, open: String, close: String)] {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    let url = root.appendingPathComponent("Fixtures/calendar/xnys_1990_2030.csv")
    let text = try String(contentsOf: url, encoding: .utf8)
    var rows: [(String, String, String)] = []
    for line in text.split(separator: "\n") where line.first?.isNumber == true {
        let f = line.split(separator: ",")
        rows.append((String(f[0]), String(f[1]), String(f[2])))
    }
    return rows
}

private func d(_ s: String) -> CivilDate { CivilDate(iso: s)! }

@Suite struct NYSECalendarTests {
    let cal = NYSECalendar.shared

    @Test func everySessionFrom1990Through2030MatchesExchangeCalendars() throws {
        let rows = try xnysFixture()
        #expect(rows.count == 10_322)
        #expect(cal.sessionCount == rows.count)
        var mismatches: [String] = []
        for (i, row) in rows.enumerated() where i < cal.sessionCount {
            let s = cal.session(at: i)
            let got = (s.date.description, ISO8601.utc(s.open), ISO8601.utc(s.close))
            if got != row { mismatches.append("expected \(row) got \(got)") }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10))")
        // And every calendar day of the range agrees on open/closed.
        let sessionDates = Set(rows.map(\.date))
        var day = cal.supportedDates.lowerBound
        var wrong: [String] = []
        while day <= cal.supportedDates.upperBound {
            if (cal.session(on: day) != nil) != sessionDates.contains(day.description) { wrong.append(day.description) }
            day = day.adding(days: 1)
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(10))")
    }

    @Test func earlyCloseFlagMarksExactlyTheShortenedSessions() throws {
        for i in 0..<cal.sessionCount {
            let s = cal.session(at: i)
            let localClose = ZoneRules.newYork.localTimeOfDayNanos(of: s.close)
            #expect(s.isEarlyClose == (localClose != 16 * UnixTime.nanosPerHour))
        }
    }

    @Test func goodFridayIsClosed() {
        #expect(cal.session(on: d("2024-03-29")) == nil)
        #expect(cal.session(on: d("1990-04-13")) == nil)
        #expect(cal.session(on: d("2030-04-19")) == nil)
        #expect(cal.session(on: d("2024-03-28")) != nil)
    }

    @Test func juneteenthStartsIn2022AndMovesOffWeekends() {
        #expect(cal.session(on: d("2021-06-18")) != nil)  // not yet a holiday
        #expect(cal.session(on: d("2022-06-20")) == nil)  // Sunday the 19th observed Monday
        #expect(cal.session(on: d("2023-06-19")) == nil)
        #expect(cal.session(on: d("2027-06-18")) == nil)  // Saturday the 19th observed Friday
    }

    @Test func closedTheWeekOfSeptember11UntilMonday17() {
        for day in ["2001-09-11", "2001-09-12", "2001-09-13", "2001-09-14"] {
            #expect(cal.session(on: d(day)) == nil, "\(day)")
        }
        #expect(cal.session(on: d("2001-09-10")) != nil)
        #expect(cal.nextSession(after: d("2001-09-10"))?.date == d("2001-09-17"))
    }

    @Test func closedForHurricaneSandyAndDaysOfMourning() {
        #expect(cal.session(on: d("2012-10-29")) == nil)
        #expect(cal.session(on: d("2012-10-30")) == nil)
        #expect(cal.session(on: d("2012-10-31")) != nil)
        for day in ["1994-04-27", "2004-06-11", "2007-01-02", "2018-12-05", "2025-01-09"] {
            #expect(cal.session(on: d(day)) == nil, "\(day)")
        }
    }

    @Test func july3rdClosesAt1300NewYork() throws {
        let s = try #require(cal.session(on: d("2024-07-03")))
        #expect(s.isEarlyClose)
        #expect(ISO8601.utc(s.open) == "2024-07-03T13:30:00Z")
        #expect(ISO8601.utc(s.close) == "2024-07-03T17:00:00Z")
        #expect(cal.session(on: d("2024-07-04")) == nil)
    }

    @Test func dayAfterThanksgivingClosesEarly() throws {
        let s = try #require(cal.session(on: d("2023-11-24")))
        #expect(s.isEarlyClose)
        #expect(ISO8601.utc(s.close) == "2023-11-24T18:00:00Z")  // 13:00 EST
        #expect(cal.session(on: d("2023-11-23")) == nil)
        // Before 1993 the early close was at 14:00.
        let s92 = try #require(cal.session(on: d("1992-11-27")))
        #expect(ISO8601.utc(s92.close) == "1992-11-27T19:00:00Z")
    }

    @Test func christmasEveClosesEarlyUnlessItIsTheObservedHoliday() throws {
        let s = try #require(cal.session(on: d("2024-12-24")))
        #expect(s.isEarlyClose && ISO8601.utc(s.close) == "2024-12-24T18:00:00Z")
        #expect(cal.session(on: d("2021-12-24")) == nil)  // Christmas on Saturday, observed Friday 24th
        let s90 = try #require(cal.session(on: d("1990-12-24")))
        #expect(ISO8601.utc(s90.close) == "1990-12-24T19:00:00Z")  // 14:00 EST before 1993
    }

    @Test func openIs1330UTCInSummerAnd1430UTCInWinter() throws {
        // 2024: DST began Sunday 10 March and ended Sunday 3 November.
        #expect(ISO8601.utc(try #require(cal.session(on: d("2024-03-08"))).open) == "2024-03-08T14:30:00Z")
        #expect(ISO8601.utc(try #require(cal.session(on: d("2024-03-11"))).open) == "2024-03-11T13:30:00Z")
        #expect(ISO8601.utc(try #require(cal.session(on: d("2024-11-01"))).close) == "2024-11-01T20:00:00Z")
        #expect(ISO8601.utc(try #require(cal.session(on: d("2024-11-04"))).open) == "2024-11-04T14:30:00Z")
        // 2006 rules (first Sunday in April).
        #expect(ISO8601.utc(try #require(cal.session(on: d("2006-03-31"))).open) == "2006-03-31T14:30:00Z")
        #expect(ISO8601.utc(try #require(cal.session(on: d("2006-04-03"))).open) == "2006-04-03T13:30:00Z")
    }

    @Test func outOfRangeAndReversedRangesThrowTypedErrors() {
        #expect(throws: CalendarError.outOfRange(d("1989-12-29"), supported: cal.supportedDates)) {
            try cal.sessions(from: d("1989-12-29"), to: d("1990-01-05"))
        }
        #expect(throws: CalendarError.outOfRange(d("2031-01-02"), supported: cal.supportedDates)) {
            try cal.sessions(from: d("2030-12-01"), to: d("2031-01-02"))
        }
        #expect(throws: CalendarError.emptyRange(from: d("2024-01-10"), to: d("2024-01-09"))) {
            try cal.sessions(from: d("2024-01-10"), to: d("2024-01-09"))
        }
        #expect(cal.session(on: d("1989-12-29")) == nil)
        #expect(cal.sessionIndex(onOrAfter: d("2031-01-01")) == nil)
    }

    @Test func rangeOfOnlyClosedDaysIsEmpty() throws {
        #expect(try cal.sessions(from: d("2024-12-28"), to: d("2024-12-29")).isEmpty)
        #expect(try cal.sessions(from: d("2024-12-23"), to: d("2024-12-27")).map(\.date.description)
                == ["2024-12-23", "2024-12-24", "2024-12-26", "2024-12-27"])
    }

    @Test func neighbourAndIndexLookupsAgree() throws {
        #expect(cal.previousSession(before: d("2024-07-05"))?.date == d("2024-07-03"))
        #expect(cal.nextSession(after: d("2024-07-03"))?.date == d("2024-07-05"))
        #expect(cal.previousSession(before: d("1990-01-02")) == nil)
        #expect(cal.nextSession(after: d("2030-12-31")) == nil)
        #expect(cal.nextSession(after: d("1990-01-01"))?.date == d("1990-01-02"))
        let i = try #require(cal.sessionIndex(on: d("2024-07-03")))
        #expect(cal.sessionIndex(onOrAfter: d("2024-07-04")) == i + 1)
        #expect(cal.sessionIndex(onOrBefore: d("2024-07-04")) == i)
        let s = cal.session(at: i)
        #expect(cal.sessionIndex(containing: s.open) == i)
        #expect(cal.sessionIndex(containing: s.close - 1) == i)
        #expect(cal.sessionIndex(containing: s.close) == nil)
        #expect(cal.sessionIndex(containing: s.open - 1) == nil)
        #expect(cal.lastSessionIndex(openingAtOrBefore: s.close + UnixTime.nanosPerHour) == i)
        #expect(cal.sessionIndex(containing: 0) == nil)
    }
}

@Suite struct CalendarListingTests {
    @Test func jsonListsUTCInstants() throws {
        let out = try CalendarListing.listing(from: "2024-07-03", to: "2024-07-05", calendar: NYSECalendar.shared, format: .json)
        #expect(out == """
            [
              {"date": "2024-07-03", "open": "2024-07-03T13:30:00Z", "close": "2024-07-03T17:00:00Z"},
              {"date": "2024-07-05", "open": "2024-07-05T13:30:00Z", "close": "2024-07-05T20:00:00Z"}
            ]

            """)
        let parsed = try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [[String: String]]
        #expect(parsed?.count == 2)
    }

    @Test func textShowsLocalAndUTCAndFlagsEarlyCloses() throws {
        let out = try CalendarListing.listing(from: "2024-07-03", to: "2024-07-05", calendar: NYSECalendar.shared, format: .text)
        #expect(out == """
            2024-07-03  2024-07-03T09:30:00-04:00  2024-07-03T13:00:00-04:00  2024-07-03T13:30:00Z  2024-07-03T17:00:00Z  early close
            2024-07-05  2024-07-05T09:30:00-04:00  2024-07-05T16:00:00-04:00  2024-07-05T13:30:00Z  2024-07-05T20:00:00Z

            """)
    }

    @Test func invalidDatesAndRangesAreRejected() {
        let cal = NYSECalendar.shared
        #expect(throws: CalendarListingError.invalidDate("2023-02-30", argument: "from")) {
            try CalendarListing.listing(from: "2023-02-30", to: "2023-03-01", calendar: cal, format: .text)
        }
        #expect(throws: CalendarListingError.invalidDate("yesterday", argument: "to")) {
            try CalendarListing.listing(from: "2023-02-01", to: "yesterday", calendar: cal, format: .text)
        }
        #expect(throws: CalendarListingError.calendar(.emptyRange(from: d("2023-03-02"), to: d("2023-03-01")))) {
            try CalendarListing.listing(from: "2023-03-02", to: "2023-03-01", calendar: cal, format: .json)
        }
        #expect(throws: CalendarListingError.calendar(.outOfRange(d("2031-01-01"), supported: cal.supportedDates))) {
            try CalendarListing.listing(from: "2030-12-01", to: "2031-01-01", calendar: cal, format: .json)
        }
    }

    @Test func messagesNameTheParametersNotFlags() {
        #expect(CalendarListingError.invalidDate("2023-02-30", argument: "from").description
                == "the from date '2023-02-30' is not a valid date: expected yyyy-MM-dd, e.g. 2024-07-03")
        #expect(CalendarError.emptyRange(from: d("2023-03-02"), to: d("2023-03-01")).description
                == "the range 2023-03-02 … 2023-03-01 is empty: the start date 2023-03-02 is after the end date 2023-03-01")
    }
}
