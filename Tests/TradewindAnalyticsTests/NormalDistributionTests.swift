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
