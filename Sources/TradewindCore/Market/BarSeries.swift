/// One symbol's bars at one interval, stored column-wise (struct of arrays) for cache-friendly,
/// vectorisable scans. Every column has `count` elements; `time` is strictly ascending and holds
/// each bar's **start** instant (Int64 ns since the epoch, UTC).
///
/// Optional columns are present only when the source had them: `vwap`, `tradeCount`, and the
/// corporate-action columns `dividend` (cash amount on the ex-date, 0 elsewhere) and
/// `splitCoefficient` (new shares per old share on the ex-date, 1 elsewhere). Prices and volumes
/// are stored **raw** (as traded); adjusted views are derived on demand.
public struct BarSeries: Sendable, Equatable {
    public var symbol: String
    public var interval: BarInterval
    public var time: [UnixNanos]
    public var open: [Double]
    public var high: [Double]
    public var low: [Double]
    public var close: [Double]
    public var volume: [Double]
    public var vwap: [Double]?
    public var tradeCount: [Double]?
    public var dividend: [Double]?
    public var splitCoefficient: [Double]?
    /// The source's own adjusted close, when it had one (kept for reference; Tradewind's
    /// adjusted views are computed from `dividend` and `splitCoefficient`).
    public var sourceAdjustedClose: [Double]?

    /// Creates a series. The caller guarantees equal column lengths (checked in debug builds)
    /// and ascending `time`; loaders validate untrusted input before they get here.
    public init(
        symbol: String, interval: BarInterval,
        time: [UnixNanos], open: [Double], high: [Double], low: [Double], close: [Double], volume: [Double],
        vwap: [Double]? = nil, tradeCount: [Double]? = nil,
        dividend: [Double]? = nil, splitCoefficient: [Double]? = nil, sourceAdjustedClose: [Double]? = nil
    ) {
        let n = time.count
        assert(open.count == n && high.count == n && low.count == n && close.count == n && volume.count == n)
        assert(vwap.map { $0.count == n } ?? true && tradeCount.map { $0.count == n } ?? true)
        assert(dividend.map { $0.count == n } ?? true && splitCoefficient.map { $0.count == n } ?? true)
        self.symbol = symbol
        self.interval = interval
        self.time = time
        self.open = open
        self.high = high
        self.low = low
        self.close = close
        self.volume = volume
        self.vwap = vwap
        self.tradeCount = tradeCount
        self.dividend = dividend
        self.splitCoefficient = splitCoefficient
        self.sourceAdjustedClose = sourceAdjustedClose
    }

    /// An empty series.
    public init(symbol: String, interval: BarInterval) {
        self.init(symbol: symbol, interval: interval, time: [], open: [], high: [], low: [], close: [], volume: [])
    }

    public var count: Int { time.count }
    public var isEmpty: Bool { time.isEmpty }

    /// True when the series carries dividends or splits.
    public var hasCorporateActions: Bool { dividend != nil || splitCoefficient != nil }

    /// The bars whose index lies in `range`, as a new series.
    public func slice(_ range: Range<Int>) -> BarSeries {
        func cut(_ a: [Double]?) -> [Double]? { a.map { Array($0[range]) } }
        return BarSeries(
            symbol: symbol, interval: interval, time: Array(time[range]),
            open: Array(open[range]), high: Array(high[range]), low: Array(low[range]), close: Array(close[range]),
            volume: Array(volume[range]), vwap: cut(vwap), tradeCount: cut(tradeCount),
            dividend: cut(dividend), splitCoefficient: cut(splitCoefficient), sourceAdjustedClose: cut(sourceAdjustedClose))
    }

    /// Index of the first bar whose start is at or after `instant` (binary search; `count` when none).
    public func firstIndex(atOrAfter instant: UnixNanos) -> Int {
        var lo = 0
        var hi = time.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if time[mid] < instant { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The bars that start in `[from, to)`.
    public func between(_ from: UnixNanos, _ to: UnixNanos) -> BarSeries {
        slice(firstIndex(atOrAfter: from)..<firstIndex(atOrAfter: to))
    }
}
