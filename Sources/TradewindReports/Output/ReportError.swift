/// What can go wrong writing or printing a report; each case says what to do about it.
public enum ReportError: Error, Equatable, CustomStringConvertible {
    /// No headless Chromium on this machine.
    case chromiumNotFound(searched: [String])
    /// Chromium ran but failed or produced nothing.
    case chromiumFailed(status: Int32, detail: String)
    /// Chromium did not finish within the time limit and was stopped.
    case chromiumTimedOut(seconds: Double)
    /// A file could not be written.
    case cannotWrite(path: String, reason: String)
    /// An option value the report cannot use (e.g. a run without bars to report).
    case invalidOption(String)
    /// The benchmark symbol (`BacktestReportAdapter.Context.benchmark`) is not in the data, whose symbols are `available`.
    case unknownBenchmark(symbol: String, available: [String])
    /// A heatmap axis (`OptimizationReportInput.heatmapAxes`) names no parameter of the job; `parameters` are its parameters.
    case unknownHeatmapParameter(name: String, parameters: [String])
    /// Both heatmap axes name the same parameter.
    case sameHeatmapParameters(String)

    public var description: String {
        switch self {
        case .chromiumNotFound(let names):
            return "no headless Chromium found (looked for \(names.joined(separator: ", ")) on PATH and in TRADEWIND_CHROMIUM). "
                + "Install it with `apt-get install chromium` (Debian/Ubuntu) or point TRADEWIND_CHROMIUM at a Chrome/Chromium binary; "
                + "the HTML report itself needs no browser."
        case .chromiumFailed(let status, let detail):
            return "Chromium failed (exit status \(status)): \(detail)"
        case .chromiumTimedOut(let s):
            return "Chromium did not finish within \(Int(s)) s and was stopped; try again, or raise the timeout."
        case .cannotWrite(let path, let reason):
            return "cannot write \(path): \(reason)"
        case .invalidOption(let message):
            return message
        case .unknownBenchmark(let symbol, let available):
            return "benchmark symbol \(symbol) is not in the data; its symbols are \(available.joined(separator: ", "))"
        case .unknownHeatmapParameter(let name, let parameters):
            return "heatmap axis '\(name)' is not a parameter; the parameters are \(parameters.joined(separator: ", "))"
        case .sameHeatmapParameters(let name):
            return "the heatmap needs two different parameters, got '\(name)' twice"
        }
    }
}
