import Testing
import Foundation
@testable import TradewindOptimizer

struct StatsFixture: Decodable {
    struct Case: Decodable {
        let symbol: String
        let returns: [Double]
        let mean, std, sharpe, skewness, kurtosis: Double
        let psr: [String: Double]
        struct DSR: Decodable { let trials: Int; let sharpe_variance: Double; let value: Double }
        let dsr: DSR
    }
    struct EMax: Decodable { let trials: Int; let variance: Double; let value: Double }
    struct Q: Decodable { let p: Double; let value: Double }
    struct M: Decodable { let a: Double; let b: Double; let value: Double }
    let cases: [Case]
    let expected_max: [EMax]
    let normal_quantile: [Q]
    let log_mass: [M]
}

@Suite struct StatisticsTests {
    let fx = try! loadFixture("overfitting_stats.json", as: StatsFixture.self)

    @Test func momentsMatchScipy() throws {
        for c in fx.cases {
            let m = try #require(ReturnMoments(c.returns))
            #expect(close(m.mean, c.mean, rel: 1e-10))
            #expect(close(m.standardDeviation, c.std, rel: 1e-10))
            #expect(close(m.sharpe, c.sharpe, rel: 1e-9))
            #expect(close(m.skewness, c.skewness, rel: 1e-8))
            #expect(close(m.kurtosis, c.kurtosis, rel: 1e-9))
        }
    }

    @Test func probabilisticSharpeRatioMatchesScipy() {
        for c in fx.cases {
            for (b, expected) in c.psr {
                let v = SharpeStatistics.probabilisticSharpeRatio(returns: c.returns, benchmark: Double(b)!)
                #expect(close(v, expected, rel: 1e-9), "\(c.symbol) SR* = \(b): \(v) vs \(expected)")
            }
        }
    }

    @Test func expectedMaximumAndDeflatedSharpeMatchScipy() {
        for e in fx.expected_max {
            let v = SharpeStatistics.expectedMaximumSharpe(trials: e.trials, variance: e.variance)
            #expect(close(v, e.value, rel: 1e-12, abs: 1e-15), "N=\(e.trials): \(v) vs \(e.value)")
        }
        for c in fx.cases {
            let m = ReturnMoments(c.returns)!
            let v = SharpeStatistics.deflatedSharpeRatio(sharpe: m.sharpe, observations: m.count, skewness: m.skewness,
                                                         kurtosis: m.kurtosis, trials: c.dsr.trials, sharpeVariance: c.dsr.sharpe_variance)
            #expect(close(v, c.dsr.value, rel: 1e-9), "\(c.symbol): \(v) vs \(c.dsr.value)")
        }
        #expect(SharpeStatistics.expectedMaximumSharpe(trials: 0, variance: 1).isNaN)
        #expect(SharpeStatistics.probabilisticSharpeRatio(returns: [0.01]).isNaN)
        #expect(SharpeStatistics.probabilisticSharpeRatio(returns: [0.01, 0.01, 0.01]).isNaN)
    }

    @Test func normalQuantileAndTailMassesMatchScipy() {
        for q in fx.normal_quantile {
            let v = NormalDistribution.quantile(q.p)
            #expect(close(v, q.value, rel: 1e-14, abs: 1e-15), "p=\(q.p): \(v) vs \(q.value)")
        }
        for m in fx.log_mass {
            let v = NormalDistribution.logMass(m.a, m.b)
            #expect(close(v, m.value, rel: 1e-10), "[\(m.a), \(m.b)]: \(v) vs \(m.value)")
        }
        #expect(NormalDistribution.quantile(0) == -.infinity)
        #expect(NormalDistribution.quantile(1.5).isNaN)
    }

    @Test func robustnessScoreFollowsItsDefinition() throws {
        let r = try #require(RobustnessScore(best: 2.0, neighbours: [(0, 1.5), (0, 2.5), (1, .nan), (1, -4)], direction: .maximize))
        // drops: 0.25, 0 (better), 1 (not finite), 1 (clamped)
        #expect(r.meanDrop == 0.5625)
        #expect(r.score == 0.4375)
        #expect(r.worstDrop == 1)
        #expect(r.dropByDimension[0] == 0.125)
        #expect(r.dropByDimension[1] == 1)
        let m = try #require(RobustnessScore(best: -2.0, neighbours: [(0, -1.0)], direction: .minimize))
        #expect(m.score == 0.5)
        #expect(RobustnessScore(best: 1, neighbours: [], direction: .maximize) == nil)
        let z = try #require(RobustnessScore(best: 0, neighbours: [(0, -1), (0, 0)], direction: .maximize))
        #expect(z.score == 0.5)
    }
}
