import TradewindCore

/// One trading day's hours with its extended sessions, as instants: pre-market `[preMarketOpen, open)`, regular
/// hours `[open, close)`, after-hours `[close, afterHoursClose)`.
public struct ExtendedTradingDay: Sendable, Hashable {
    public let preMarketOpen: UnixNanos
    public let open: UnixNanos
    public let close: UnixNanos
    public let afterHoursClose: UnixNanos

    /// True when `t` lies in the pre-market or the after-hours (not in regular hours).
    public func isExtendedHours(_ t: UnixNanos) -> Bool {
        (t >= preMarketOpen && t < open) || (t >= close && t < afterHoursClose)
    }
}

extension SessionPolicy {
    /// Pre-market opens at 04:00 local time; after-hours ends at 20:00, or at 17:00 after an early close
    /// (US equities, as Alpaca trades them).
    public static let preMarketOpenMinute = 4 * 60
    public static let afterHoursCloseMinute = 20 * 60
    public static let earlyCloseAfterHoursCloseMinute = 17 * 60

    /// The hours of the local day of `t` with its pre-market and after-hours: regular hours from the calendar
    /// (nil on a day it has no session) or from `hours`; nil when the policy has neither (every bar is regular).
    /// Each boundary is its wall-clock time on that day in the policy's zone, DST changes included.
    public func extendedTradingDay(containing t: UnixNanos) -> ExtendedTradingDay? {
        // Each wall-clock time with the offset in effect at it (not at `t`): on a DST-change day they differ.
        let day = zone.localDate(of: t)
        func at(_ minute: Int) -> UnixNanos { zone.instant(day, hour: minute / 60, minute: minute % 60) }
        if let calendar {
            guard let s = calendar.session(on: day) else { return nil }
            let end = s.isEarlyClose ? Self.earlyCloseAfterHoursCloseMinute : Self.afterHoursCloseMinute
            return ExtendedTradingDay(preMarketOpen: at(Self.preMarketOpenMinute), open: s.open, close: s.close,
                                      afterHoursClose: max(at(end), s.close))
        }
        guard let h = hours else { return nil }
        return ExtendedTradingDay(preMarketOpen: at(min(Self.preMarketOpenMinute, h.lowerBound)), open: at(h.lowerBound),
                                  close: at(h.upperBound), afterHoursClose: at(max(Self.afterHoursCloseMinute, h.upperBound)))
    }

    /// The end of the after-hours an extended-hours DAY order placed at `t` works until: that day's when `t` is
    /// before it, else the next trading day's (within two weeks; `.max` when none is found).
    public func extendedHoursEnd(forOrderPlacedAt t: UnixNanos) -> UnixNanos {
        if let d = extendedTradingDay(containing: t), t < d.afterHoursClose { return d.afterHoursClose }
        var probe = t
        for _ in 0..<14 {
            probe += UnixTime.nanosPerDay
            if let d = extendedTradingDay(containing: probe) { return d.afterHoursClose }
        }
        return .max
    }
}
