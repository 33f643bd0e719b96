import Foundation
import TradewindCore

/// The limits every order passes before it reaches the broker. Every limit is optional (nil = none); fractions are
/// of current equity (0.25 = 25 %). Read from a JSON config (`RiskLimits.load`) and flags.
public struct RiskLimits: Sendable, Hashable, Codable {
    /// Most symbols held at once: an order that would open a position beyond it is refused.
    public var maxOpenPositions: Int?
    /// Largest position in one symbol, as a fraction of equity, after the order fills.
    public var maxPositionFraction: Double?
    /// Largest gross exposure (Σ |position value|) as a fraction of equity after the order fills.
    public var maxGrossExposure: Double?
    /// Loss since the session's start, as a fraction of the equity then, past which new positions are refused for
    /// the rest of the session.
    public var dailyLossLimit: Double?
    /// Drop from the highest equity seen past which the runtime halts: it cancels orders, closes every position and
    /// refuses new ones until restarted.
    public var maxDrawdown: Double?
    /// Minutes after local midnight (session zone) in which new positions may be opened (`[start, end)`).
    public var tradingStartMinute: Int?
    public var tradingEndMinute: Int?
    /// Largest loss to a bracket's stop-loss, as a fraction of equity: an entry whose quantity × |price − stop|
    /// exceeds it is refused, with the largest quantity that fits in the reason.
    public var maxRiskPerTrade: Double?
    /// Seconds after a position in a symbol was closed by a stop or a liquidation during which no new position in
    /// that symbol is opened.
    public var cooldownSeconds: Double?
    /// Orders older than this many seconds (from the bar or event that made them to the moment they would be sent)
    /// are not sent: a signal that waited too long is stale.
    public var signalExpirySeconds: Double?

    public init(maxOpenPositions: Int? = nil, maxPositionFraction: Double? = nil, maxGrossExposure: Double? = nil,
                dailyLossLimit: Double? = nil, maxDrawdown: Double? = nil, tradingStartMinute: Int? = nil,
                tradingEndMinute: Int? = nil, maxRiskPerTrade: Double? = nil, cooldownSeconds: Double? = nil,
                signalExpirySeconds: Double? = nil) {
        self.maxOpenPositions = maxOpenPositions
        self.maxPositionFraction = maxPositionFraction
        self.maxGrossExposure = maxGrossExposure
        self.dailyLossLimit = dailyLossLimit
        self.maxDrawdown = maxDrawdown
        self.tradingStartMinute = tradingStartMinute
        self.tradingEndMinute = tradingEndMinute
        self.maxRiskPerTrade = maxRiskPerTrade
        self.cooldownSeconds = cooldownSeconds
        self.signalExpirySeconds = signalExpirySeconds
    }

    enum CodingKeys: String, CodingKey {
        case maxOpenPositions = "max_open_positions", maxPositionFraction = "max_position_fraction"
        case maxGrossExposure = "max_gross_exposure", dailyLossLimit = "daily_loss_limit", maxDrawdown = "max_drawdown"
        case tradingStartMinute = "trading_start_minute", tradingEndMinute = "trading_end_minute"
        case maxRiskPerTrade = "max_risk_per_trade", cooldownSeconds = "cooldown_seconds"
        case signalExpirySeconds = "signal_expiry_seconds"
    }

    /// The config keys, as written in a file.
    public static let keys = ["max_open_positions", "max_position_fraction", "max_gross_exposure", "daily_loss_limit",
                              "max_drawdown", "trading_start_minute", "trading_end_minute", "max_risk_per_trade",
                              "cooldown_seconds", "signal_expiry_seconds"]

    /// True when no limit is set.
    public var isEmpty: Bool { self == RiskLimits() }

    /// Checks the numbers; the error names the field, its value and the valid range.
    public func validate() throws(RiskConfigError) {
        func fraction(_ name: String, _ v: Double?, upTo max: Double) throws(RiskConfigError) {
            if let v, !(v > 0 && v <= max) { throw .invalid(field: name, value: "\(v)", expected: "a fraction in (0, \(max))") }
        }
        if let n = maxOpenPositions, n < 1 { throw .invalid(field: "max_open_positions", value: "\(n)", expected: "an integer ≥ 1") }
        try fraction("max_position_fraction", maxPositionFraction, upTo: 10)
        try fraction("max_gross_exposure", maxGrossExposure, upTo: 10)
        try fraction("daily_loss_limit", dailyLossLimit, upTo: 1)
        try fraction("max_drawdown", maxDrawdown, upTo: 1)
        try fraction("max_risk_per_trade", maxRiskPerTrade, upTo: 1)
        for (name, v) in [("cooldown_seconds", cooldownSeconds), ("signal_expiry_seconds", signalExpirySeconds)] {
            if let v, !(v > 0 && v.isFinite) { throw .invalid(field: name, value: "\(v)", expected: "a number of seconds > 0") }
        }
        for (name, m) in [("trading_start_minute", tradingStartMinute), ("trading_end_minute", tradingEndMinute)] {
            if let m, !(0...1440).contains(m) { throw .invalid(field: name, value: "\(m)", expected: "minutes after midnight, 0…1440") }
        }
        if (tradingStartMinute == nil) != (tradingEndMinute == nil) {
            throw .invalid(field: "trading_start_minute/trading_end_minute", value: "one of them", expected: "both or neither")
        }
        if let a = tradingStartMinute, let b = tradingEndMinute, a >= b {
            throw .invalid(field: "trading_end_minute", value: "\(b)", expected: "after trading_start_minute (\(a))")
        }
    }

    /// Limits from a JSON file: an object with the keys above, or one whose `trading` object has them (the GPU
    /// trading system's layout). Unknown keys are errors, so a misspelt limit never silently does nothing.
    public static func load(path: String) throws(RiskConfigError) -> RiskLimits {
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path: path) }
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data) } catch {
            throw .malformed(path: path, reason: "not JSON: \(error.localizedDescription)")
        }
        guard var dict = object as? [String: Any] else { throw .malformed(path: path, reason: "the top level is not an object") }
        if let trading = dict["trading"] as? [String: Any] { dict = trading }
        let known = Set(keys)
        if let unknown = dict.keys.sorted().first(where: { !known.contains($0) }) {
            throw .malformed(path: path, reason: "unknown key \"\(unknown)\"; known: \(known.sorted().joined(separator: ", "))")
        }
        let limits: RiskLimits
        do {
            limits = try JSONDecoder().decode(RiskLimits.self, from: JSONSerialization.data(withJSONObject: dict))
        } catch {
            throw .malformed(path: path, reason: "\(error)")
        }
        try limits.validate()
        return limits
    }
}

/// A risk configuration that cannot be used; trading does not start.
public enum RiskConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(path: String)
    case malformed(path: String, reason: String)
    case invalid(field: String, value: String, expected: String)

    public var description: String {
        switch self {
        case .unreadable(let p): return "cannot read the risk config \(p)"
        case .malformed(let p, let why): return "risk config \(p): \(why)"
        case .invalid(let f, let v, let e): return "risk limit \(f) = \(v) is invalid; expected \(e)"
        }
    }
}
