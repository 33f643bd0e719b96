import Foundation
import Testing
import TradewindCore
import TradewindData
@testable import TradewindStrategies

/// The eight-lane loop (`SMACrossKernel.eightLaneRun`, C with AVX-512) against `fastRun` (next-open fills) and
/// `fastCloseRun` (close fills), one pair at a time: every figure of every pair — the summary's too — and every trade,
/// bit for bit. Grids take the eight-lane loop for each row of consecutive fast windows under one slow window; a single
/// pair takes the Swift pass.
@Suite struct SMACrossKernelEightLaneTests {
    /// Rows of a grid: for each slow window, a run of consecutive fast windows (so eight-lane groups and leftovers),
    /// in shuffled order, plus a few random pairs and one repeated pair (alone).
    static func gridPairs(_ rng: inout TestRandom, slowWindows: [Int], maxFast: Int) -> [SMACrossKernel.Pair] {
        var pairs: [SMACrossKernel.Pair] = []
        for slow in slowWindows {
            let top = min(maxFast, slow - 1)
            let first = 1 + Int(rng.next() % UInt64(max(1, top / 3)))
            pairs += (first...top).map { SMACrossKernel.Pair(fast: $0, slow: slow) }
        }
        pairs += SMACrossKernelBitExactnessTests.randomPairs(&rng, 5, maxFast: 10, maxSpan: 30)
        pairs.append(pairs[0])
        for k in pairs.indices.reversed() where k > 0 { pairs.swapAt(k, Int(rng.next() % UInt64(k + 1))) }
        return pairs
    }

    /// Each pair of `pairs` evaluated in one grid and on its own (`fastRun`); returns the trades seen.
    static func compare(_ series: BarSeries, _ pairs: [SMACrossKernel.Pair], costs: KernelCosts, initialCash: Double) throws -> Int {
        var trades = 0
        for atClose in [false, true] {
            let grid = try SMACrossKernel.evaluate(series: series, pairs: pairs, initialCash: initialCash, costs: costs,
                                                   fillAtClose: atClose, recordTrades: true)
            let plain = try SMACrossKernel.evaluate(series: series, pairs: pairs, initialCash: initialCash, costs: costs,
                                                    fillAtClose: atClose, threads: .single)
            for (k, p) in pairs.enumerated() {
                let alone = try SMACrossKernel.evaluate(series: series, pairs: [p], initialCash: initialCash, costs: costs,
                                                        fillAtClose: atClose, recordTrades: true)
                let context = "\(series.symbol) \(p) \(costs)" + (atClose ? ", close fills" : "")
                let expected = "\(alone.metrics(at: 0))"
                #expect("\(grid.metrics(at: k))" == expected, "\(context)")
                #expect("\(plain.metrics(at: k))" == expected, "\(context), one thread, no trade lists")
                #expect(grid.tradeLists![k] == alone.tradeLists![0], "\(context): trades")
                trades += grid.metrics(at: k).trades
            }
        }
        return trades
    }

    @Test func eightLanesGiveFastRunsFiguresBitForBitOnIBM() throws {
        let ibm = try DataSource(parsing: "sample:sp500-50").load(symbols: ["IBM"]).series[0]
        var rng = TestRandom(seed: 41)
        var trades = 0
        for costs in SMACrossKernelBitExactnessTests.costVariants {
            let pairs = Self.gridPairs(&rng, slowWindows: [12, 30, 61, 140], maxFast: 24)
            trades += try Self.compare(ibm, pairs, costs: costs, initialCash: 100_000)
        }
        #expect(trades > 2_000)
    }

    /// Flat stretches (equal averages), pinned prices, series shorter than some windows, fast windows of 1 and 2.
    @Test func eightLanesGiveFastRunsFiguresBitForBitOnSeriesWithFlatStretches() throws {
        var rng = TestRandom(seed: 42)
        var trades = 0
        for length in [3, 9, 64, 500, 2_000] {
            let s = FlatStretchSeries(start: 80, move: 0.08, keepOneIn: 3, pinnedBlock: 30, pinnedCycle: 4, pinnedPhase: 2,
                                      pinnedPrice: 75, openAtCloseOneIn: 4, openSpread: 0.02)
                .series(&rng, symbol: "FLAT\(length)", length: length)
            for costs in SMACrossKernelBitExactnessTests.costVariants {
                let pairs = Self.gridPairs(&rng, slowWindows: [10, 11, 25, 48], maxFast: 20)
                trades += try Self.compare(s, pairs, costs: costs, initialCash: length % 2 == 0 ? 100_000 : 7_654.32)
            }
        }
        #expect(trades > 1_000)
    }

    static func plan(_ pairs: [SMACrossKernel.Pair]) -> (SMACrossKernel.EightLanePlan, columnOf: [Int], width: Int) {
        let windows = Array(Set(pairs.flatMap { [$0.fast, $0.slow] })).sorted()
        var columnOf = [Int](repeating: -1, count: (windows.last ?? 0) + 1)
        for (k, w) in windows.enumerated() { columnOf[w] = k }
        return (SMACrossKernel.EightLanePlan(pairs: pairs, columnOf: columnOf, width: windows.count), columnOf, windows.count)
    }

    /// Every lane of every group reads its own pair's columns, and every pair is evaluated exactly once.
    static func checkLanes(_ plan: SMACrossKernel.EightLanePlan, _ pairs: [SMACrossKernel.Pair], _ columnOf: [Int]) {
        for g in plan.groups {
            for (l, k) in g.pairs.enumerated() {
                guard let k else { continue }
                let second = g.second.flatMap { l >= $0.split ? $0 : nil }
                #expect(columnOf[pairs[k].fast] == (second.map { $0.fastColumn + l - $0.split } ?? g.fastColumn + l), "lane \(l) of \(g)")
                #expect(columnOf[pairs[k].slow] == (second?.slowColumn ?? g.slowColumn), "lane \(l) of \(g)")
                #expect(g.firstBar <= pairs[k].slow - 1)
            }
        }
        #expect((plan.groups.flatMap { $0.pairs.compactMap { $0 } } + plan.singles).sorted() == Array(pairs.indices))
        // A group costs about `minimumLanes` single passes: none holds fewer pairs.
        #expect(plan.groups.allSatisfy { $0.pairs.compactMap { $0 }.count >= SMACrossKernel.EightLanePlan.minimumLanes })
    }

    /// A grid is split into runs of eight consecutive fast windows under one slow window; the runs' last pairs are
    /// packed two rows to a group where they fit, a rest left alone of three to seven pairs makes a group with idle lanes
    /// (the columns beside them), and the others (shorter rests, repeats) are evaluated alone.
    @Test func thePlanGroupsEightConsecutiveFastWindowsUnderOneSlowWindow() {
        func fasts(_ pairs: [SMACrossKernel.Pair], _ g: SMACrossKernel.EightLaneGroup) -> [Int?] { g.pairs.map { $0.map { pairs[$0].fast } } }
        // Rests of 3 (slow 20), 1 (a repeated pair, slow 30) and 2 (slow 40): the 3 and the 2 share a group.
        let pairs = (2...12).map { SMACrossKernel.Pair(fast: $0, slow: 20) } + (5...12).map { SMACrossKernel.Pair(fast: $0, slow: 30) }
            + [SMACrossKernel.Pair(fast: 5, slow: 30), SMACrossKernel.Pair(fast: 3, slow: 40), SMACrossKernel.Pair(fast: 4, slow: 40)]
        let (plan, columnOf, _) = Self.plan(pairs)
        #expect(plan.groups.map { fasts(pairs, $0) } == [Array(2...9), Array(5...12), [10, 11, 12, 3, 4, nil, nil, nil]])
        #expect(plan.groups.first?.second == nil && plan.groups.dropFirst().first?.second == nil)
        #expect(plan.groups.last?.second == .init(split: 3, fastColumn: columnOf[3], slowColumn: columnOf[40], lanes: 2))
        #expect(plan.groups.last?.firstBar == 19)
        #expect(plan.singles.map { pairs[$0] } == [.init(fast: 5, slow: 30)])
        Self.checkLanes(plan, pairs, columnOf)

        // Rests of 7 and 2 do not fit together: the 7 runs with an idle lane (the eight columns from its first), the 2
        // alone.
        let other = (2...16).map { SMACrossKernel.Pair(fast: $0, slow: 20) } + [SMACrossKernel.Pair(fast: 3, slow: 40), SMACrossKernel.Pair(fast: 4, slow: 40)]
        let (second, columns, width) = Self.plan(other)
        #expect(second.groups.map { fasts(other, $0) } == [Array(2...9), Array(10...16) + [nil]])
        #expect(second.groups.last?.fastColumn == min(columns[10], width - 8))
        #expect(second.groups.allSatisfy { $0.second == nil })
        #expect(second.singles.map { other[$0] } == [.init(fast: 3, slow: 40), .init(fast: 4, slow: 40)])
        Self.checkLanes(second, other, columns)
    }

    /// Pairs with no neighbours (a batch of random points) are rests of one pair each: two of them would cost more in a
    /// group than alone, so they are evaluated alone; a rest of one still joins a longer rest.
    @Test func pairsWithoutNeighboursAreEvaluatedAloneUnlessALongerRestTakesThem() {
        let scattered = (0..<200).map { SMACrossKernel.Pair(fast: 2 + 3 * $0, slow: 700 + 5 * $0) }
        let (plan, columnOf, _) = Self.plan(scattered)
        #expect(plan.groups.isEmpty)
        #expect(plan.singles == Array(scattered.indices))
        Self.checkLanes(plan, scattered, columnOf)

        let mixed = scattered + (2...4).map { SMACrossKernel.Pair(fast: $0, slow: 50) }
        let (second, columns, _) = Self.plan(mixed)
        #expect(second.groups.count == 1)
        #expect(second.groups.first?.pairs.compactMap { $0 }.count == 4)
        #expect(second.singles.count == 199)
        Self.checkLanes(second, mixed, columns)
    }

    /// Rows whose last pairs share a group (two slow windows in one vector), on IBM: every figure and trade as each
    /// pair alone, bit for bit.
    @Test func twoRowsInOneGroupGiveFastRunsFiguresBitForBit() throws {
        let ibm = try DataSource(parsing: "sample:sp500-50").load(symbols: ["IBM"]).series[0]
        // Rows of 8k + 1 … 8k + 7 pairs: rests of every size, most of them packed in twos.
        var pairs: [SMACrossKernel.Pair] = []
        for (slow, count) in [(30, 9), (31, 15), (45, 3), (46, 5), (60, 6), (61, 2), (80, 4), (81, 4), (90, 12), (99, 7)] {
            pairs += (2 ..< 2 + count).map { SMACrossKernel.Pair(fast: $0, slow: slow) }
        }
        let (plan, columnOf, _) = Self.plan(pairs)
        #expect(plan.groups.filter { $0.second != nil }.count >= 4)
        Self.checkLanes(plan, pairs, columnOf)
        var trades = 0
        for costs in SMACrossKernelBitExactnessTests.costVariants {
            trades += try Self.compare(ibm, pairs, costs: costs, initialCash: 100_000)
        }
        #expect(trades > 2_000)
    }

    /// The eight-lane loop runs wherever the CPU has AVX-512 F (so the tests above test it there, not `fastRun` twice).
    @Test func theEightLaneLoopRunsOnEveryCPUWithAVX512() throws {
        #if arch(x86_64) && os(Linux)
        let flags = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
            .split(separator: "\n").first { $0.hasPrefix("flags") } ?? ""
        #expect(SMACrossKernel.eightLanesAvailable == flags.split(separator: " ").contains("avx512f"), "cpuinfo flags: \(flags)")
        #endif
    }
}
