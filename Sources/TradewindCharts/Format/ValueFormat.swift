import Foundation

/// How a chart prints values on its axis, in tooltips and in heatmap cells.
public enum ValueFormat: Sendable, Equatable {
    /// Thousands-grouped number with the given decimals (`12,345.68`).
    case number(decimals: Int)
    /// A fraction shown as a percentage: `0.1234` with 1 decimal is `12.3%`.
    case percent(decimals: Int)
    /// Money with a prefix symbol (`$12,345.68`).
    case currency(symbol: String, decimals: Int)
    /// Decimals chosen from the magnitude.
    case auto

    /// The value as text.
    public func string(_ v: Double) -> String {
        switch self {
        case .number(let d): return NumberText.grouped(v, d)
        case .percent(let d): return NumberText.grouped(v * 100, d) + "%"
        case .currency(let sym, let d):
            return v < 0 ? "-" + sym + NumberText.grouped(-v, d) : sym + NumberText.grouped(v, d)
        case .auto: return NumberText.auto(v)
        }
    }

    /// An axis label for a tick on a grid of spacing `step`: enough decimals to tell ticks apart.
    public func tickLabel(_ v: Double, step: Double) -> String {
        switch self {
        case .number, .auto: return NumberText.grouped(v, NumberText.decimals(forStep: step))
        case .percent: return NumberText.grouped(v * 100, NumberText.decimals(forStep: step * 100)) + "%"
        case .currency(let sym, _):
            let d = NumberText.decimals(forStep: step)
            return v < 0 ? "-" + sym + NumberText.grouped(-v, d) : sym + NumberText.grouped(v, d)
        }
    }

    /// From this magnitude on, axis labels of numbers and money are compact (`$15M`, not `$15,000,000`).
    public static let compactTicksFrom = 1e7

    /// The labels of one axis' ticks (ascending), told apart at `step` on a linear axis; on a log axis each
    /// tick is told apart from its neighbours. Once the largest tick reaches `compactTicksFrom`, numbers and
    /// money (not percentages) print in units: a linear axis uses its largest tick's unit for every label
    /// (`$0`, `$5M`, `$10M`, or `$10.2M` when the step asks for it), a log axis gives each tick its own
    /// (`$500k`, `$1M`, `$20M`). Distinct ticks get distinct labels either way.
    public func tickLabels(_ ticks: [Double], step: Double, scale: ScaleKind = .linear) -> [String] {
        let largest = ticks.map { abs($0) }.max() ?? 0
        let compact: String?
        switch self {
        case .number, .auto: compact = largest >= Self.compactTicksFrom ? "" : nil
        case .currency(let sym, _): compact = largest >= Self.compactTicksFrom ? sym : nil
        case .percent: compact = nil
        }
        return ticks.indices.map { i in
            let v = ticks[i]
            // The spacing this tick must be told apart at.
            let (unit, suffix) = Self.unit(scale == .log ? abs(v) : largest)
            var s = step
            if scale == .log {
                // The gap to the nearest neighbour; compact labels need only tell apart neighbours in their
                // own unit (a different unit has a different suffix).
                var gap = Double.infinity
                for j in [i - 1, i + 1] where ticks.indices.contains(j) && (compact == nil || Self.unit(abs(ticks[j])).0 == unit) {
                    gap = min(gap, abs(ticks[j] - v))
                }
                let decade = Self.decade(v)
                if compact == nil {
                    // Full labels keep two significant digits.
                    s = min(decade / 10, gap)
                } else if gap.isFinite && gap > 0 {
                    s = gap
                } else {
                    // Alone in its unit: as many digits as the value needs, at most two significant ones.
                    s = abs(v / decade - (v / decade).rounded()) < 1e-9 ? decade : decade / 10
                }
                if !s.isFinite || s <= 0 { s = decade / 10 }
            }
            guard let sym = compact else { return tickLabel(v, step: s) }
            if v == 0 { return sym + "0" }
            let text = NumberText.grouped(abs(v) / unit, NumberText.decimals(forStep: s / unit)) + suffix
            return (v < 0 ? "-" : "") + sym + text
        }
    }

    /// The power of ten at or below `|v|` (1 for 0).
    static func decade(_ v: Double) -> Double {
        let a = abs(v)
        guard a > 0, a.isFinite else { return 1 }
        return pow(10, (log10(a) + 1e-12).rounded(.down))
    }

    /// The unit and suffix compact labels divide a magnitude by: `k`, `M`, `B`, `T`.
    static func unit(_ magnitude: Double) -> (Double, String) {
        if magnitude >= 1e12 { return (1e12, "T") }
        if magnitude >= 1e9 { return (1e9, "B") }
        if magnitude >= 1e6 { return (1e6, "M") }
        if magnitude >= 1e3 { return (1e3, "k") }
        return (1, "")
    }
}
