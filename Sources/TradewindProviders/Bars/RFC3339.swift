import TradewindCore

/// Reads and writes the RFC 3339 instants of providers' JSON (`2021-02-01T16:01:00Z`,
/// `2021-02-01T11:01:00.123456789-05:00`).
public enum RFC3339 {
    /// The instant `text` names, or nil when it is not RFC 3339 with a `Z` or `±hh:mm` offset, or lies outside the
    /// nanosecond range (years 1677–2262).
    public static func parse(_ text: String) -> UnixNanos? {
        var text = text
        return text.withUTF8 { parse(utf8: $0) }
    }

    /// The instant the UTF-8 bytes `u` name (a space may stand for the `T`), or nil when they are not RFC 3339
    /// with a `Z` or `±hh:mm` offset. Reads the bytes in place (the bars page parser's path).
    public static func parse(utf8 u: UnsafeBufferPointer<UInt8>) -> UnixNanos? {
        guard u.count >= 20, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-"),
              u[10] == UInt8(ascii: "T") || u[10] == UInt8(ascii: "t") || u[10] == UInt8(ascii: " "),
              u[13] == UInt8(ascii: ":"), u[16] == UInt8(ascii: ":") else { return nil }
        func num(_ a: Int, _ b: Int) -> Int? {
            var v = 0
            for i in a..<b {
                let d = Int(u[i]) - 48
                guard d >= 0 && d <= 9 else { return nil }
                v = v * 10 + d
            }
            return v
        }
        guard let y = num(0, 4), let mo = num(5, 7), let d = num(8, 10), let h = num(11, 13), let mi = num(14, 16),
              let s = num(17, 19), h < 24, mi < 60, s < 61, let date = CivilDate(year: y, month: mo, day: d) else { return nil }
        var i = 19
        var frac: Int64 = 0
        if i < u.count && u[i] == UInt8(ascii: ".") {
            i += 1
            var digits = 0
            while i < u.count, u[i] >= 48, u[i] <= 57 {
                if digits < 9 { frac = frac * 10 + Int64(u[i] - 48) }
                digits += 1
                i += 1
            }
            guard digits > 0 else { return nil }
            for _ in min(digits, 9)..<9 { frac *= 10 }
        }
        guard i < u.count else { return nil }
        var offset: Int64 = 0
        if u[i] == UInt8(ascii: "Z") || u[i] == UInt8(ascii: "z") {
            i += 1
        } else if u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-") {
            guard u.count - i == 6, u[i + 3] == UInt8(ascii: ":"), let oh = num(i + 1, i + 3), let om = num(i + 4, i + 6) else { return nil }
            offset = Int64(oh * 3600 + om * 60) * (u[i] == UInt8(ascii: "-") ? -1 : 1)
            i += 6
        } else {
            return nil
        }
        guard i == u.count else { return nil }
        let seconds = Int64(date.daysSinceEpoch) * UnixTime.secondsPerDay + Int64(h * 3600 + mi * 60 + s) - offset
        // Outside the nanosecond range (before 1677 or after 2262): not an instant here.
        let (nanos, overflow) = seconds.multipliedReportingOverflow(by: UnixTime.nanosPerSecond)
        guard !overflow, nanos <= UnixNanos.max - frac else { return nil }
        return nanos + frac
    }

    /// `instant` as `YYYY-MM-DDTHH:MM:SSZ` (whole seconds, rounded down).
    public static func format(_ instant: UnixNanos) -> String {
        let seconds = UnixTime.floorDiv(instant, UnixTime.nanosPerSecond)
        let date = CivilDate(daysSinceEpoch: Int(UnixTime.floorDiv(seconds, UnixTime.secondsPerDay)))
        let t = Int(UnixTime.floorMod(seconds, UnixTime.secondsPerDay))
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(date)T\(two(t / 3600)):\(two(t / 60 % 60)):\(two(t % 60))Z"
    }
}
