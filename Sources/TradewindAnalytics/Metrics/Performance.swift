/// Performance metrics of a series of simple per-bar returns, with QuantStats 0.0.86's definitions
/// (its `qs.stats` function of the same name is the reference and the golden fixtures come from it).
///
/// Conventions shared by every function here:
/// - Inputs are simple returns (0.01 = +1 %), finite, one per bar; results are fractions, never percents.
/// - Undefined results are NaN (e.g. Sharpe of a flat series), as in QuantStats; nothing traps.
/// - Standard deviations are sample (ddof = 1); Sortino's downside deviation divides by the number of
///   all observations, not of the losing ones.
/// - `periodsPerYear` annualises: × √periodsPerYear for volatility, Sharpe, Sortino; years for CAGR are
///   `count / periodsPerYear` (QuantStats counts bars, not calendar days).
/// - `riskFree` is an ANNUAL rate, de-annualised to `(1 + rf)^(1/periodsPerYear) - 1` per bar and subtracted
///   from each return (Sharpe, Sortino, omega, probabilistic Sharpe, rolling Sharpe). CAGR, volatility,
///   drawdown, VaR and the win/loss statistics ignore it, as QuantStats does.
/// - Everything is compounded: total return is `∏(1 + r) - 1`; drawdowns are measured on the compounded
///   equity `∏(1 + r)` against a running peak that starts at 1.0 (a loss on the first bar is a drawdown).
public enum Performance {
    // MARK: Growth and risk-adjusted return (single pass, shared with QuickMetrics)

    static func accumulate(_ returns: [Double], riskFreePerPeriod: Double = 0) -> ReturnAccumulator {
        var acc = ReturnAccumulator(riskFreePerPeriod: riskFreePerPeriod)
        acc.add(contentsOf: returns)
        return acc
    }

    /// Compounded total return `∏(1 + r) - 1` (QuantStats `comp`). NaN when empty.
    public static func totalReturn(_ returns: [Double]) -> Double {
        accumulate(returns).totalReturn
    }

    /// Compound annual growth rate `(1 + total)^(1/years) - 1` with `years = count / periodsPerYear`
    /// (QuantStats 0.0.86 `cagr`: bars, not calendar days; rf is not subtracted). NaN when the terminal
    /// wealth is negative or the series empty.
    public static func cagr(_ returns: [Double], periodsPerYear: Double = Annualization.daily) -> Double {
        accumulate(returns).cagr(periodsPerYear: periodsPerYear)
    }

    /// Annualised volatility `std(r) · √periodsPerYear` (sample std, ddof = 1).
    public static func volatility(_ returns: [Double], periodsPerYear: Double = Annualization.daily) -> Double {
        accumulate(returns).volatility(periodsPerYear: periodsPerYear)
    }

    /// Sharpe ratio `mean(r - rf) / std(r) · √periodsPerYear` (ddof = 1); `annualize: false` drops the √ factor.
    public static func sharpe(_ returns: [Double], riskFree: Double = 0,
                              periodsPerYear: Double = Annualization.daily, annualize: Bool = true) -> Double {
        let acc = accumulate(returns, riskFreePerPeriod: Annualization.perPeriodRate(annual: riskFree, periodsPerYear: periodsPerYear))
        return annualize ? acc.sharpe(periodsPerYear: periodsPerYear) : acc.rawSharpe
    }

    /// Sortino ratio `mean(r - rf) / √(Σ min(r - rf, 0)² / n) · √periodsPerYear` (Red Rock Capital's
    /// downside deviation over ALL n observations). NaN when no bar is below rf.
    public static func sortino(_ returns: [Double], riskFree: Double = 0,
                               periodsPerYear: Double = Annualization.daily) -> Double {
        accumulate(returns, riskFreePerPeriod: Annualization.perPeriodRate(annual: riskFree, periodsPerYear: periodsPerYear))
            .sortino(periodsPerYear: periodsPerYear)
    }

    /// Maximum drawdown as a POSITIVE fraction (0.25 = equity fell 25 % below its peak). QuantStats'
    /// `max_drawdown` returns the same number negated. The peak starts at 1.0, so a first-bar loss counts.
    public static func maxDrawdown(_ returns: [Double]) -> Double {
        accumulate(returns).maxDrawdown
    }

    /// Calmar ratio `CAGR / max drawdown` (QuantStats `calmar`); ±inf when there was no drawdown.
    public static func calmar(_ returns: [Double], periodsPerYear: Double = Annualization.daily) -> Double {
        let acc = accumulate(returns)
        return acc.cagr(periodsPerYear: periodsPerYear) / acc.maxDrawdown
    }

    // MARK: Distribution

    /// Omega ratio: with `x = r - rf - τ`, `Σ x⁺ / Σ x⁻` where τ = `(1 + requiredReturn)^(1/periodsPerYear) - 1`
    /// (τ = requiredReturn when periodsPerYear == 1). NaN with fewer than 2 returns, `requiredReturn ≤ -1`
    /// or no bar below the threshold (QuantStats `omega`). With rf = 0 and τ = 0 it equals the profit factor.
    public static func omega(_ returns: [Double], riskFree: Double = 0, requiredReturn: Double = 0,
                             periodsPerYear: Double = Annualization.daily) -> Double {
        guard returns.count >= 2, requiredReturn > -1, periodsPerYear > 0 else { return .nan }
        let rfp = Annualization.perPeriodRate(annual: riskFree, periodsPerYear: periodsPerYear)
        let tau = periodsPerYear == 1 ? requiredReturn : _pow(1 + requiredReturn, 1 / periodsPerYear) - 1
        var up = 0.0, down = 0.0
        for r in returns {
            let x = (r - rfp) - tau
            if x > 0 { up += x } else if x < 0 { down -= x }
        }
        return down > 0 ? up / down : .nan
    }

    /// Parametric (variance-covariance) Value at Risk: the `1 - confidence` quantile of a normal
    /// distribution with the sample mean and `sigma × std` (QuantStats `value_at_risk`). A return, so
    /// negative for a loss: -0.02 = "on 5 % of days lose more than 2 %". NaN when std is 0 (SciPy's
    /// `norm.ppf` with scale 0).
    public static func valueAtRisk(_ returns: [Double], confidence: Double = 0.95, sigma: Double = 1) -> Double {
        guard confidence > 0, confidence < 1 else { return .nan }
        let acc = accumulate(returns)
        let sd = sigma * acc.standardDeviation
        guard sd > 0 else { return .nan }
        return acc.mean + sd * NormalDistribution.quantile(1 - confidence)
    }

    /// Parametric Conditional VaR (expected shortfall) of the same normal model, QuantStats 0.0.86's
    /// default: `μ - σ·φ(Φ⁻¹(α))/α` with α = 1 - confidence; `μ` when σ is 0. (QuantStats before 0.0.83
    /// averaged the observed returns below the parametric VaR instead; see `historicalCVaR`.)
    public static func conditionalValueAtRisk(_ returns: [Double], confidence: Double = 0.95, sigma: Double = 1) -> Double {
        guard confidence > 0, confidence < 1, !returns.isEmpty else { return .nan }
        let acc = accumulate(returns)
        let sd = sigma * acc.standardDeviation
        if sd == 0 || sd.isNaN { return acc.mean }
        let alpha = 1 - confidence
        return acc.mean - sd * NormalDistribution.pdf(NormalDistribution.quantile(alpha)) / alpha
    }

    /// Historical CVaR: the mean of the returns at or below their empirical `1 - confidence` quantile
    /// (QuantStats `cvar(method="historical")`).
    public static func historicalCVaR(_ returns: [Double], confidence: Double = 0.95) -> Double {
        guard confidence > 0, confidence < 1, !returns.isEmpty else { return .nan }
        let q = SampleStatistics.quantile(returns, 1 - confidence)
        var s = 0.0, n = 0
        for r in returns where r <= q { s += r; n += 1 }
        return n > 0 ? s / Double(n) : .nan
    }

    /// Sample skewness (pandas G1); NaN below 3 returns or for a constant series.
    public static func skew(_ returns: [Double]) -> Double { SampleStatistics.skewness(returns) }

    /// Sample EXCESS kurtosis (pandas G2, normal = 0); NaN below 4 returns or for a constant series.
    public static func kurtosis(_ returns: [Double]) -> Double { SampleStatistics.excessKurtosis(returns) }

    /// Tail ratio `|q(cutoff) / q(1 - cutoff)|` with linearly interpolated quantiles; NaN when the lower
    /// quantile is 0 (QuantStats `tail_ratio`).
    public static func tailRatio(_ returns: [Double], cutoff: Double = 0.95) -> Double {
        guard !returns.isEmpty else { return .nan }
        var work = returns
        let (upper, lower) = work.withUnsafeMutableBufferPointer { b in
            (SampleStatistics.quantile(selectingIn: b, cutoff), SampleStatistics.quantile(selectingIn: b, 1 - cutoff))
        }
        if upper.isNaN || lower.isNaN || lower == 0 { return .nan }
        return abs(upper / lower)
    }

    /// The best single-bar return ("best day" for daily bars); NaN when empty.
    public static func best(_ returns: [Double]) -> Double { returns.max() ?? .nan }

    /// The worst single-bar return; NaN when empty.
    public static func worst(_ returns: [Double]) -> Double { returns.min() ?? .nan }

    // MARK: Probabilistic Sharpe

    /// Probabilistic Sharpe ratio (Bailey & López de Prado 2012), QuantStats 0.0.86's form: with the
    /// per-period Sharpe `SR = mean(r - rf)/std(r)`, skew γ3 and raw kurtosis γ4 (excess + 3),
    /// `Φ(SR / √((1 - γ3·SR + (γ4 - 1)/4·SR²) / (n - 1)))`: the probability that the true Sharpe exceeds 0.
    public static func probabilisticSharpeRatio(_ returns: [Double], riskFree: Double = 0,
                                                periodsPerYear: Double = Annualization.daily) -> Double {
        let sr = sharpe(returns, riskFree: riskFree, periodsPerYear: periodsPerYear, annualize: false)
        let g3 = skew(returns)
        let g4 = kurtosis(returns) + 3
        let n = Double(returns.count)
        let sigma = ((1 - g3 * sr + (g4 - 1) / 4 * sr * sr) / (n - 1)).squareRoot()
        return NormalDistribution.cdf(sr / sigma)
    }

    // MARK: Helpers

    /// Simple returns of an equity curve: `equity[i+1] / equity[i] - 1` (one fewer than the equity values).
    public static func returns(fromEquity equity: [Double]) -> [Double] {
        guard equity.count > 1 else { return [] }
        var out = [Double](repeating: 0, count: equity.count - 1)
        for i in 1..<equity.count { out[i - 1] = equity[i] / equity[i - 1] - 1 }
        return out
    }
}
