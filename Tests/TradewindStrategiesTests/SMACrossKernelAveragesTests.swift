import Foundation
import Testing
import TradewindCore
@testable import TradewindStrategies

/// The moving averages the sma-cross kernel compares (`averageColumns`, window by window, and `averageRows`, bar by
/// bar; C with AVX-512 where the CPU has it) equal the Swift expression `(sums[i] − sums[i − w]) / w` bit for bit:
/// `sums[w − 1] / w` at a window's first full bar, NaN before it. A crossing turns on these comparisons, so an average
/// one unit in the last place off can move a trade.
@Suite struct SMACrossKernelAveragesTests {
    static func expected(_ sums: [Double], window w: Int, bar i: Int) -> Double {
        let dw = Double(w)
        return i + 1 < w ? .nan : i + 1 == w ? sums[i] / dw : (sums[i] - sums[i - w]) / dw
    }

    static func same(_ a: Double, _ b: Double) -> Bool { a.isNaN ? b.isNaN : a.bitPattern == b.bitPattern }

    @Test func averagesByWindowAndByBarEqualTheSwiftExpressionBitForBit() {
        var rng = TestRandom(seed: 77)
        var compared = 0, fractional = 0
        // Lengths around the eight-wide steps and windows around each length, the first window and beyond the series.
        for n in [1, 7, 8, 9, 16, 23, 250, 1_003] {
            var sums: [Double] = []
            var total = 0.0
            for _ in 0..<n {
                // Prices from cents to millions, so the sums' rounding varies.
                let scale = [0.01, 1, 137.5, 2e6][Int(rng.next() % 4)]
                total += scale * (1 + Double(rng.next() % 100_000) / 7_919)
                sums.append(total)
            }
            let windows = Array(Set([1, 2, 3, 5, 7, 8, 9, 10, 17, max(1, n - 1), n, n + 1, n + 9, 40, 99, 100, 251]
                .filter { $0 >= 1 })).sorted()
            for threads in [ThreadBudget.single, ThreadBudget(2)] {
                let columns = SMACrossKernel.averageColumns(sumsOfCloses: sums, windows: windows, threads: threads)
                let rows = SMACrossKernel.averageRows(sumsOfCloses: sums, windows: windows, threads: threads)
                #expect(columns.count == windows.count * n && rows.count == windows.count * n)
                guard columns.count == windows.count * n, rows.count == windows.count * n else { continue }
                for (k, w) in windows.enumerated() {
                    for i in 0..<n {
                        let want = Self.expected(sums, window: w, bar: i)
                        #expect(Self.same(columns[k * n + i], want), "n \(n) window \(w) bar \(i): column \(columns[k * n + i]) ≠ \(want)")
                        #expect(Self.same(rows[i * windows.count + k], want), "n \(n) window \(w) bar \(i): row \(rows[i * windows.count + k]) ≠ \(want)")
                        compared += 1
                        if want.isFinite && want.rounded() != want { fractional += 1 }
                    }
                }
            }
        }
        #expect(compared > 40_000)
        #expect(fractional > 20_000)  // the divisions round: a reciprocal multiply would differ somewhere
    }
}
