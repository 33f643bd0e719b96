import Testing
@testable import TradewindCharts

@Suite struct DecimationTests {
    /// A deterministic wiggly series with spikes.
    static func series(_ n: Int) -> (x: [Double], y: [Double]) {
        var y: [Double] = []
        var state: UInt64 = 42
        var v = 100.0
        for _ in 0..<n {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            v += Double(Int64(bitPattern: state >> 11) % 1000) / 1000 - 0.5
            y.append(v)
        }
        y[1234] = 10_000
        y[4321] = -10_000
        return ((0..<n).map(Double.init), y)
    }

    @Test func keepsFirstLastAndEveryColumnsExtremes() {
        let (x, y) = Self.series(100_000)
        let idx = Decimation.minMax(x: x, y: y, columns: 400)
        #expect(idx.count <= 4 * 400 + 2)
        #expect(idx.first == 0)
        #expect(idx.last == 99_999)
        #expect(idx.contains(1234))
        #expect(idx.contains(4321))
        #expect(idx == idx.sorted())
        // Every column's min and max survive.
        for col in stride(from: 0, to: 400, by: 37) {
            let lo = col * 250, hi = lo + 250
            let kept = idx.filter { $0 >= lo && $0 < hi }
            #expect(kept.map { y[$0] }.max() == y[lo..<hi].max())
            #expect(kept.map { y[$0] }.min() == y[lo..<hi].min())
        }
    }

    @Test func shortSeriesAreKeptWhole() {
        #expect(Decimation.minMax(x: [0, 1, 2], y: [3, 4, 5], columns: 100) == [0, 1, 2])
    }

    @Test func nonFiniteValuesAreDropped() {
        #expect(Decimation.minMax(x: [0, 1, 2, 3], y: [.nan, 1, .infinity, 2], columns: 100) == [1, 3])
    }

    @Test func histogramBinsCountEveryFiniteValue() {
        let h = HistogramBins(values: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, .nan], bins: 5)
        #expect(h.edges == [0, 2, 4, 6, 8, 10])
        #expect(h.counts == [2, 2, 2, 2, 3])
        #expect(h.skipped == 1)
        #expect(HistogramBins(values: [3, 3]).counts == [2])
        #expect(HistogramBins(values: []).counts.isEmpty)
    }

    @Test func candlesMergeIntoOHLCGroups() {
        let c = Candles(x: [0, 1, 2, 3], open: [1, 2, 3, 4], high: [5, 9, 4, 6], low: [0.5, 1, 0.2, 3], close: [2, 3, 4, 5])
        let m = c.merged(toAtMost: 2)
        #expect(m.open == [1, 3])
        #expect(m.high == [9, 6])
        #expect(m.low == [0.5, 0.2])
        #expect(m.close == [3, 5])
        #expect(m.merged == [2, 2])
    }
}
