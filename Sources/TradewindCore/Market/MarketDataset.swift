/// Several symbols' bar series of one interval, kept per symbol (each with its own time index)
/// and alignable on a common time index for multi-asset work.
public struct MarketDataset: Sendable, Equatable {
    /// The series, sorted by symbol, one per symbol.
    public private(set) var series: [BarSeries]

    /// Creates a dataset; a later series with the same symbol replaces an earlier one.
    public init(_ series: [BarSeries]) {
        var bySymbol: [String: BarSeries] = [:]
        for s in series { bySymbol[s.symbol] = s }
        self.series = bySymbol.values.sorted { $0.symbol < $1.symbol }
    }

    public var symbols: [String] { series.map(\.symbol) }
    public var isEmpty: Bool { series.isEmpty }
    public var count: Int { series.count }

    /// The series of `symbol`, if present (symbols compare case-sensitively).
    public subscript(symbol: String) -> BarSeries? {
        series.first { $0.symbol == symbol }
    }

    /// Adds or replaces one symbol's series.
    public mutating func insert(_ s: BarSeries) {
        series.removeAll { $0.symbol == s.symbol }
        series.append(s)
        series.sort { $0.symbol < $1.symbol }
    }

    /// How a common index is formed from the symbols' own time indexes.
    public enum Alignment: Sendable {
        /// Every instant at which any symbol has a bar.
        case union
        /// Only instants at which every symbol has a bar.
        case intersection
    }

    /// A common time index and, per symbol, the row of its series at each instant (-1 where it has none).
    public struct AlignedIndex: Sendable, Equatable {
        public let time: [UnixNanos]
        public let symbols: [String]
        /// `rows[s][i]` is the index into symbol `s`'s series of the bar at `time[i]`, or -1.
        public let rows: [[Int32]]
        /// For each symbol, the row of its latest bar at or before `time[i]` (forward fill), or -1 before its first bar.
        public func lastRow(symbol s: Int, at i: Int) -> Int32 { forwardRows[s][i] }
        let forwardRows: [[Int32]]
    }

    /// Aligns the symbols on a common, ascending time index. O(total bars) after the sort.
    public func aligned(_ alignment: Alignment = .union) -> AlignedIndex {
        var all: [UnixNanos] = []
        all.reserveCapacity(series.reduce(0) { $0 + $1.count })
        for s in series { all.append(contentsOf: s.time) }
        all.sort()
        var time: [UnixNanos] = []
        time.reserveCapacity(all.count)
        var i = 0
        while i < all.count {
            let t = all[i]
            var j = i
            while j < all.count && all[j] == t { j += 1 }
            if alignment == .union || j - i == series.count { time.append(t) }
            i = j
        }
        var rows: [[Int32]] = []
        var forward: [[Int32]] = []
        for s in series {
            var r = [Int32](repeating: -1, count: time.count)
            var f = [Int32](repeating: -1, count: time.count)
            var k = 0
            var last: Int32 = -1
            for (idx, t) in time.enumerated() {
                while k < s.count && s.time[k] < t { last = Int32(k); k += 1 }
                if k < s.count && s.time[k] == t { r[idx] = Int32(k); last = Int32(k); k += 1 }
                f[idx] = last
            }
            rows.append(r)
            forward.append(f)
        }
        return AlignedIndex(time: time, symbols: symbols, rows: rows, forwardRows: forward)
    }
}
