/// The entry rule of the intraday momentum family. Every member buys at most once per symbol per session,
/// exits at a target, an optional stop or the close of the session's last regular-hours bar, and differs only
/// in how it enters. Prices in percent are of `C`, the previous session's regular-hours close.
///
/// Shared timing conventions (minute bars, a bar's time is its start, NYSE sessions from the calendar). The rules
/// run on the session clock, so missing minute bars never shift them, and every price a rule uses at an instant is
/// known at that instant (the same rule runs live):
/// * The entry is decided at `buy_time` (a scheduled event: after every bar that started before `buy_time`,
///   whether or not a bar starts at it). The entry order works from the first regular-hours bar starting at or
///   after `buy_time`, whatever its start (10:00 for 10:00; 10:01 when the 10:00 bar is missing); missing bars
///   before `buy_time` change nothing, and a session without a bar from `buy_time` on does not trade. `momentum`'s
///   stop-buy works from that bar on; `open-10am`, `open-10am-stop` and `vwap-momentum` decide on that bar's open
///   only (a conditional market-on-open order, `OrderType.openIf`).
/// * C, the previous session's close, is the close of the last regular-hours bar of the previous session in the
///   data (sessions without bars are skipped; the first session in the data has none and does not trade).
/// * `vwap-momentum`'s VWAP is over the session's regular-hours bars that started before `buy_time` (no trade
///   when there are none); its reference price at `reference_time` is the close of the session's latest bar
///   starting at or before `reference_time` (the 09:40 bar, or 09:39's when it is missing: the last price at
///   09:41), no trade when the session has no bar by then.
/// * Target and stop are working from the bar after the entry bar. On one bar the open is looked at first
///   (a bar that opens at or above the target sells at its open, one that opens at or below the stop sells at
///   its open); otherwise, when the bar's range touches both, the stop is taken.
/// * A position still open is sold at the close of the session's last regular-hours bar in the data (the bar
///   starting 15:59, or 12:59 on a 13:00 early close).
public enum IntradayEntryRule: String, Sendable, Hashable, CaseIterable, Codable {
    /// The warm-up every member needs (`--warmup auto`): a whole day of minute bars, pre- and after-market
    /// included (04:00–20:00, 960 bars), so that a run started at any instant of a session has seen the previous
    /// session's last regular-hours close, C, and that session's bars so far (`vwap-momentum`'s VWAP and reference),
    /// and trades from its first session as a run over the whole data would.
    public static let previousSessionWarmupBars = 960

    /// From the first bar starting at or after `buy_time` on, the first bar whose high ≥ C·(1 + buy_trigger/100)
    /// buys at max(that level, the bar's open).
    case momentum
    /// On the first bar starting at or after `buy_time`, if its open > C·(1 + buy_trigger/100), buy at that open
    /// (`open-10am`; with a stop it is `open-10am-stop`).
    case openAbove = "open-10am"
    /// On the first bar starting at or after `buy_time`, buy at its open when that open is above the session VWAP
    /// of the regular-hours bars starting before `buy_time` (Σ typical·volume / Σ volume, typical = (H+L+C)/3) and
    /// at least buy_trigger % above the close of the latest bar starting at or before `reference_time` (09:40).
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
