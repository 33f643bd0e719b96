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
    /// An option value the report cannot use (e.g. `--heatmap` naming an unknown parameter).
    case invalidOption(String)

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
        }
    }
}
