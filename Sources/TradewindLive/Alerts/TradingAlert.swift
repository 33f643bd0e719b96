import TradewindCore

/// Something a trader wants to hear about while a bot runs.
public enum TradingAlert: Sendable, Hashable {
    case fill(symbol: String, side: String, quantity: Double, price: Double, time: UnixNanos)
    /// Trading halted (drawdown limit): every order cancelled, every position closed.
    case halt(reason: String, time: UnixNanos)
    /// The run stopped on an error.
    case error(String)
    /// End of a session: equity, the session's profit and loss, fills that session.
    case sessionSummary(date: String, equity: Double, profitAndLoss: Double, fills: Int)

    /// One line for people.
    public var text: String {
        switch self {
        case .fill(let s, let side, let q, let p, let t):
            return "Fill: \(side) \(Self.number(q)) \(s) at \(Self.number(p)) (\(ISO8601.utc(t)))"
        case .halt(let why, let t): return "Trading halted at \(ISO8601.utc(t)): \(why)"
        case .error(let why): return "Trading stopped on an error: \(why)"
        case .sessionSummary(let d, let e, let pnl, let n):
            return "Session \(d): equity \(Self.number(e)), P&L \(pnl >= 0 ? "+" : "")\(Self.number(pnl)), \(n) fills"
        }
    }

    /// The alert's kind, as the JSON payload's `type`.
    public var kind: String {
        switch self {
        case .fill: return "fill"
        case .halt: return "halt"
        case .error: return "error"
        case .sessionSummary: return "session_summary"
        }
    }

    static func number(_ v: Double) -> String {
        let r = (v * 10_000).rounded() / 10_000
        return r == r.rounded() && abs(r) < 1e15 ? String(Int64(r)) : String(r)
    }
}

/// Where alerts go. A notifier never blocks or stops trading: `send` hands the alert over and returns.
public protocol TradingNotifier: AnyObject, Sendable {
    func send(_ alert: TradingAlert)
}
