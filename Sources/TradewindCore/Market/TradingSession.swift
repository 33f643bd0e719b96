/// One regular trading session of an exchange: its local trading date and the instants at which
/// it opens and closes (a 13:00 early close makes `close` earlier than usual).
public struct TradingSession: Hashable, Sendable, CustomStringConvertible {
    public let date: CivilDate
    public let open: UnixNanos
    public let close: UnixNanos
    /// True when the exchange closes before its regular closing time on this date.
    public let isEarlyClose: Bool

    public init(date: CivilDate, open: UnixNanos, close: UnixNanos, isEarlyClose: Bool) {
        self.date = date
        self.open = open
        self.close = close
        self.isEarlyClose = isEarlyClose
    }

    /// Length of the session in nanoseconds.
    public var duration: Int64 { close - open }

    /// True when `instant` lies in `[open, close)`.
    public func contains(_ instant: UnixNanos) -> Bool { instant >= open && instant < close }

    public var description: String {
        "\(date) \(ISO8601.utc(open))–\(ISO8601.utc(close))\(isEarlyClose ? " (early close)" : "")"
    }
}
