import Dispatch
import Foundation
import TradewindCore
import TradewindData
import TradewindStrategies

/// `tradewind bench kernels`: the intraday `momentum` kernel on a synthetic universe (`SyntheticMarket`, default
/// 372 symbols × one year of NYSE minute bars) with a 13,775-combination grid, against the bar-by-bar brute force
/// (`IntradayBruteForce`, one combination at a time scanning every minute, as a GPU grid search does) measured
/// in the same run on a sample of combinations and extrapolated.
///
/// The grid: buy_trigger 0.1 … 9.5 % step 0.1 (95) × sell_trigger 0.1 … 2.9 % step 0.1 (29) × stop_loss
/// {0 (off), 0.5, 1, 1.5, 2} % (5) = 13,775, at buy_time 10:00, compounding.
public struct KernelBenchmark: Sendable {
    public var symbols: Int
    public var workers: Int
    public var bruteForceCombinations: Int
    public var rule: IntradayEntryRule
    public var seed: UInt64
    public var year: Int

    public init(symbols: Int = 372, workers: Int = ProcessInfo.processInfo.activeProcessorCount,
                bruteForceCombinations: Int = 60, rule: IntradayEntryRule = .momentum, seed: UInt64 = 42, year: Int = 2019) {
        self.symbols = symbols
        self.workers = max(1, workers)
        self.bruteForceCombinations = bruteForceCombinations
        self.rule = rule
        self.seed = seed
        self.year = year
    }

    public struct Report: Sendable, CustomStringConvertible {
        public var symbols: Int
        public var combinations: Int
        public var workers: Int
        public var barsPerSymbol: Int
        public var sessions: Int
        public var dataSeconds: Double
        public var kernelSeconds: Double
        /// CPU time (all threads) spent in the kernel phase: independent of other load on the machine.
        public var kernelCPUSeconds: Double
        public var bruteForceSample: Int
        public var bruteForceSecondsPerEvaluation: Double
        public var bruteForceAgrees: Bool
        public var totalTrades: Int

        public var evaluations: Int { symbols * combinations }
        public var evaluationsPerSecond: Double { Double(evaluations) / kernelSeconds }
        /// Brute force for the whole universe on the same number of workers (CPU time / workers: ideal scaling).
        public var bruteForceSecondsExtrapolated: Double { bruteForceSecondsPerEvaluation * Double(evaluations) / Double(workers) }
        /// Brute force CPU time over kernel CPU time for the same evaluations.
        public var speedup: Double { bruteForceSecondsPerEvaluation * Double(evaluations) / kernelCPUSeconds }
        /// Evaluations per CPU-second × workers: the throughput on an otherwise idle machine.
        public var evaluationsPerSecondIdle: Double { Double(evaluations) / kernelCPUSeconds * Double(workers) }

        public var description: String {
            func f(_ x: Double, _ d: Int = 2) -> String { String(format: "%.\(d)f", x) }
            return """
                kernel benchmark: momentum, \(symbols) synthetic symbols × \(sessions) sessions (\(barsPerSymbol) minute bars each), \
                \(combinations) combinations, \(workers) worker(s)
                  data generation      \(f(dataSeconds)) s
                  kernel               \(f(kernelSeconds)) s  (\(evaluations) evaluations, \(f(evaluationsPerSecond, 0)) evaluations/s, \
                \(totalTrades) trades simulated)
                  kernel CPU time      \(f(kernelCPUSeconds)) s on \(workers) worker(s) → \(f(evaluationsPerSecondIdle, 0)) evaluations/s \
                and \(f(kernelCPUSeconds / Double(workers) * 372 / Double(symbols))) s for 372 symbols on an idle machine
                  brute force          \(f(bruteForceSecondsPerEvaluation * 1e3, 3)) ms CPU per evaluation, measured on \(bruteForceSample) \
                combinations of symbol 0 (1 thread); extrapolated to the universe on \(workers) worker(s): \
                \(f(bruteForceSecondsExtrapolated, 0)) s
                  kernel / brute force speed-up  \(f(speedup, 0))× (CPU time per evaluation)   (sampled brute-force results equal the kernel's: \(bruteForceAgrees))
                """
        }
    }

    /// The benchmark grid (13,775 combinations).
    public static func grid() throws(KernelError) -> IntradayGrid {
        try IntradayGrid(buyTriggers: (1...95).map { Double($0) / 10 }, sellTriggers: (1...29).map { Double($0) / 10 },
                         stopLosses: [0, 0.5, 1, 1.5, 2], buyTimes: [600], compound: [true])
    }

    public func run() throws -> Report {
        let grid = try Self.grid()
        let from = CivilDate(year: year, month: 1, day: 1)!, to = CivilDate(year: year, month: 12, day: 31)!
        let rule = self.rule, workers = self.workers
        let threads = ThreadBudget(workers)
        // Data: the data layer's synthetic market (all symbols, generated in parallel), then each symbol's
        // session view.
        let t0 = DispatchTime.now().uptimeNanoseconds
        let market = try SyntheticMarket(seed: seed).generate(symbols: symbols, from: from, to: to, interval: .minute,
                                                              threads: threads)
        let universe = threads.map(market.count) { i in try! IntradaySessionData(series: market.series[i]) }
        let t1 = DispatchTime.now().uptimeNanoseconds
        let c1 = Self.processCPUSeconds()
        let results = try IntradayKernel.evaluate(rule: rule, universe: universe, grid: grid, threads: threads)
        let t2 = DispatchTime.now().uptimeNanoseconds
        let kernelCPU = Self.processCPUSeconds() - c1
        let dataSeconds = Double(t1 - t0) / 1e9, kernelSeconds = Double(t2 - t1) / 1e9
        var trades = 0
        for r in results { trades += Int(r.trades.reduce(0, +)) }
        let bars = universe[0].series.count, sessions = universe[0].sessions.sessionCount
        // Brute force on a sample of combinations of symbol 0, single-threaded.
        let s0 = universe[0]
        var rng = Xoshiro256StarStar(seed: 99)
        let sample = (0..<max(1, bruteForceCombinations)).map { _ in Int(rng.next() % UInt64(grid.count)) }
        let b0 = Self.processCPUSeconds()
        let slow = try IntradayBruteForce.evaluate(rule: rule, data: s0, grid: grid, indices: sample)
        let b1 = Self.processCPUSeconds()
        let fast = try IntradayKernel.evaluate(rule: rule, data: s0, grid: grid)
        var agrees = true
        for (slot, i) in sample.enumerated() where !Self.agree(fast.metrics(at: i), slow.metrics(at: slot)) { agrees = false }
        return Report(symbols: symbols, combinations: grid.count, workers: workers, barsPerSymbol: bars, sessions: sessions,
                      dataSeconds: dataSeconds, kernelSeconds: kernelSeconds, kernelCPUSeconds: kernelCPU, bruteForceSample: sample.count,
                      bruteForceSecondsPerEvaluation: (b1 - b0) / Double(sample.count),
                      bruteForceAgrees: agrees, totalTrades: trades)
    }
}

extension KernelBenchmark {
    /// The kernel's and the brute force's figures for one combination agree: trades, equity and the session statistics
    /// bit for bit, the bar-level summary (prefix sums against a walk over the held bars) within 1e-9.
    static func agree(_ a: KernelMetrics, _ b: KernelMetrics) -> Bool {
        func close(_ x: Double, _ y: Double) -> Bool { (x.isNaN && y.isNaN) || abs(x - y) <= 1e-9 * max(1, abs(y)) }
        let s = a.summary, t = b.summary
        return a.finalEquity == b.finalEquity && a.trades == b.trades && a.wins == b.wins && a.sharpe == b.sharpe
            && a.maxDrawdown == b.maxDrawdown && close(s.cagr, t.cagr) && close(s.volatility, t.volatility)
            && close(s.sharpe, t.sharpe) && close(s.sortino, t.sortino) && close(s.calmar, t.calmar)
            && close(s.maxDrawdown, t.maxDrawdown) && close(s.winRate, t.winRate) && close(s.profitFactor, t.profitFactor)
            && close(s.exposure, t.exposure)
    }

    /// CPU time of the whole process (user + system, every thread), in seconds.
    static func processCPUSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
