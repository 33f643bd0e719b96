import Testing
@testable import TradewindAnalytics

@Suite("Normal distribution")
struct NormalDistributionTests {
    @Test("quantile matches SciPy's norm.ppf to machine precision")
    func quantiles() {
        // scipy.stats.norm.ppf values.
        let cases: [(Double, Double)] = [
            (0.05, -1.6448536269514729), (0.975, 1.959963984540054), (0.5, 0),
            (0.01, -2.3263478740408408), (1e-10, -6.361340902404056), (0.9999, 3.7190164854556804),
        ]
        for (p, x) in cases { #expect(close(NormalDistribution.quantile(p), x, rel: 1e-14) || abs(x) < 1e-300 && abs(NormalDistribution.quantile(p)) < 1e-15, "p=\(p)") }
        #expect(NormalDistribution.quantile(0) == -.infinity && NormalDistribution.quantile(1) == .infinity)
        #expect(NormalDistribution.quantile(1.5).isNaN)
    }

    @Test("cdf inverts quantile; pdf at 0 is 1/sqrt(2 pi)")
    func roundTrip() {
        for p in stride(from: 0.001, to: 1, by: 0.0137) {
            #expect(close(NormalDistribution.cdf(NormalDistribution.quantile(p)), p, rel: 1e-13))
        }
        #expect(close(NormalDistribution.pdf(0), 0.3989422804014327, rel: 1e-15))
    }
}

@Suite("Sample statistics")
struct SampleStatisticsTests {
    @Test("selection quantile equals the sorted-array quantile on random data with ties")
    func quantileBySelection() {
        var g = SeededGenerator(seed: 5)
        for _ in 0..<300 {
            let n = Int.random(in: 1...300, using: &g)
            let x = (0..<n).map { _ in Double(Int.random(in: -20...20, using: &g)) / 7 }
            let sorted = x.sorted()
            for q in [0, 0.05, 0.25, 0.5, 0.95, 0.999, 1] {
                #expect(SampleStatistics.quantile(x, q) == SampleStatistics.quantile(sorted: sorted, q))
            }
        }
    }

    @Test("numpy linear quantile on a hand example")
    func handQuantile() {
        // positions (5-1)*0.95 = 3.8 → 4 + 0.8*(10-4) = 8.8
        #expect(close(SampleStatistics.quantile([10, 1, 4, 2, 3], 0.95), 8.8, rel: 1e-15))
        #expect(SampleStatistics.quantile([], 0.5).isNaN)
    }
}
