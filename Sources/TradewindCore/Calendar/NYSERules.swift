/// The rules that decide whether, and how long, the New York Stock Exchange trades on a date,
/// for the years 1990–2030 (the span `NYSECalendar` precomputes).
///
/// Sources: NYSE's published holiday and early-close schedules and its history of closings; the
/// result is checked day by day against the `exchange_calendars` XNYS calendar (see
/// `Scripts/fixtures/nyse_calendar.py`).
enum NYSERules {
    /// Regular opening time, local (minutes after midnight): 09:30.
    static let regularOpenMinute = 9 * 60 + 30
    /// Regular closing time, local: 16:00.
    static let regularCloseMinute = 16 * 60

    /// Unscheduled full-day closures in 1990–2030: national days of mourning, 9/11, Hurricane Sandy.
    static let unscheduledClosures: [CivilDate] = [
        CivilDate(year: 1994, month: 4, day: 27)!,  // President Nixon's funeral
        CivilDate(year: 2001, month: 9, day: 11)!,  // attacks on the World Trade Center
        CivilDate(year: 2001, month: 9, day: 12)!,
        CivilDate(year: 2001, month: 9, day: 13)!,
        CivilDate(year: 2001, month: 9, day: 14)!,
        CivilDate(year: 2004, month: 6, day: 11)!,  // President Reagan's funeral
        CivilDate(year: 2007, month: 1, day: 2)!,  // President Ford's funeral
        CivilDate(year: 2012, month: 10, day: 29)!,  // Hurricane Sandy
        CivilDate(year: 2012, month: 10, day: 30)!,
        CivilDate(year: 2018, month: 12, day: 5)!,  // President G. H. W. Bush's funeral
        CivilDate(year: 2025, month: 1, day: 9)!,  // President Carter's funeral
    ]

    /// Early closes that follow no yearly rule (Fridays after Christmas, the eve of Y2K).
    static let unscheduledEarlyCloses: [CivilDate] = [
        CivilDate(year: 1997, month: 12, day: 26)!,
        CivilDate(year: 1999, month: 12, day: 31)!,
        CivilDate(year: 2003, month: 12, day: 26)!,
    ]

    /// The weekday holidays of `year` on which the exchange is closed all day, after applying each
    /// holiday's weekend rule (Saturday → Friday, Sunday → Monday where the holiday moves at all).
    static func holidays(in year: Int) -> [CivilDate] {
        var days: [CivilDate] = []
        // New Year's Day: a Sunday moves to Monday; a Saturday is not made up (no Dec 31 closure).
        let newYear = date(year, 1, 1)
        if newYear.weekday == 0 {
            days.append(newYear.adding(days: 1))
        } else if !newYear.isWeekend {
            days.append(newYear)
        }
        // Martin Luther King Jr. Day: third Monday of January, observed by the NYSE from 1998.
        if year >= 1998 { days.append(nthWeekday(3, weekday: 1, month: 1, year: year)) }
        // Washington's Birthday (Presidents' Day): third Monday of February.
        days.append(nthWeekday(3, weekday: 1, month: 2, year: year))
        // Good Friday: two days before Western Easter Sunday.
        days.append(easterSunday(year).adding(days: -2))
        // Memorial Day: last Monday of May.
        days.append(lastWeekday(1, month: 5, year: year))
        // Juneteenth: June 19 from 2022, nearest weekday.
        if year >= 2022 { days.append(nearestWeekday(date(year, 6, 19))) }
        // Independence Day: July 4, nearest weekday.
        days.append(nearestWeekday(date(year, 7, 4)))
        // Labor Day: first Monday of September.
        days.append(nthWeekday(1, weekday: 1, month: 9, year: year))
        // Thanksgiving: fourth Thursday of November.
        days.append(thanksgiving(year))
        // Christmas: December 25, nearest weekday.
        days.append(nearestWeekday(date(year, 12, 25)))
        return days
    }

    /// The local closing time (minutes after midnight) on a scheduled early-close trading day, or nil
    /// when `day` (a weekday that is not a holiday) closes at the regular 16:00.
    ///
    /// From 1993 early closes are at 13:00; before 1993 they were at 14:00.
    static func earlyCloseMinute(on day: CivilDate) -> Int? {
        let y = day.year
        let wd = day.weekday
        let earlyMinute = y >= 1993 ? 13 * 60 : 14 * 60
        // The day before Independence Day (from 1995): July 3 on a Monday, Tuesday or Thursday, and
        // from 2013 also on a Wednesday. Before 2013, when July 4 fell on a Thursday, Friday July 5
        // closed early instead.
        if y >= 1995 && day.month == 7 {
            if day.day == 3 && (wd == 1 || wd == 2 || wd == 4 || (wd == 3 && y >= 2013)) { return earlyMinute }
            if day.day == 5 && wd == 5 && y < 2013 { return earlyMinute }
        }
        // The day after Thanksgiving (from 1992).
        if y >= 1992 && day == thanksgiving(y).adding(days: 1) { return earlyMinute }
        // Christmas Eve on Monday–Thursday (on a Friday it is the observed Christmas holiday).
        if day.month == 12 && day.day == 24 && (1...4).contains(wd) { return earlyMinute }
        if unscheduledEarlyCloses.contains(day) { return 13 * 60 }
        return nil
    }

    // MARK: - Date arithmetic

    static func date(_ y: Int, _ m: Int, _ d: Int) -> CivilDate {
        CivilDate(year: y, month: m, day: d)!
    }

    /// The `n`-th (1-based) `weekday` (0 = Sunday) of a month.
    static func nthWeekday(_ n: Int, weekday: Int, month: Int, year: Int) -> CivilDate {
        let first = date(year, month, 1)
        let offset = (weekday - first.weekday + 7) % 7
        return first.adding(days: offset + 7 * (n - 1))
    }

    /// The last `weekday` (0 = Sunday) of a month.
    static func lastWeekday(_ weekday: Int, month: Int, year: Int) -> CivilDate {
        let last = date(year, month, CivilDate.daysIn(month: month, year: year))
        return last.adding(days: -((last.weekday - weekday + 7) % 7))
    }

    /// Saturday → the Friday before, Sunday → the Monday after, weekdays unchanged.
    static func nearestWeekday(_ d: CivilDate) -> CivilDate {
        switch d.weekday {
        case 6: return d.adding(days: -1)
        case 0: return d.adding(days: 1)
        default: return d
        }
    }

    /// The fourth Thursday of November.
    static func thanksgiving(_ year: Int) -> CivilDate {
        nthWeekday(4, weekday: 4, month: 11, year: year)
    }

    /// Western (Gregorian) Easter Sunday, by the anonymous Gregorian computus (Meeus/Jones/Butcher).
    static func easterSunday(_ year: Int) -> CivilDate {
        let a = year % 19
        let b = year / 100, c = year % 100
        let d = b / 4, e = b % 4
        let f = (b + 8) / 25
        let g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30
        let i = c / 4, k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31
        let day = (h + l - 7 * m + 114) % 31 + 1
        return date(year, month, day)
    }
}
