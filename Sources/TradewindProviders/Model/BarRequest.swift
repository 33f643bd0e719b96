import TradewindCore

/// One symbol's bars at one interval over `[from, to)` (UTC instants, bar starts).
public struct BarRequest: Sendable, Equatable, Hashable {
    public var symbol: String
    public var interval: BarInterval
    /// First instant wanted (inclusive).
    public var from: UnixNanos
    /// End of the range (exclusive).
    public var to: UnixNanos

    public init(symbol: String, interval: BarInterval, from: UnixNanos, to: UnixNanos) {
        self.symbol = symbol
        self.interval = interval
        self.from = from
        self.to = to
    }

    /// The bars of `symbol` from the start of `firstDay` to the end of `lastDay`, both New York dates (the
    /// exchange's calendar days).
    public init(symbol: String, interval: BarInterval, firstDay: CivilDate, lastDay: CivilDate) {
        self.init(symbol: symbol, interval: interval,
                  from: ZoneRules.newYork.instant(firstDay, hour: 0, minute: 0),
                  to: ZoneRules.newYork.instant(lastDay.adding(days: 1), hour: 0, minute: 0))
    }

    /// The same request for `[from, to)`.
    public func range(_ from: UnixNanos, _ to: UnixNanos) -> BarRequest {
        BarRequest(symbol: symbol, interval: interval, from: from, to: to)
    }
}
