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

    /// The text of `instant` shifted by `offsetSeconds`, written byte by byte into one string (formatting every
    /// equity point and trade was a third of `POST /api/backtest`'s CPU with string concatenation). Nanoseconds
    /// since 1970 reach the years 1677 to 2262, so the four-digit year always holds; the readable
    /// `referenceFormat` takes anything else (an offset of 100 hours or more). `ISO8601Tests` holds them equal.
    static func format(_ instant: UnixNanos, offsetSeconds: Int64) -> String {
        let local = instant + offsetSeconds * UnixTime.nanosPerSecond
        let day = UnixTime.floorDiv(local, UnixTime.nanosPerDay)
        let date = CivilDate(daysSinceEpoch: Int(day))
        guard (0...9999).contains(date.year), abs(offsetSeconds) < 100 * 3600 else {
            return referenceFormat(instant, offsetSeconds: offsetSeconds)
        }
        let inDay = local - day * UnixTime.nanosPerDay
        let secs = Int(inDay / UnixTime.nanosPerSecond)
        var frac = Int(inDay % UnixTime.nanosPerSecond)
        // yyyy-MM-ddTHH:mm:ss (19) + .fffffffff (10) + ±HH:MM (6)
        return String(unsafeUninitializedCapacity: 35) { bytes in
            var i = 0
            func put(_ c: UInt8) {
                bytes[i] = c
                i += 1
            }
            func two(_ v: Int) {
                put(UInt8(48 + v / 10))
                put(UInt8(48 + v % 10))
            }
            two(date.year / 100)
            two(date.year % 100)
            put(UInt8(ascii: "-"))
            two(date.month)
            put(UInt8(ascii: "-"))
            two(date.day)
            put(UInt8(ascii: "T"))
            two(secs / 3600)
            put(UInt8(ascii: ":"))
            two((secs / 60) % 60)
            put(UInt8(ascii: ":"))
            two(secs % 60)
            if frac != 0 {
                var width = 9
                while frac % 10 == 0 {
                    frac /= 10
                    width -= 1
                }
                put(UInt8(ascii: "."))
                var divisor = 1
                for _ in 1..<width { divisor *= 10 }
                while divisor > 0 {
                    put(UInt8(48 + (frac / divisor) % 10))
                    divisor /= 10
                }
            }
            if offsetSeconds == 0 {
                put(UInt8(ascii: "Z"))
            } else {
                let a = Int(abs(offsetSeconds))
                put(UInt8(ascii: offsetSeconds < 0 ? "-" : "+"))
                two(a / 3600)
                put(UInt8(ascii: ":"))
                two((a / 60) % 60)
            }
            return i
        }
    }

    private static func two(_ v: Int64) -> String { v < 10 ? "0" + String(v) : String(v) }

    /// The readable formatting `format` must equal.
    static func referenceFormat(_ instant: UnixNanos, offsetSeconds: Int64) -> String {
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
