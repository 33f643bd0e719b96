/// Instants in Tradewind are `Int64` nanoseconds since 1970-01-01T00:00:00Z (UTC).
///
/// A bar's instant is always its **start** time. The range of `Int64` nanoseconds covers
/// the years 1678 to 2262, which bounds every date Tradewind accepts.
public typealias UnixNanos = Int64

/// Constants and conversions for `UnixNanos`.
public enum UnixTime {
    public static let nanosPerMicrosecond: Int64 = 1_000
    public static let nanosPerMillisecond: Int64 = 1_000_000
    public static let nanosPerSecond: Int64 = 1_000_000_000
    public static let nanosPerMinute: Int64 = 60 * nanosPerSecond
    public static let nanosPerHour: Int64 = 60 * nanosPerMinute
    public static let nanosPerDay: Int64 = 24 * nanosPerHour
    public static let secondsPerDay: Int64 = 86_400

    /// Floor division that rounds toward negative infinity (for instants before 1970).
    @inlinable
    public static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q
    }

    /// Non-negative remainder matching `floorDiv`.
    @inlinable
    public static func floorMod(_ a: Int64, _ b: Int64) -> Int64 {
        let r = a % b
        return r < 0 ? r + b : r
    }

    /// The UTC civil date of an instant.
    @inlinable
    public static func utcDate(of instant: UnixNanos) -> CivilDate {
        CivilDate(daysSinceEpoch: Int(floorDiv(instant, nanosPerDay)))
    }

    /// The instant of midnight UTC at the start of `date`.
    @inlinable
    public static func midnightUTC(_ date: CivilDate) -> UnixNanos {
        Int64(date.daysSinceEpoch) * nanosPerDay
    }
}
