import TradewindCore

/// A backtest's costs, fills, account, period and sessions as a user states them (command-line options, a server's
/// JSON): plain numbers and names, every field optional in JSON (missing fields take the defaults below).
/// `config(zone:)` checks them and builds the engine's `BacktestConfig`; every error names the field (its JSON key,
/// `Field`) and what it accepts, never a command-line flag.
///
/// Rules, beyond each field's range:
/// - `spread` (half-spread slippage) replaces `slippage_bps`: give one of them.
/// - `margin` (the initial margin, 0.5 = 2× leverage) makes the account a margin account whose maintenance margin is
///   `min(0.25, margin)`; without it the account is a cash account. `borrow_rate` and `margin_rate` apply to margin
///   accounts only (a cash account neither shorts nor borrows), so a non-zero rate needs `margin`.
/// - `from` and `to` are dates (`YYYY-MM-DD`) read in the zone given to `config(zone:)`: bars starting from `from`'s
///   midnight up to the end of `to` (inclusive) are simulated; `from` must not be after `to`.
/// - `commission_minimum` must not exceed `commission_maximum`.
public struct BacktestSettings: Sendable, Hashable, Codable {
    /// Initial capital.
    public var cash: Double
    /// Commission as a fraction of traded value (0.001 = 0.1 %).
    public var commission: Double
    /// Commission per share or unit.
    public var commissionPerShare: Double
    /// Minimum commission per order.
    public var commissionMinimum: Double
    /// Maximum commission per order (nil = none).
    public var commissionMaximum: Double?
    /// Fixed commission per order.
    public var commissionFixed: Double
    /// Slippage in basis points against the trader on market-type fills.
    public var slippageBps: Double
    /// Slippage as half of this quoted spread (price units), instead of `slippageBps`.
    public var spread: Double?
    /// Each order's fill per bar capped at this fraction of the bar's volume (nil = unlimited).
    public var volumeCap: Double?
    /// Annual short borrow fee (fraction); margin accounts.
    public var borrowRate: Double
    /// Annual interest on borrowed cash (fraction); margin accounts.
    public var marginRate: Double
    /// Market-order fills: `next-open` or `close` (`FillTiming`).
    public var fill: String
    /// Intrabar policy for OHLC bars: `worst` or `path` (`IntrabarPolicy`).
    public var intrabar: String
    /// Whole shares only.
    public var wholeShares: Bool
    /// A margin account with this initial margin (0.5 = 2× leverage); nil = a cash account.
    public var margin: Double?
    /// First date simulated (`YYYY-MM-DD`).
    public var from: String?
    /// Last date simulated, inclusive (`YYYY-MM-DD`).
    public var to: String?
    /// Intraday sessions: `all` (every bar trades) or `nyse` (the NYSE calendar; orders outside are queued).
    public var session: String
    /// Close every position at each session's last bar.
    public var flattenAtClose: Bool

    public init(cash: Double = 100_000, commission: Double = 0, commissionPerShare: Double = 0, commissionMinimum: Double = 0,
                commissionMaximum: Double? = nil, commissionFixed: Double = 0, slippageBps: Double = 0, spread: Double? = nil,
                volumeCap: Double? = nil, borrowRate: Double = 0, marginRate: Double = 0, fill: String = "next-open",
                intrabar: String = "worst", wholeShares: Bool = false, margin: Double? = nil, from: String? = nil,
                to: String? = nil, session: String = "all", flattenAtClose: Bool = false) {
        self.cash = cash
        self.commission = commission
        self.commissionPerShare = commissionPerShare
        self.commissionMinimum = commissionMinimum
        self.commissionMaximum = commissionMaximum
        self.commissionFixed = commissionFixed
        self.slippageBps = slippageBps
        self.spread = spread
        self.volumeCap = volumeCap
        self.borrowRate = borrowRate
        self.marginRate = marginRate
        self.fill = fill
        self.intrabar = intrabar
        self.wholeShares = wholeShares
        self.margin = margin
        self.from = from
        self.to = to
        self.session = session
        self.flattenAtClose = flattenAtClose
    }

    /// The fields, named as in JSON (and in errors).
    public enum Field: String, CodingKey, CaseIterable, Sendable {
        case cash, commission
        case commissionPerShare = "commission_per_share"
        case commissionMinimum = "commission_minimum"
        case commissionMaximum = "commission_maximum"
        case commissionFixed = "commission_fixed"
        case slippageBps = "slippage_bps"
        case spread
        case volumeCap = "volume_cap"
        case borrowRate = "borrow_rate"
        case marginRate = "margin_rate"
        case fill, intrabar
        case wholeShares = "whole_shares"
        case margin, from, to, session
        case flattenAtClose = "flatten_at_close"
    }

    /// The names `session` accepts.
    public static let sessionNames = ["all", "nyse"]

    /// The maintenance margin of a margin account opened with `initialMargin`: 25 % (Reg T), or the initial margin
    /// when that is lower.
    public static func maintenanceMargin(initialMargin: Double) -> Double { min(0.25, initialMargin) }

    /// The exchange calendar `session` names: nil for `all`, the NYSE calendar for `nyse`.
    public func sessionCalendar() throws(BacktestSettingsError) -> (any ExchangeCalendar)? {
        switch session {
        case "all": return nil
        case "nyse": return NYSECalendar.shared
        default: throw .invalidValue(field: .session, value: session, expected: "all or nyse")
        }
    }

    /// `from` and `to` as instants in `zone`: `from`'s midnight, and the midnight after `to` (bars starting before it
    /// are simulated). Throws when a date does not parse or `from` is after `to`.
    public func period(zone: ZoneRules) throws(BacktestSettingsError) -> (from: UnixNanos?, to: UnixNanos?) {
        func date(_ text: String?, _ field: Field) throws(BacktestSettingsError) -> CivilDate? {
            guard let text else { return nil }
            guard let d = CivilDate(iso: text) else { throw .invalidValue(field: field, value: text, expected: "YYYY-MM-DD") }
            return d
        }
        let first = try date(from, .from), last = try date(to, .to)
        if let first, let last, first > last {
            throw .outOfOrder(first: .from, firstValue: first.description, second: .to, secondValue: last.description)
        }
        return (first.map { zone.instant($0, hour: 0, minute: 0) }, last.map { zone.instant($0.adding(days: 1), hour: 0, minute: 0) })
    }

    /// Checks every field and combination (see the type's rules) and builds the engine configuration; dates and
    /// sessions are read in `zone`. A configuration built here passes `BacktestConfig.validate()`.
    public func config(zone: ZoneRules) throws(BacktestSettingsError) -> BacktestConfig {
        func require(_ ok: Bool, _ field: Field, _ value: Double, _ expected: String) throws(BacktestSettingsError) {
            if !ok { throw .invalidValue(field: field, value: Self.text(value), expected: expected) }
        }
        func nonNegative(_ v: Double, _ field: Field) throws(BacktestSettingsError) {
            try require(v >= 0 && v.isFinite, field, v, "a finite number ≥ 0")
        }
        try require(cash > 0 && cash.isFinite, .cash, cash, "a positive amount")
        try require(commission >= 0 && commission < 1, .commission, commission, "a fraction with 0 ≤ commission < 1 (0.001 = 0.1 %)")
        try nonNegative(commissionPerShare, .commissionPerShare)
        try nonNegative(commissionMinimum, .commissionMinimum)
        try nonNegative(commissionFixed, .commissionFixed)
        if let m = commissionMaximum {
            try require(m >= 0 && !m.isNaN, .commissionMaximum, m, "a number ≥ 0")
            if m < commissionMinimum {
                throw .outOfOrder(first: .commissionMinimum, firstValue: Self.text(commissionMinimum),
                                  second: .commissionMaximum, secondValue: Self.text(m))
            }
        }
        try require(slippageBps >= 0 && slippageBps < 10_000, .slippageBps, slippageBps, "basis points with 0 ≤ slippage_bps < 10000")
        if let s = spread {
            try nonNegative(s, .spread)
            if slippageBps != 0 { throw .exclusive(.spread, .slippageBps) }
        }
        if let p = volumeCap { try require(p > 0 && p <= 1, .volumeCap, p, "a fraction with 0 < volume_cap ≤ 1 (0.1 = 10 %)") }
        try nonNegative(borrowRate, .borrowRate)
        try nonNegative(marginRate, .marginRate)
        if let m = margin { try require(m > 0 && m <= 1, .margin, m, "an initial margin with 0 < margin ≤ 1 (0.5 = 2× leverage)") }
        if margin == nil {
            if borrowRate != 0 { throw .needsMarginAccount(field: .borrowRate, value: Self.text(borrowRate)) }
            if marginRate != 0 { throw .needsMarginAccount(field: .marginRate, value: Self.text(marginRate)) }
        }
        guard let fillTiming = FillTiming(rawValue: fill) else {
            throw .invalidValue(field: .fill, value: fill, expected: "next-open or close")
        }
        guard let policy = IntrabarPolicy(rawValue: intrabar) else {
            throw .invalidValue(field: .intrabar, value: intrabar, expected: "worst or path")
        }
        let (start, end) = try period(zone: zone)
        var config = BacktestConfig(
            initialCash: cash,
            commission: CommissionModel(perShare: commissionPerShare, percent: commission, fixed: commissionFixed,
                                        minimum: commissionMinimum, maximum: commissionMaximum ?? .infinity),
            slippage: spread.map { SlippageModel.halfSpread($0) } ?? (slippageBps > 0 ? .basisPoints(slippageBps) : .none),
            financing: FinancingModel(shortBorrowRate: borrowRate, marginInterestRate: marginRate),
            fillTiming: fillTiming, intrabar: policy, wholeShares: wholeShares, volumeParticipation: volumeCap,
            session: SessionPolicy(zone: zone, calendar: try sessionCalendar(), flattenAtClose: flattenAtClose),
            from: start, to: end)
        if let m = margin { config.account = .margin(initialMargin: m, maintenanceMargin: Self.maintenanceMargin(initialMargin: m)) }
        return config
    }

    /// A number as errors quote it: integers without a fraction (`5`, not `5.0`).
    static func text(_ v: Double) -> String {
        v.isFinite && v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
    }

    public init(from decoder: any Decoder) throws {
        try BacktestSettingsError.rejectUnknownKeys(decoder)
        let c = try decoder.container(keyedBy: Field.self)
        let d = BacktestSettings()
        cash = try c.decodeIfPresent(Double.self, forKey: .cash) ?? d.cash
        commission = try c.decodeIfPresent(Double.self, forKey: .commission) ?? d.commission
        commissionPerShare = try c.decodeIfPresent(Double.self, forKey: .commissionPerShare) ?? d.commissionPerShare
        commissionMinimum = try c.decodeIfPresent(Double.self, forKey: .commissionMinimum) ?? d.commissionMinimum
        commissionMaximum = try c.decodeIfPresent(Double.self, forKey: .commissionMaximum)
        commissionFixed = try c.decodeIfPresent(Double.self, forKey: .commissionFixed) ?? d.commissionFixed
        slippageBps = try c.decodeIfPresent(Double.self, forKey: .slippageBps) ?? d.slippageBps
        spread = try c.decodeIfPresent(Double.self, forKey: .spread)
        volumeCap = try c.decodeIfPresent(Double.self, forKey: .volumeCap)
        borrowRate = try c.decodeIfPresent(Double.self, forKey: .borrowRate) ?? d.borrowRate
        marginRate = try c.decodeIfPresent(Double.self, forKey: .marginRate) ?? d.marginRate
        fill = try c.decodeIfPresent(String.self, forKey: .fill) ?? d.fill
        intrabar = try c.decodeIfPresent(String.self, forKey: .intrabar) ?? d.intrabar
        wholeShares = try c.decodeIfPresent(Bool.self, forKey: .wholeShares) ?? d.wholeShares
        margin = try c.decodeIfPresent(Double.self, forKey: .margin)
        from = try c.decodeIfPresent(String.self, forKey: .from)
        to = try c.decodeIfPresent(String.self, forKey: .to)
        session = try c.decodeIfPresent(String.self, forKey: .session) ?? d.session
        flattenAtClose = try c.decodeIfPresent(Bool.self, forKey: .flattenAtClose) ?? d.flattenAtClose
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Field.self)
        try c.encode(cash, forKey: .cash)
        try c.encode(commission, forKey: .commission)
        try c.encode(commissionPerShare, forKey: .commissionPerShare)
        try c.encode(commissionMinimum, forKey: .commissionMinimum)
        try c.encodeIfPresent(commissionMaximum, forKey: .commissionMaximum)
        try c.encode(commissionFixed, forKey: .commissionFixed)
        try c.encode(slippageBps, forKey: .slippageBps)
        try c.encodeIfPresent(spread, forKey: .spread)
        try c.encodeIfPresent(volumeCap, forKey: .volumeCap)
        try c.encode(borrowRate, forKey: .borrowRate)
        try c.encode(marginRate, forKey: .marginRate)
        try c.encode(fill, forKey: .fill)
        try c.encode(intrabar, forKey: .intrabar)
        try c.encode(wholeShares, forKey: .wholeShares)
        try c.encodeIfPresent(margin, forKey: .margin)
        try c.encodeIfPresent(from, forKey: .from)
        try c.encodeIfPresent(to, forKey: .to)
        try c.encode(session, forKey: .session)
        try c.encode(flattenAtClose, forKey: .flattenAtClose)
    }
}

/// What is wrong with `BacktestSettings`: the field (its JSON key), the value as given and what is accepted.
/// `description(naming:)` lets a caller name the fields its own way (the command line names its flags).
public enum BacktestSettingsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A field's value outside what it accepts.
    case invalidValue(field: BacktestSettings.Field, value: String, expected: String)
    /// Two fields that cannot both be given.
    case exclusive(BacktestSettings.Field, BacktestSettings.Field)
    /// A non-zero financing rate without a margin account (`margin`).
    case needsMarginAccount(field: BacktestSettings.Field, value: String)
    /// `first` above `second` where it must not exceed it (`from` after `to`, a minimum commission above the maximum).
    case outOfOrder(first: BacktestSettings.Field, firstValue: String, second: BacktestSettings.Field, secondValue: String)
    /// A JSON key that is not a field.
    case unknownField(String)

    public var description: String { description(naming: \.rawValue) }

    /// The message with each field called `name(field)`.
    public func description(naming name: (BacktestSettings.Field) -> String) -> String {
        switch self {
        case let .invalidValue(field, value, expected):
            return "\(name(field)) \(value): expected \(expected)"
        case let .exclusive(a, b):
            return "give \(name(a)) or \(name(b)), not both"
        case let .needsMarginAccount(field, value):
            return "\(name(field)) \(value) applies to margin accounts only: give \(name(.margin)) too, or leave \(name(field)) at 0"
        case let .outOfOrder(first, firstValue, second, secondValue):
            return "\(name(first)) \(firstValue) and \(name(second)) \(secondValue) are out of order: \(name(first)) must not exceed \(name(second))"
        case let .unknownField(key):
            return "unknown backtest setting '\(key)'; the settings are: \(BacktestSettings.Field.allCases.map(\.rawValue).joined(separator: ", "))"
        }
    }

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    static func rejectUnknownKeys(_ decoder: any Decoder) throws {
        let keys = try decoder.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue)
        if let unknown = keys.sorted().first(where: { BacktestSettings.Field(stringValue: $0) == nil }) { throw unknownField(unknown) }
    }
}
