import Foundation
import TradewindCore
import TradewindProviders

/// Alpaca's JSON conventions: snake_case keys, decimals as strings, RFC 3339 times in UTC.
public enum AlpacaJSON {
    /// A decoder for Alpaca's bodies (snake_case keys become camelCase properties).
    public static func decoder() -> JSONDecoder {
        let d = JSONDecoder()
        d.keyDecodingStrategy = .convertFromSnakeCase
        return d
    }

    /// An encoder writing Alpaca's bodies (camelCase properties become snake_case keys; keys sorted).
    public static func encoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.keyEncodingStrategy = .convertToSnakeCase
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }

    /// `value` as Alpaca's decimal string: no exponent, no trailing zeros, every digit needed to read the same
    /// number back (`100`, `150.25`, `0.0001`).
    public static func decimal(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        let shortest = "\(value)"
        if !shortest.contains("e") { return shortest }
        var s = String(format: "%.17f", value)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }

    /// A decimal string (or nil) as a number; nil when absent or not a finite number.
    public static func number(_ text: String?) -> Double? {
        guard let text, let v = Double(text), v.isFinite else { return nil }
        return v
    }

    /// An instant in RFC 3339, UTC, in whole seconds rounded down (`2021-02-01T16:01:00Z`): bars, orders, clocks.
    public static func time(_ instant: UnixNanos) -> String { RFC3339.format(instant) }

    /// An instant in RFC 3339, UTC, to the nanosecond (`2022-04-11T12:00:36.002951946Z`, the fraction without trailing
    /// zeros; whole seconds as `time`): trades and quotes.
    public static func preciseTime(_ instant: UnixNanos) -> String {
        let whole = RFC3339.format(instant)
        let nanos = UnixTime.floorMod(instant, UnixTime.nanosPerSecond)
        guard nanos != 0 else { return whole }
        var digits = String(nanos)
        digits = String(repeating: "0", count: 9 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return whole.dropLast() + "." + digits + "Z"
    }

    /// An RFC 3339 time (with `Z` or an offset) or a date (midnight UTC) as an instant; nil when malformed.
    public static func instant(_ text: String) -> UnixNanos? {
        if let t = RFC3339.parse(text) { return t }
        guard let date = CivilDate(iso: text) else { return nil }
        // A date outside the nanosecond range (years 1677–2262) names no instant here.
        let (midnight, overflow) = Int64(date.daysSinceEpoch).multipliedReportingOverflow(by: UnixTime.nanosPerDay)
        return overflow ? nil : midnight
    }
}
