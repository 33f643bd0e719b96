/// OHLC candles, possibly merged so that a chart never draws more candles than it has room for.
public struct Candles: Sendable, Equatable {
    /// Position of each candle on the x axis (axis units: bar index on an ordinal axis).
    public var x: [Double]
    public var open: [Double]
    public var high: [Double]
    public var low: [Double]
    public var close: [Double]
    /// How many source bars each candle merges (1 when not merged).
    public var merged: [Int]

    public init(x: [Double], open: [Double], high: [Double], low: [Double], close: [Double]) {
        self.x = x
        self.open = open
        self.high = high
        self.low = low
        self.close = close
        merged = [Int](repeating: 1, count: x.count)
    }

    public var count: Int { x.count }

    /// Merges consecutive candles into at most `maxCount` groups of equal bar count: open of the
    /// first, highest high, lowest low, close of the last, positioned at the group's centre.
    public func merged(toAtMost maxCount: Int) -> Candles {
        guard maxCount > 0, count > maxCount else { return self }
        let per = (count + maxCount - 1) / maxCount
        var out = Candles(x: [], open: [], high: [], low: [], close: [])
        var i = 0
        while i < count {
            let j = min(i + per, count)
            out.x.append((x[i] + x[j - 1]) / 2)
            out.open.append(open[i])
            out.high.append(high[i..<j].max()!)
            out.low.append(low[i..<j].min()!)
            out.close.append(close[j - 1])
            out.merged.append(j - i)
            i = j
        }
        return out
    }
}
