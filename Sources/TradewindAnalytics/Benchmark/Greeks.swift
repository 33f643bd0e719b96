/// Alpha and beta of a strategy against a benchmark.
public struct Greeks: Sendable, Equatable, Codable {
    /// Annualised alpha `(mean(r) - β·mean(b)) · periodsPerYear` (arithmetic, not compounded).
    public let alpha: Double
    /// `cov(r, b) / var(b)` (sample covariance and variance, ddof = 1).
    public let beta: Double
}

extension Performance {
    /// Alpha and beta against `benchmark` returns on the SAME bars (QuantStats `greeks`; rf is not
    /// subtracted). As QuantStats does (`fillna(0)`), an undefined result — a flat benchmark, fewer than
    /// two bars — is reported as 0.
    public static func greeks(_ returns: [Double], benchmark: [Double],
                              periodsPerYear: Double = Annualization.daily) throws(AnalyticsError) -> Greeks {
        guard benchmark.count == returns.count else {
            throw .lengthMismatch(what: "benchmark", expected: returns.count, actual: benchmark.count)
        }
        for (i, v) in benchmark.enumerated() where !v.isFinite {
            throw .nonFinite(what: "benchmark", index: i, value: v)
        }
        let n = returns.count
        guard n >= 2 else { return Greeks(alpha: 0, beta: 0) }
        let mr = SampleStatistics.mean(returns), mb = SampleStatistics.mean(benchmark)
        var cov = 0.0, varB = 0.0
        for i in 0..<n {
            let db = benchmark[i] - mb
            cov += (returns[i] - mr) * db
            varB += db * db
        }
        cov /= Double(n - 1)
        varB /= Double(n - 1)
        let beta = varB == 0 ? Double.nan : cov / varB
        let alpha = (mr - beta * mb) * periodsPerYear
        return Greeks(alpha: alpha.isNaN ? 0 : alpha, beta: beta.isNaN ? 0 : beta)
    }
}
