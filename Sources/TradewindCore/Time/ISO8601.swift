/// Fast ISO 8601 formatting of instants, without Foundation formatters.
public enum ISO8601 {
    /// `yyyy-MM-ddTHH:mm:ssZ` in UTC, with `.fffffffff` trimmed of trailing zeros when the
    /// instant is not a whole second.
    public static func utc(_ instant: UnixNanos) -> String {
        format(instant, offsetSeconds: 0)
    }

    /// `yyyy-MM-ddTHH:mm:ss±HH:MM` in the given zone (`Z` when the offset is zero).
    public static func local(_ instant: UnixNanos, in zone: ZoneRules) -> String {
        format(instant, offsetSeconds: zone.offsetNanos(at: instant) / UnixTime.nanosPerSecond)
    }

    private static func two(_ v: Int64) -> String { v < 10 ? "0" + String(v) : String(v) }

    private static func format(_ instant: UnixNanos, offsetSeconds: Int64) -> String {
        let local = instant + offsetSeconds * UnixTime.nanosPerSecond
        let day = UnixTime.floorDiv(local, UnixTime.nanosPerDay)
        let inDay = local - day * UnixTime.nanosPerDay
        let date = CivilDate(daysSinceEpoch: Int(day))
        let secs = inDay / UnixTime.nanosPerSecond
        let frac = inDay % UnixTime.nanosPerSecond
        var s = date.description + "T" + two(secs / 3600) + ":" + two((secs / 60) % 60) + ":" + two(secs % 60)
        if frac != 0 {
            var digits = String(frac)
            digits = String(repeating: "0", count: 9 - digits.count) + digits
            while digits.hasSuffix("0") { digits.removeLast() }
            s += "." + digits
        }
        if offsetSeconds == 0 { return s + "Z" }
        let sign = offsetSeconds < 0 ? "-" : "+"
        let a = abs(offsetSeconds)
        return s + sign + two(a / 3600) + ":" + two((a / 60) % 60)
    }
}
