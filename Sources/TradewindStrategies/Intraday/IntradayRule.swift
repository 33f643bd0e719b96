/// The entry rule of the intraday momentum family. Every member buys at most once per symbol per session,
/// exits at a target, an optional stop or the close of the session's last regular-hours bar, and differs only
/// in how it enters. Prices in percent are of `C`, the previous session's regular-hours close.
///
/// Shared timing conventions (minute bars, a bar's time is its start, NYSE sessions from the calendar):
/// * `momentum` places its stop-buy on the close of the first regular-hours bar starting at or after
///   `buy_time − 1 minute` (the 09:59 bar for 10:00); it works from the next bar on (the 10:00 bar with complete
///   minute data), so the rule needs no look-ahead and runs unchanged in the event-driven engine.
/// * `open-10am`, `open-10am-stop` and `vwap-momentum` decide on the bar that *starts* exactly at `buy_time`;
///   a session without that bar does not trade, and neither does one in which it is the first regular-hours bar
///   (the engine places its conditional market-on-open order on the close of an earlier bar).
/// * Target and stop are working from the bar after the entry bar. On one bar the open is looked at first
///   (a bar that opens at or above the target sells at its open, one that opens at or below the stop sells at
///   its open); otherwise, when the bar's range touches both, the stop is taken.
/// * A position still open is sold at the close of the session's last regular-hours bar in the data (the bar
///   starting 15:59, or 12:59 on a 13:00 early close).
public enum IntradayEntryRule: String, Sendable, Hashable, CaseIterable, Codable {
    /// From `b0` on, the first bar whose high ≥ C·(1 + buy_trigger/100) buys at max(that level, the bar's open).
    case momentum
    /// On the bar starting at `buy_time`, if its open > C·(1 + buy_trigger/100), buy at that open
    /// (`open-10am`; with a stop it is `open-10am-stop`).
    case openAbove = "open-10am"
    /// On the bar starting at `buy_time`, buy at its open when that open is above the session VWAP of the
    /// regular-hours bars starting before `buy_time` (Σ typical·volume / Σ volume, typical = (H+L+C)/3) and at
    /// least buy_trigger % above the close of the bar starting at `reference_time` (09:40).
    case vwapMomentum = "vwap-momentum"
}

/// Costs the kernels model, the subset of the engine's cost models they support exactly: commission as a
/// fraction of traded value on every fill and slippage in basis points on market-type fills (entries by stop or
/// at the open, stops, the closing sale). Target sales are limit fills and are never slipped.
public struct KernelCosts: Sendable, Hashable, Codable {
    /// Commission as a fraction of traded value (0.001 = 0.1 %), 0 ≤ value < 1.
    public var commission: Double
    /// Slippage in basis points: buys pay `price × (1 + bps/10 000)`, sells receive `price × (1 − bps/10 000)`.
    public var slippageBps: Double

    public init(commission: Double = 0, slippageBps: Double = 0) {
        self.commission = commission
        self.slippageBps = slippageBps
    }

    public static let none = KernelCosts()

    @inlinable var buyFactor: Double { 1 + slippageBps / 10_000 }
    @inlinable var sellFactor: Double { 1 - slippageBps / 10_000 }
}

/// One parameter set of the intraday family.
public struct IntradayParameters: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Entry level in percent above the previous close (may be negative).
    public var buyTrigger: Double
    /// Target in percent above the entry fill price (> 0).
    public var sellTrigger: Double
    /// Stop in percent below the entry fill price (0 = no stop; otherwise 0 < value < 100).
    public var stopLoss: Double
    /// Local New York time as minutes after midnight (600 = 10:00).
    public var buyTime: Int
    /// True: each trade invests all the cash (the current equity; `OrderSize.allAvailable`). False: each trade buys
    /// shares worth the initial cash, commission on top, or invests all the cash when less remains
    /// (`OrderSize.notionalOrAvailable`).
    public var compound: Bool

    public init(buyTrigger: Double, sellTrigger: Double, stopLoss: Double = 0, buyTime: Int = 600, compound: Bool = true) {
        self.buyTrigger = buyTrigger
        self.sellTrigger = sellTrigger
        self.stopLoss = stopLoss
        self.buyTime = buyTime
        self.compound = compound
    }

    public var description: String {
        "buy_trigger=\(buyTrigger) sell_trigger=\(sellTrigger) stop_loss=\(stopLoss) buy_time=\(IntradayParameters.clock(buyTime)) compound=\(compound)"
    }

    /// `HH:MM` of minutes after midnight.
    public static func clock(_ minutes: Int) -> String {
        let h = minutes / 60, m = minutes % 60
        return (h < 10 ? "0" : "") + "\(h):" + (m < 10 ? "0" : "") + "\(m)"
    }
}

/// Why a kernel cannot evaluate a request: the value, and what it should be.
public enum KernelError: Error, Equatable, CustomStringConvertible {
    case invalidParameter(name: String, value: String, expected: String)
    case unsupportedData(String)

    public var description: String {
        switch self {
        case .invalidParameter(let n, let v, let e): return "\(n) = \(v) is invalid; expected \(e)"
        case .unsupportedData(let why): return why
        }
    }
}
