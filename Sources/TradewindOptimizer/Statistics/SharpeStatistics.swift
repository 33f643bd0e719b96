import Foundation

/// Sample moments of a return series, as used by the Sharpe-ratio statistics. All per period
/// (not annualised): `sharpe = mean / standardDeviation` with the n−1 standard deviation;
/// `skewness = m3 / m2^1.5` and `kurtosis = m4 / m2²` (Pearson, *not* excess: 3 for a normal)
/// from the biased central moments mₖ = Σ(r−mean)ᵏ/n, as scipy.stats.skew/kurtosis(fisher=False).
public struct ReturnMoments: Sendable, Hashable {
    public let count: Int
    public let mean: Double
    public let standardDeviation: Double
    public let skewness: Double
    public let kurtosis: Double

    public var sharpe: Double { mean / standardDeviation }

    /// Nil for fewer than 2 returns, a non-finite return or zero variance.
    public init?(_ returns: [Double]) {
        let n = returns.count
        guard n >= 2, returns.allSatisfy(\.isFinite) else { return nil }
        let mean = returns.reduce(0, +) / Double(n)
        var m2 = 0.0, m3 = 0.0, m4 = 0.0
        for r in returns {
            let d = r - mean
            let d2 = d * d
            m2 += d2
            m3 += d2 * d
            m4 += d2 * d2
        }
        guard m2 > 0 else { return nil }
        self.count = n
        self.mean = mean
        self.standardDeviation = (m2 / Double(n - 1)).squareRoot()
        m2 /= Double(n); m3 /= Double(n); m4 /= Double(n)
        self.skewness = m3 / pow(m2, 1.5)
        self.kurtosis = m4 / (m2 * m2)
    }

    public init(count: Int, mean: Double, standardDeviation: Double, skewness: Double, kurtosis: Double) {
        self.count = count
        self.mean = mean
        self.standardDeviation = standardDeviation
        self.skewness = skewness
        self.kurtosis = kurtosis
    }
}

/// Overfitting statistics for the Sharpe ratio of a selected strategy configuration.
public enum SharpeStatistics {
    /// Euler–Mascheroni constant γ.
    public static let eulerGamma = 0.57721566490153286061

    /// Probabilistic Sharpe ratio (Bailey & López de Prado, 2012): the probability that the true
    /// per-period Sharpe ratio exceeds `benchmark`, given the observed per-period `sharpe` over
    /// `observations` returns with `skewness` and (non-excess) `kurtosis`:
    ///
    ///   PSR = Φ( (SR − SR*)·√(n−1) / √(1 − γ₃·SR + (γ₄−1)/4·SR²) )
    ///
    /// NaN when n < 2 or the variance term is not positive.
    public static func probabilisticSharpeRatio(sharpe: Double, benchmark: Double, observations n: Int,
                                                skewness: Double, kurtosis: Double) -> Double {
        guard n >= 2 else { return .nan }
        let v = 1 - skewness * sharpe + (kurtosis - 1) / 4 * sharpe * sharpe
        guard v > 0 else { return .nan }
        return NormalDistribution.cdf((sharpe - benchmark) * Double(n - 1).squareRoot() / v.squareRoot())
    }

    /// PSR of a return series against `benchmark` (per period).
    public static func probabilisticSharpeRatio(returns: [Double], benchmark: Double = 0) -> Double {
        guard let m = ReturnMoments(returns) else { return .nan }
        return probabilisticSharpeRatio(sharpe: m.sharpe, benchmark: benchmark, observations: m.count,
                                        skewness: m.skewness, kurtosis: m.kurtosis)
    }

    /// Expected maximum of `trials` independent Sharpe-ratio estimates whose true value is 0 and
    /// whose variance across trials is `variance` (Bailey & López de Prado, 2014):
    ///
    ///   E[max SR] ≈ √V · ( (1−γ)·Φ⁻¹(1 − 1/N) + γ·Φ⁻¹(1 − 1/(N·e)) )
    ///
    /// 0 for a single trial (nothing was selected); NaN for N < 1 or a negative variance.
    public static func expectedMaximumSharpe(trials: Int, variance: Double) -> Double {
        guard trials >= 1, variance >= 0 else { return .nan }
        if trials == 1 { return 0 }
        let n = Double(trials)
        return variance.squareRoot() * ((1 - eulerGamma) * NormalDistribution.quantile(1 - 1 / n)
            + eulerGamma * NormalDistribution.quantile(1 - 1 / (n * M_E)))
    }

    /// Deflated Sharpe ratio (Bailey & López de Prado, 2014): the PSR of the best trial against the
    /// expected maximum Sharpe ratio of `trials` unskilled trials, `sharpeVariance` being the
    /// variance of the per-period Sharpe ratios across all trials.
    public static func deflatedSharpeRatio(sharpe: Double, observations: Int, skewness: Double, kurtosis: Double,
                                           trials: Int, sharpeVariance: Double) -> Double {
        let sr0 = expectedMaximumSharpe(trials: trials, variance: sharpeVariance)
        return probabilisticSharpeRatio(sharpe: sharpe, benchmark: sr0, observations: observations,
                                        skewness: skewness, kurtosis: kurtosis)
    }

    /// The variance (n−1) of the finite values in `sharpes`; NaN when fewer than 2.
    public static func variance(_ sharpes: [Double]) -> Double {
        let v = sharpes.filter(\.isFinite)
        guard v.count >= 2 else { return .nan }
        let m = v.reduce(0, +) / Double(v.count)
        return v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(v.count - 1)
    }
}
