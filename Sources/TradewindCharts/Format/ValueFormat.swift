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
}
