import TradewindCore

/// Why a run stopped. Every case says what to change.
public enum BacktestError: Error, CustomStringConvertible {
    /// The dataset (after the `from`/`to` window) holds no bars.
    case noData(String)
    case invalidConfiguration(String)
    /// The strategy threw from one of its hooks: the run stops at that bar, naming it and the symbol(s).
    case strategyFailed(hook: String, step: Int, time: UnixNanos, symbols: [String], underlying: any Error)
    /// The run was cancelled (its `CancellationFlag` was set, or its task cancelled) before bar `step`: there
    /// is no result.
    case cancelled(step: Int)

    public var description: String {
        switch self {
        case .noData(let why): return "no data to simulate: \(why)"
        case .invalidConfiguration(let why): return "invalid backtest configuration: \(why)"
        case .strategyFailed(let hook, let step, let time, let symbols, let underlying):
            return "strategy failed in \(hook) at bar \(step) (\(ISO8601.utc(time))) on \(symbols.joined(separator: ", ")): \(underlying)"
        case .cancelled(let step): return "backtest cancelled before bar \(step); run it again to get a result"
        }
    }
}

/// A strategy error that names the symbol it concerns, so a multi-asset run's failure report names it alone.
public protocol SymbolAttributedError: Error {
    var symbol: Int { get }
}
