import TradewindCore

/// Instants in responses: ISO 8601 with an explicit offset (`2024-03-01T14:30:00.123-05:00`, `+00:00` for UTC) in
/// the server's zone, so clients never guess whether a time is UTC.
struct Timestamps: Sendable {
    let zone: ZoneRules

    func string(_ instant: UnixNanos) -> String {
        ISO8601.local(instant, in: zone, numericUTC: true)
    }

    /// Writes `string(instant)`'s bytes to the start of `bytes` (at least `ISO8601.maxLength` long); returns how many.
    func write(_ instant: UnixNanos, into bytes: UnsafeMutableBufferPointer<UInt8>) -> Int {
        ISO8601.write(instant, in: zone, numericUTC: true, into: bytes)
    }

    func string(_ instant: UnixNanos?) -> String? { instant.map { string($0) } }

    /// Parses `2024-03-01`, `2024-03-01T14:30:00Z` or `…±HH:MM` (fraction optional), years 1700–2200; nil when malformed
    /// or out of range.
    static func parse(_ text: String, zone: ZoneRules) -> UnixNanos? {
        let bytes = Array(text.utf8)
        func num(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= bytes.count else { return nil }
            var v = 0
            for b in bytes[from..<(from + count)] {
                guard b >= 48 && b <= 57 else { return nil }
                v = v * 10 + Int(b - 48)
            }
            return v
        }
        guard bytes.count >= 10, bytes[4] == 45, bytes[7] == 45, let y = num(0, 4), let m = num(5, 2), let d = num(8, 2),
              (1...12).contains(m), (1...31).contains(d),
              // Instants are Int64 nanoseconds: years 1678–2261 only.
              (1700...2200).contains(y)
        else { return nil }
        guard let date = CivilDate(year: y, month: m, day: d) else { return nil }
        let day = Int64(date.daysSinceEpoch) * UnixTime.nanosPerDay
        if bytes.count == 10 { return zone.utcNanos(fromLocal: day) }
        guard bytes.count >= 19, bytes[10] == 84 || bytes[10] == 32, bytes[13] == 58, bytes[16] == 58,
              let hh = num(11, 2), let mm = num(14, 2), let ss = num(17, 2), hh < 24, mm < 60, ss < 61
        else { return nil }
        var i = 19
        var frac: Int64 = 0
        if i < bytes.count, bytes[i] == 46 {
            i += 1
            var digits = 0
            while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 {
                if digits < 9 { frac = frac * 10 + Int64(bytes[i] - 48); digits += 1 }
                i += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<9 { frac *= 10 }
        }
        let local = day + Int64(hh * 3600 + mm * 60 + ss) * UnixTime.nanosPerSecond + frac
        if i == bytes.count { return zone.utcNanos(fromLocal: local) }
        if bytes[i] == 90, i + 1 == bytes.count { return local }
        guard bytes[i] == 43 || bytes[i] == 45, bytes.count == i + 6, bytes[i + 3] == 58,
              let oh = num(i + 1, 2), let om = num(i + 4, 2), oh < 24, om < 60
        else { return nil }
        let offset = Int64(oh * 3600 + om * 60) * UnixTime.nanosPerSecond
        return bytes[i] == 43 ? local - offset : local + offset
    }
}
