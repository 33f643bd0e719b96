import Testing
@testable import TradewindAnalytics

/// Deterministic xorshift generator so that the property tests are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed }
    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }
}

@Suite("QuickMetrics")
struct QuickMetricsTests {
    /// Random series of varied length, drift, volatility, with zeros and occasional crashes.
    static func randomSeries(_ g: inout SeededGenerator) -> [Double] {
        let n = Int.random(in: 0...600, using: &g)
        let vol = Double.random(in: 0.001...0.05, using: &g)
        let drift = Double.random(in: -0.002...0.002, using: &g)
        return (0..<n).map { _ in
            let u = Double.random(in: 0..<1, using: &g)
            if u < 0.05 { return 0 }
            if u > 0.995 { return -Double.random(in: 0.1...0.5, using: &g) }
            return drift + vol * Double.random(in: -1.7...1.7, using: &g)
        }
    }

    @Test("equals the full definitions bit for bit on 500 random series")
    func equalsFullDefinitions() {
        var g = SeededGenerator(seed: 42)
        for _ in 0..<500 {
            let r = Self.randomSeries(&g)
            let rf = [0.0, 0.02, 0.05].randomElement(using: &g)!
            let p = [252.0, 52, 12, 98_280].randomElement(using: &g)!
            let q = QuickMetrics(returns: r, riskFree: rf, periodsPerYear: p)
            func same(_ a: Double, _ b: Double) -> Bool { a == b || (a.isNaN && b.isNaN) }
            #expect(q.observations == r.count)
            #expect(same(q.totalReturn, Performance.totalReturn(r)))
            #expect(same(q.cagr, Performance.cagr(r, periodsPerYear: p)))
            #expect(same(q.volatility, Performance.volatility(r, periodsPerYear: p)))
            #expect(same(q.sharpe, Performance.sharpe(r, riskFree: rf, periodsPerYear: p)))
            #expect(same(q.sortino, Performance.sortino(r, riskFree: rf, periodsPerYear: p)))
            #expect(same(q.maxDrawdown, Performance.maxDrawdown(r)))
            #expect(same(q.calmar, Performance.calmar(r, periodsPerYear: p)))
            // And the drawdown agrees with the drawdown series' minimum.
            let dd = Performance.drawdownSeries(r).min() ?? 0
            #expect(same(q.maxDrawdown, -dd + 0))
        }
    }

    @Test("from an equity curve and its initial capital equals the materialised returns bit for bit, across block edges")
    func equityWithInitialCapitalEqualsReturns() {
        var g = SeededGenerator(seed: 11)
        // Lengths around the accumulator's 256-return blocks, and random ones.
        let lengths = [1, 255, 256, 257, 511, 512, 513, 1_000] + (0..<60).map { _ in Int.random(in: 1...2_000, using: &g) }
        for n in lengths {
            let initial = Double.random(in: 1_000...100_000, using: &g)
            var equity: [Double] = []
            var e = initial
            for _ in 0..<n {
                e *= 1 + Double.random(in: -0.03...0.03, using: &g)
                equity.append(e)
            }
            var returns: [Double] = []
            var previous = initial
            for v in equity { returns.append(v / previous - 1); previous = v }
            let rf = [0.0, 0.03].randomElement(using: &g)!
            let p = [252.0, 98_280].randomElement(using: &g)!
            let streamed = QuickMetrics(equity: equity, initial: initial, riskFree: rf, periodsPerYear: p)
            let materialised = QuickMetrics(returns: returns, riskFree: rf, periodsPerYear: p)
            #expect(streamed.map { String(describing: $0) } == String(describing: materialised), "n = \(n)")
        }
    }

    @Test("from an equity curve is undefined once equity reaches zero or is not finite")
    func equityWithInitialCapitalUndefinedAtZero() {
        #expect(QuickMetrics(equity: [100, 0, 50], initial: 100) == nil)
        #expect(QuickMetrics(equity: [100, .nan], initial: 100) == nil)
        #expect(QuickMetrics(equity: [100], initial: 0) == nil)
        #expect(QuickMetrics(equity: [100, 0], initial: 100) != nil)  // zero at the end: the returns stop there
    }

    @Test("agrees with the two-pass sample statistics to 1e-12")
    func welfordMatchesTwoPass() {
        var g = SeededGenerator(seed: 7)
        for _ in 0..<200 {
            let r = Self.randomSeries(&g)
            guard r.count > 2 else { continue }
            let sd = SampleStatistics.standardDeviation(r)
            #expect(close(Performance.volatility(r, periodsPerYear: 1), sd, rel: 1e-12))
        }
    }

    @Test("a bar-by-bar accumulator agrees with the blocked array path to 1e-12")
    func incremental() {
        var g = SeededGenerator(seed: 3)
        let r = (0..<1000).map { _ in Double.random(in: -0.03...0.03, using: &g) }
        var acc = ReturnAccumulator()
        for x in r { acc.add(x) }
        let a = QuickMetrics(acc, periodsPerYear: 252), b = QuickMetrics(returns: r)
        #expect(a.totalReturn == b.totalReturn && a.maxDrawdown == b.maxDrawdown && a.cagr == b.cagr)
        #expect(close(a.volatility, b.volatility, rel: 1e-12) && close(a.sharpe, b.sharpe, rel: 1e-12))
        #expect(close(a.sortino, b.sortino, rel: 1e-12))
    }

    @Test("the blocked path's growth, downside sum, peak and drawdown are the bar-by-bar path's bit for bit")
    func blockedPathIsBarByBarBitForBit() {
        var g = SeededGenerator(seed: 29)
        for trial in 0..<300 {
            let n = Int.random(in: 0...1500, using: &g)
            let drift = Double.random(in: -0.002...0.002, using: &g)
            var r = (0..<n).map { _ in drift + Double.random(in: -0.03...0.03, using: &g) }
            // Ties, exact zeros, steady climbs and a few undefined or infinite returns.
            for k in r.indices where Int.random(in: 0..<40, using: &g) == 0 {
                r[k] = [0.0, -0.0, .nan, .infinity, -1.0, 0.25, -0.5][Int.random(in: 0..<7, using: &g)]
            }
            if trial % 5 == 0, n > 10 { for k in 0..<(n / 3) { r[k] = 0.001 } }
            let rf = trial % 3 == 0 ? 0.0 : Double.random(in: -0.001...0.001, using: &g)
            var barByBar = ReturnAccumulator(riskFreePerPeriod: rf), blocked = ReturnAccumulator(riskFreePerPeriod: rf)
            for x in r { barByBar.add(x) }
            blocked.add(contentsOf: r)
            // Bit for bit; any NaN equals any NaN (the processor's NaN payloads are not values).
            func same(_ a: Double, _ b: Double) -> Bool { a.bitPattern == b.bitPattern || (a.isNaN && b.isNaN) }
            #expect(same(blocked.growth, barByBar.growth), "trial \(trial)")
            #expect(same(blocked.downsideSumOfSquares, barByBar.downsideSumOfSquares), "trial \(trial)")
            #expect(same(blocked.peak, barByBar.peak), "trial \(trial)")
            #expect(same(blocked.drawdownLow, barByBar.drawdownLow), "trial \(trial)")
            #expect(!blocked.drawdownLow.isNaN, "trial \(trial)")
        }
    }

    @Test("from an equity curve equals from its returns")
    func fromEquity() {
        var g = SeededGenerator(seed: 11)
        var equity = [100_000.0]
        for _ in 0..<2000 { equity.append(equity.last! * (1 + Double.random(in: -0.02...0.021, using: &g))) }
        #expect(QuickMetrics(equity: equity, riskFree: 0.03) == QuickMetrics(returns: Performance.returns(fromEquity: equity), riskFree: 0.03))
    }

    @Test("hand-computed values on a three-bar series")
    func handComputed() {
        // Equity 1.1, 0.99, 1.0395: peak 1.1, trough 0.99 → drawdown 10 %.
        let r = [0.10, -0.10, 0.05]
        let q = QuickMetrics(returns: r, periodsPerYear: 3)
        #expect(close(q.totalReturn, 1.1 * 0.9 * 1.05 - 1, rel: 1e-15))
        #expect(close(q.maxDrawdown, 0.10, rel: 1e-12))
        #expect(close(q.cagr, q.totalReturn, rel: 1e-12))  // exactly one year of bars
        let mean = 0.05 / 3
        let sd = ((pow2(0.10 - mean) + pow2(-0.10 - mean) + pow2(0.05 - mean)) / 2).squareRoot()
        #expect(close(q.sharpe, mean / sd * 3.0.squareRoot(), rel: 1e-12))
        #expect(close(q.sortino, mean / (0.01 / 3).squareRoot() * 3.0.squareRoot(), rel: 1e-12))
    }

    @Test("a first-bar loss is a drawdown from the initial capital")
    func firstBarLoss() {
        #expect(close(Performance.maxDrawdown([-0.2, 0.1]), 0.2, rel: 1e-12))
    }
}

func pow2(_ x: Double) -> Double { x * x }
