/// Fast ISO 8601 formatting of instants, without Foundation formatters.
public enum ISO8601 {
    /// `yyyy-MM-ddTHH:mm:ssZ` in UTC, with `.fffffffff` trimmed of trailing zeros when the
    /// instant is not a whole second.
    public static func utc(_ instant: UnixNanos) -> String {
        format(instant, offsetSeconds: 0)
    }

    /// `yyyy-MM-ddTHH:mm:ss±HH:MM` in the given zone (`Z` when the offset is zero, `+00:00` with `numericUTC`).
    public static func local(_ instant: UnixNanos, in zone: ZoneRules, numericUTC: Bool = false) -> String {
        format(instant, offsetSeconds: zone.offsetNanos(at: instant) / UnixTime.nanosPerSecond, numericUTC: numericUTC)
    }

    /// The most bytes `write` writes: `yyyy-MM-ddTHH:mm:ss` (19), `.fffffffff` (10) and `±HH:MM` (6).
    public static let maxLength = 35

    /// Writes `local(instant, in: zone, numericUTC:)`'s bytes to the start of `bytes` (at least `maxLength` long) and
    /// returns how many it wrote: the text of a timestamp written straight into a response, with no `String` made.
    public static func write(_ instant: UnixNanos, in zone: ZoneRules, numericUTC: Bool = false,
                             into bytes: UnsafeMutableBufferPointer<UInt8>) -> Int {
        precondition(bytes.count >= maxLength, "ISO8601.write needs \(maxLength) bytes, got \(bytes.count)")
        let offsetSeconds = zone.offsetNanos(at: instant) / UnixTime.nanosPerSecond
        if let written = write(instant, offsetSeconds: offsetSeconds, numericUTC: numericUTC, into: bytes) { return written }
        // Outside the four-digit years or a 100-hour offset (never, for a real zone): the readable formatting.
        let text = referenceFormat(instant, offsetSeconds: offsetSeconds, numericUTC: numericUTC)
        var i = 0
        for b in text.utf8.prefix(bytes.count) {
            bytes[i] = b
            i += 1
        }
        return i
    }

    /// The text of `instant` shifted by `offsetSeconds`, written byte by byte into one string (formatting every
    /// equity point and trade was a third of `POST /api/backtest`'s CPU with string concatenation). Nanoseconds
    /// since 1970 reach the years 1677 to 2262, so the four-digit year always holds; the readable
    /// `referenceFormat` takes anything else (an offset of 100 hours or more). `ISO8601Tests` holds them equal.
    static func format(_ instant: UnixNanos, offsetSeconds: Int64, numericUTC: Bool = false) -> String {
        var fits = true
        let text = String(unsafeUninitializedCapacity: maxLength) { bytes in
            guard let written = write(instant, offsetSeconds: offsetSeconds, numericUTC: numericUTC, into: bytes) else {
                fits = false
                return 0
            }
            return written
        }
        return fits ? text : referenceFormat(instant, offsetSeconds: offsetSeconds, numericUTC: numericUTC)
    }

    /// `format`'s bytes into `bytes` (at least `maxLength` long); nil, with nothing written, for a year outside
    /// 0–9999 or an offset of 100 hours or more.
    static func write(_ instant: UnixNanos, offsetSeconds: Int64, numericUTC: Bool,
                      into bytes: UnsafeMutableBufferPointer<UInt8>) -> Int? {
        let local = instant + offsetSeconds * UnixTime.nanosPerSecond
        let day = UnixTime.floorDiv(local, UnixTime.nanosPerDay)
        let date = CivilDate(daysSinceEpoch: Int(day))
        guard (0...9999).contains(date.year), abs(offsetSeconds) < 100 * 3600, bytes.count >= maxLength else { return nil }
        let inDay = local - day * UnixTime.nanosPerDay
        let secs = Int(inDay / UnixTime.nanosPerSecond)
        var frac = Int(inDay % UnixTime.nanosPerSecond)
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
        if offsetSeconds == 0 && !numericUTC {
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

    private static func two(_ v: Int64) -> String { v < 10 ? "0" + String(v) : String(v) }

    /// The readable formatting `format` must equal.
    static func referenceFormat(_ instant: UnixNanos, offsetSeconds: Int64, numericUTC: Bool = false) -> String {
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
        if offsetSeconds == 0 && !numericUTC { return s + "Z" }
        let sign = offsetSeconds < 0 ? "-" : "+"
        let a = abs(offsetSeconds)
        return s + sign + two(a / 3600) + ":" + two((a / 60) % 60)
    }
}
