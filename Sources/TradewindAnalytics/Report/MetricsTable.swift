/// Human-readable rendering of a `PerformanceReport`: an aligned two-column box, percentages shown with
/// two decimals, ratios with three, undefined values as "-".
extension PerformanceReport {
    public func formattedTable() -> String {
        func pct(_ v: Double) -> String { v.isFinite ? fixed(v * 100, 2) + " %" : (v.isNaN ? "-" : (v > 0 ? "inf" : "-inf")) }
        func ratio(_ v: Double) -> String { v.isFinite ? fixed(v, 3) : (v.isNaN ? "-" : (v > 0 ? "inf" : "-inf")) }
        func date(_ s: String?) -> String { s.map { $0.hasSuffix("T00:00:00Z") ? String($0.prefix(10)) : $0 } ?? "-" }
        var rows: [(String, String)] = [
            ("Period", "\(date(start)) .. \(date(end))"),
            ("Observations", "\(observations)"),
            ("Periods per year", ratio(periodsPerYear).replacingZeros()),
            ("Risk-free rate", pct(riskFree)),
            ("", ""),
            ("Total return", pct(totalReturn)),
            ("CAGR", pct(cagr)),
            ("Volatility (ann.)", pct(volatility)),
            ("Sharpe", ratio(sharpe)),
            ("Sortino", ratio(sortino)),
            ("Calmar", ratio(calmar)),
            ("Omega", ratio(omega)),
            ("Probabilistic Sharpe", pct(probabilisticSharpeRatio)),
            ("", ""),
            ("Max drawdown", pct(-maxDrawdown)),
            ("Max DD start", date(maxDrawdownStart)),
            ("Max DD trough", date(maxDrawdownTrough)),
            ("Max DD recovered", maxDrawdownStart == nil ? "-" : (maxDrawdownRecovery.map { date($0) } ?? "not yet")),
            ("Max DD days", maxDrawdownDays.map(String.init) ?? "-"),
            ("Longest DD days", longestDrawdownDays.map(String.init) ?? "-"),
            ("", ""),
            ("VaR 95 %", pct(var95)),
            ("CVaR 95 %", pct(cvar95)),
            ("Skew", ratio(skew)),
            ("Kurtosis (excess)", ratio(kurtosis)),
            ("Tail ratio", ratio(tailRatio)),
            ("Best period", pct(bestDay)),
            ("Worst period", pct(worstDay)),
            ("", ""),
            ("Win rate (periods)", pct(winRate)),
            ("Profit factor", ratio(profitFactor)),
            ("Payoff ratio", ratio(payoffRatio)),
            ("Average win", pct(avgWin)),
            ("Average loss", pct(avgLoss)),
            ("Kelly criterion", pct(kellyCriterion)),
            ("Exposure", pct(exposure)),
            ("Consecutive wins", "\(consecutiveWins)"),
            ("Consecutive losses", "\(consecutiveLosses)"),
        ]
        if let alpha, let beta {
            rows += [("", ""), ("Alpha (ann.)", pct(alpha)), ("Beta", ratio(beta))]
        }
        if let t = trades {
            rows += [("", ""), ("Trades", "\(t.numberOfTrades)"), ("Trade win rate", pct(t.winRate)),
                     ("Trade profit factor", ratio(t.profitFactor)), ("Expectancy", ratio(t.expectancy)),
                     ("Average trade win", ratio(t.averageWin)), ("Average trade loss", ratio(t.averageLoss)),
                     ("Payoff ratio (trades)", ratio(t.payoffRatio)), ("SQN", ratio(t.sqn)),
                     ("Kelly fraction (trades)", pct(t.kellyFraction)),
                     ("Max consecutive wins", "\(t.maxConsecutiveWins)"),
                     ("Max consecutive losses", "\(t.maxConsecutiveLosses)")]
            if let e = t.exposure { rows.append(("Exposure (trades)", pct(e))) }
        }
        let left = rows.map(\.0.count).max() ?? 0
        let right = rows.map(\.1.count).max() ?? 0
        let rule = "+" + String(repeating: "-", count: left + 2) + "+" + String(repeating: "-", count: right + 2) + "+"
        var out = [rule]
        for (k, v) in rows {
            if k.isEmpty { out.append(rule); continue }
            out.append("| " + k + String(repeating: " ", count: left - k.count) + " | "
                       + String(repeating: " ", count: right - v.count) + v + " |")
        }
        out.append(rule)
        return out.joined(separator: "\n")
    }
}

/// `v` with exactly `decimals` digits after the point, without Foundation.
func fixed(_ v: Double, _ decimals: Int) -> String {
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let negative = v < 0
    let scaled = (abs(v) * scale).rounded()
    guard scaled < 9.0e15 else { return String(v) }
    let n = Int64(scaled)
    let intPart = n / Int64(scale)
    var frac = String(n % Int64(scale))
    while frac.count < decimals { frac = "0" + frac }
    let body = decimals > 0 ? "\(intPart).\(frac)" : "\(intPart)"
    return (negative && n != 0 ? "-" : "") + body
}

extension String {
    /// "252.000" → "252", "98280.000" → "98280", "1.500" → "1.5".
    func replacingZeros() -> String {
        guard contains(".") else { return self }
        var s = self
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }
}
