import TradewindCore

/// Joins pieces of one symbol's series (cached bars and newly fetched ranges) into one ascending series; where two
/// pieces hold a bar at the same instant the later piece wins. Optional columns present in any piece are kept
/// (NaN, 0 or 1 where a piece lacks them: no VWAP, no dividend, no split).
enum SeriesMerge {
    static func merge(_ pieces: [BarSeries], symbol: String, interval: BarInterval) -> BarSeries {
        let parts = pieces.filter { !$0.isEmpty }
        if parts.count == 1 { return parts[0] }
        if let joined = concatenated(parts, symbol: symbol, interval: interval) { return joined }
        var refs: [(time: UnixNanos, piece: Int, index: Int)] = []
        refs.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        for (p, s) in parts.enumerated() { for i in 0..<s.count { refs.append((s.time[i], p, i)) } }
        refs.sort { $0.time != $1.time ? $0.time < $1.time : $0.piece < $1.piece }
        var kept: [(piece: Int, index: Int)] = []
        kept.reserveCapacity(refs.count)
        var lastTime: UnixNanos?
        for r in refs {
            if r.time == lastTime { kept[kept.count - 1] = (r.piece, r.index) } else { kept.append((r.piece, r.index)) }
            lastTime = r.time
        }
        return build(parts, symbol: symbol, interval: interval, time: kept.map { parts[$0.piece].time[$0.index] }) { get, fill in
            kept.map { get(parts[$0.piece])?[$0.index] ?? fill }
        }
    }

    /// The pieces joined end to end when each begins after the previous one ends (a fetch extending the cache: the
    /// common case, without sorting); nil when they overlap or interleave.
    static func concatenated(_ parts: [BarSeries], symbol: String, interval: BarInterval) -> BarSeries? {
        guard parts.count > 1 else { return nil }
        for k in 1..<parts.count where parts[k].time[0] <= parts[k - 1].time[parts[k - 1].count - 1] { return nil }
        return build(parts, symbol: symbol, interval: interval, time: parts.flatMap(\.time)) { get, fill in
            parts.flatMap { get($0) ?? [Double](repeating: fill, count: $0.count) }
        }
    }

    /// The merged series: its `time`, and each column as `gather` collects it from the pieces (given how to read a
    /// piece's column, nil where the piece lacks it, and the value that stands for a missing one). An optional
    /// column is kept when any piece has it.
    private static func build(_ parts: [BarSeries], symbol: String, interval: BarInterval, time: [UnixNanos],
                              gather: (_ column: @escaping (BarSeries) -> [Double]?, _ fill: Double) -> [Double]) -> BarSeries {
        func optional(_ get: @escaping (BarSeries) -> [Double]?, fill: Double) -> [Double]? {
            parts.contains { get($0) != nil } ? gather(get, fill) : nil
        }
        return BarSeries(
            symbol: symbol, interval: interval, time: time,
            open: gather({ $0.open }, .nan), high: gather({ $0.high }, .nan), low: gather({ $0.low }, .nan),
            close: gather({ $0.close }, .nan), volume: gather({ $0.volume }, .nan),
            vwap: optional({ $0.vwap }, fill: .nan), tradeCount: optional({ $0.tradeCount }, fill: .nan),
            dividend: optional({ $0.dividend }, fill: 0), splitCoefficient: optional({ $0.splitCoefficient }, fill: 1))
    }
}
