import Foundation
import TradewindCore

/// Volatility-aware bounds for a percentage trigger parameter (`--auto-bounds`), derived from a
/// symbol's own daily bars.
///
/// Inputs, for t ≥ 1 (the previous close is divided by the day's split coefficient when the
/// series carries splits, so a split is not mistaken for a move):
/// - high over previous close, in percent: hₜ = 100·(highₜ / closeₜ₋₁ − 1);
/// - ATR%: 100·ATRₜ / closeₜ, with Wilder's 14-day ATR as TA-Lib computes it (the first value is
///   the mean of the first 14 true ranges, then ATRₜ = (13·ATRₜ₋₁ + TRₜ)/14), where
///   TRₜ = max(highₜ − lowₜ, |highₜ − closeₜ₋₁|, |lowₜ − closeₜ₋₁|).
/// Quantiles interpolate linearly between order statistics (numpy's default).
///
/// The rule: **start = ¼ · median ATR%** (smaller triggers fire on ordinary noise),
/// **stop = max(95th percentile of h, 75th percentile of ATR%)** (a trigger above the high of 95 %
/// of days almost never fires), **step** = the "nice" value 1, 2, 2.5 or 5 × 10ᵏ that is the
/// smallest at or above (stop − start)/`targetSteps`; start is then rounded down and stop up to
/// multiples of the step, and start is at least one step.
public struct VolatilityBounds: Sendable, Hashable {
    public let medianATRPercent: Double
    public let upperATRPercent: Double
    public let highOverPreviousClose95: Double
    /// The suggested range (percent).
    public let range: SteppedRange
    /// Days used (bars after the first 14 with a valid ATR).
    public let days: Int

    public static let atrPeriod = 14

    /// Computes the bounds for parameter `name`. Needs at least 30 bars with positive prices.
    public init(series: BarSeries, parameter name: String, targetSteps: Int = 20) throws(OptimizerError) {
        let n = series.count
        guard n >= 30 else {
            throw .invalidArgument(name: "series length for auto bounds", value: "\(n) bars of \(series.symbol)", valid: "at least 30 daily bars")
        }
        guard targetSteps >= 1 else { throw .invalidArgument(name: "target steps", value: String(targetSteps), valid: "≥ 1") }
        let h = series.high, l = series.low, c = series.close
        guard h.allSatisfy({ $0 > 0 && $0.isFinite }), l.allSatisfy({ $0 > 0 && $0.isFinite }), c.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw .invalidArgument(name: "prices of \(series.symbol)", value: "non-positive or non-finite", valid: "positive finite prices")
        }
        var hoc: [Double] = []
        var tr: [Double] = []
        hoc.reserveCapacity(n - 1)
        tr.reserveCapacity(n - 1)
        for t in 1..<n {
            var prev = c[t - 1]
            if let s = series.splitCoefficient?[t], s > 0, s != 1 { prev /= s }
            hoc.append(100 * (h[t] / prev - 1))
            tr.append(max(h[t] - l[t], abs(h[t] - prev), abs(l[t] - prev)))
        }
        let p = VolatilityBounds.atrPeriod
        var atrPct: [Double] = []
        var atr = tr[0..<p].reduce(0, +) / Double(p)
        atrPct.append(100 * atr / c[p])
        for t in (p + 1)..<n {
            atr = (atr * Double(p - 1) + tr[t - 1]) / Double(p)
            atrPct.append(100 * atr / c[t])
        }
        let medATR = VolatilityBounds.quantile(atrPct, 0.5)
        let upATR = VolatilityBounds.quantile(atrPct, 0.75)
        let h95 = VolatilityBounds.quantile(hoc, 0.95)
        let lo = 0.25 * medATR
        let hi = max(h95, upATR)
        // Prices that never move give a zero width and extreme jumps an enormous one: no nice step in decimals,
        // and `Int64(±inf)` or a 10^300 step would trap. Both are errors naming the symbol.
        func unusable() -> OptimizerError {
            .invalidArgument(name: OptimizationRequest.Field.autoBounds.rawValue,
                             value: "\(name) for \(series.symbol): a trigger range of \(lo)...\(hi) %",
                             valid: "daily bars whose moves give a range between 1e-15 % and 1e15 % wide; give the range yourself")
        }
        guard let step = VolatilityBounds.niceStep((hi - lo) / Double(targetSteps)) else { throw unusable() }
        let sd = step.doubleValue
        /// A bound in steps, when it is exact in a double (the range needs it to be).
        func steps(_ x: Double) -> Int64? { x.isFinite && abs(x) < 0x1p53 ? Int64(x) : nil }
        guard let loSteps = steps((lo / sd).rounded(.down)), let hiSteps = steps((hi / sd).rounded(.up)) else { throw unusable() }
        let startUnits = max(loSteps, 1) * step.mantissa
        let stopUnits = max(hiSteps * step.mantissa, startUnits)
        self.range = try SteppedRange(parameter: name, start: ExactDecimal(mantissa: startUnits, scale: step.scale),
                                      stop: ExactDecimal(mantissa: stopUnits, scale: step.scale), step: step, real: true)
        self.medianATRPercent = medATR
        self.upperATRPercent = upATR
        self.highOverPreviousClose95 = h95
        self.days = atrPct.count
    }

    /// The dimension for the search.
    public func dimension(_ name: String) -> ParameterDimension {
        ParameterDimension(name: name, domain: .stepped(range))
    }

    /// The linear-interpolation quantile (numpy's default, "type 7") of `values` at `q` ∈ [0, 1].
    public static func quantile(_ values: [Double], _ q: Double) -> Double {
        let s = values.sorted()
        guard !s.isEmpty else { return .nan }
        let pos = q * Double(s.count - 1)
        let i = Int(pos.rounded(.down))
        if i >= s.count - 1 { return s[s.count - 1] }
        return s[i] + (pos - Double(i)) * (s[i + 1] - s[i])
    }

    /// The smallest of 1, 2, 2.5, 5 × 10ᵏ at or above `raw`, as an exact decimal; nil unless 1e-15 ≤ raw ≤ 1e15
    /// (zero, infinite or NaN widths, or steps that no exact decimal of `ExactDecimal` can hold).
    static func niceStep(_ raw: Double) -> ExactDecimal? {
        guard raw.isFinite, raw >= 1e-15, raw <= 1e15 else { return nil }
        let e = Int(log10(raw).rounded(.down))
        let frac = raw / pow(10, Double(e))
        // Candidates as (mantissa, extra decimals): 1, 2, 2.5, 5, 10.
        let options: [(Int64, Int, Double)] = [(1, 0, 1), (2, 0, 2), (25, 1, 2.5), (5, 0, 5), (10, 0, 10)]
        let pick = options.first { $0.2 >= frac * (1 - 1e-12) } ?? (10, 0, 10)
        var mantissa = pick.0
        var scale = pick.1 - e
        while scale < 0 {
            mantissa *= 10
            scale += 1
        }
        return ExactDecimal(mantissa: mantissa, scale: min(scale, ExactDecimal.maxScale))
    }
}
