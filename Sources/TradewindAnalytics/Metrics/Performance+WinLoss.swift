/// Win/loss statistics over PERIODS (bars), as QuantStats computes them from the return series. A
/// multi-day trade with three up days and two down days counts three wins and two losses here; for
/// statistics per trade see `TradeStatistics`.
///
/// Zero returns: excluded from the win rate's denominator and from the averages; counted as wins in the
/// profit factor's numerator (where they add nothing); they break winning and losing streaks.
extension Performance {
    /// Winning bars / non-zero bars (QuantStats `win_rate`); 0 when every return is 0.
    public static func winRate(_ returns: [Double]) -> Double {
        var wins = 0, nonZero = 0
        for r in returns where r != 0 {
            nonZero += 1
            if r > 0 { wins += 1 }
        }
        return nonZero == 0 ? 0 : Double(wins) / Double(nonZero)
    }

    /// `Σ r≥0 / |Σ r<0|` (QuantStats `profit_factor`): +inf with gains but no losses, 0 with neither.
    public static func profitFactor(_ returns: [Double]) -> Double {
        var gains = 0.0, losses = 0.0
        for r in returns { if r >= 0 { gains += r } else { losses += r } }
        losses = abs(losses)
        if losses == 0 { return gains == 0 ? 0 : .infinity }
        return gains / losses
    }

    /// Mean of the positive returns; NaN when there are none.
    public static func averageWin(_ returns: [Double]) -> Double { conditionalMean(returns) { $0 > 0 } }

    /// Mean of the negative returns (a negative number); NaN when there are none.
    public static func averageLoss(_ returns: [Double]) -> Double { conditionalMean(returns) { $0 < 0 } }

    /// Mean of the non-zero returns (QuantStats `avg_return`); NaN when all are 0.
    public static func averageReturn(_ returns: [Double]) -> Double { conditionalMean(returns) { $0 != 0 } }

    /// Payoff ratio `averageWin / |averageLoss|`; NaN without wins or losses.
    public static func payoffRatio(_ returns: [Double]) -> Double {
        averageWin(returns) / abs(averageLoss(returns))
    }

    /// Kelly fraction for fixed odds `f* = p - (1 - p)/b`, with p the win rate and b the payoff ratio
    /// (QuantStats `kelly_criterion`); NaN when b is 0 or undefined.
    public static func kellyCriterion(_ returns: [Double]) -> Double {
        kelly(winRate: winRate(returns), payoffRatio: payoffRatio(returns))
    }

    static func kelly(winRate p: Double, payoffRatio b: Double) -> Double {
        if b == 0 || b.isNaN { return .nan }
        return (b * p - (1 - p)) / b
    }

    /// Share of bars with a non-zero return, ROUNDED UP to a whole percent as QuantStats' `exposure` does
    /// (0.8502 → 0.86); 0 when empty. `exposureUnrounded` gives the exact share.
    public static func exposure(_ returns: [Double]) -> Double {
        guard !returns.isEmpty else { return 0 }
        return (exposureUnrounded(returns) * 100).rounded(.up) / 100
    }

    /// Exact share of bars with a non-zero return (our variant; QuantStats rounds up to a percent).
    public static func exposureUnrounded(_ returns: [Double]) -> Double {
        guard !returns.isEmpty else { return 0 }
        var active = 0
        for r in returns where r != 0 { active += 1 }
        return Double(active) / Double(returns.count)
    }

    /// Longest run of consecutive positive returns (0 when none).
    public static func consecutiveWins(_ returns: [Double]) -> Int { longestRun(returns) { $0 > 0 } }

    /// Longest run of consecutive negative returns (0 when none).
    public static func consecutiveLosses(_ returns: [Double]) -> Int { longestRun(returns) { $0 < 0 } }

    static func conditionalMean(_ x: [Double], _ keep: (Double) -> Bool) -> Double {
        var s = 0.0, n = 0
        for v in x where keep(v) { s += v; n += 1 }
        return n == 0 ? .nan : s / Double(n)
    }

    static func longestRun(_ x: [Double], _ hit: (Double) -> Bool) -> Int {
        var best = 0, run = 0
        for v in x {
            if hit(v) { run += 1; if run > best { best = run } } else { run = 0 }
        }
        return best
    }
}
