import TradewindCore

/// One bar's prices.
public struct Bar: Sendable, Hashable {
    public let time: UnixNanos
    public let open: Double
    public let high: Double
    public let low: Double
    public let close: Double
    public let volume: Double
}

/// A read-only view of one symbol's bars **up to the current step**: `count` bars, indexes `0..<count`.
/// Later bars exist in memory but this view cannot reach them, so a strategy cannot look ahead:
/// every accessor returns nil outside `0..<count`.
public struct BarHistory: Sendable {
    @usableFromInline let store: MarketColumns
    @usableFromInline let symbol: Int
    /// Number of bars visible: the current (latest) bar is `count − 1`.
    public let count: Int

    @usableFromInline init(store: MarketColumns, symbol: Int, count: Int) {
        self.store = store
        self.symbol = symbol
        self.count = count
    }

    @inlinable public var isEmpty: Bool { count == 0 }

    @inlinable func visible(_ i: Int) -> Bool { i >= 0 && i < count }

    @inlinable public func open(_ i: Int) -> Double? { visible(i) ? store.open[symbol][i] : nil }
    @inlinable public func high(_ i: Int) -> Double? { visible(i) ? store.high[symbol][i] : nil }
    @inlinable public func low(_ i: Int) -> Double? { visible(i) ? store.low[symbol][i] : nil }
    @inlinable public func close(_ i: Int) -> Double? { visible(i) ? store.close[symbol][i] : nil }
    @inlinable public func volume(_ i: Int) -> Double? { visible(i) ? store.volume[symbol][i] : nil }
    @inlinable public func time(_ i: Int) -> UnixNanos? { visible(i) ? store.barTime[symbol][i] : nil }

    /// The close `k` bars ago (0 = current bar).
    @inlinable public func close(ago k: Int) -> Double? { close(count - 1 - k) }

    /// Bar `i` (absolute index), nil outside the visible range.
    public func bar(_ i: Int) -> Bar? {
        guard visible(i) else { return nil }
        return Bar(time: store.barTime[symbol][i], open: store.open[symbol][i], high: store.high[symbol][i],
                   low: store.low[symbol][i], close: store.close[symbol][i], volume: store.volume[symbol][i])
    }

    /// The visible closes, oldest first (allocates: for setup or diagnostics, not per bar).
    public var closes: [Double] { Array(UnsafeBufferPointer(start: store.close[symbol], count: count)) }
}
