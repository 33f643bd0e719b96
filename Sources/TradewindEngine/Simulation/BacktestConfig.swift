import TradewindCore

/// Trading sessions and what happens to orders outside them (intraday data; daily bars are each one session).
///
/// Sessions are the local calendar dates of the bars in `zone`. Regular hours come from `calendar` (e.g.
/// `NYSECalendar.shared`: holidays and early closes included; a bar is in session when it starts in
/// `[open, close)` of its date's session) or, without a calendar, from `hours` (minutes after local midnight).
/// With neither, every bar is in session. No order fills on a bar outside the session; an order submitted on
/// one is queued until the next in-session bar (`.queue`, default) or rejected with a reason (`.reject`).
public struct SessionPolicy: Sendable, Hashable {
    public enum OutsideHours: String, Sendable, Hashable, CaseIterable { case queue, reject }

    public var zone: ZoneRules
    /// Regular hours as minutes after local midnight (`570..<960` = 09:30–16:00); used when `calendar` is nil.
    public var hours: Range<Int>?
    /// The exchange calendar that defines sessions (takes precedence over `hours`; its zone should be `zone`).
    public var calendar: (any ExchangeCalendar)?
    public var outsideHours: OutsideHours
    /// Close every position at the close of each session's last in-session bar (and cancel working orders).
    public var flattenAtClose: Bool

    public init(zone: ZoneRules = .newYork, hours: Range<Int>? = nil, calendar: (any ExchangeCalendar)? = nil,
                outsideHours: OutsideHours = .queue, flattenAtClose: Bool = false) {
        self.zone = zone
        self.hours = hours
        self.calendar = calendar
        self.outsideHours = outsideHours
        self.flattenAtClose = flattenAtClose
    }

    /// US equities by fixed hours: 09:30–16:00 New York (no holidays or early closes).
    public static let usEquities = SessionPolicy(hours: 570..<960)

    /// US equities on the NYSE calendar: regular sessions with holidays and 13:00 early closes.
    public static let nyse = SessionPolicy(zone: .newYork, calendar: NYSECalendar.shared)

    public static func == (a: SessionPolicy, b: SessionPolicy) -> Bool {
        a.zone == b.zone && a.hours == b.hours && a.calendar?.name == b.calendar?.name
            && a.outsideHours == b.outsideHours && a.flattenAtClose == b.flattenAtClose
    }

    public func hash(into h: inout Hasher) {
        h.combine(zone)
        h.combine(hours)
        h.combine(calendar?.name)
        h.combine(outsideHours)
        h.combine(flattenAtClose)
    }

    /// True when a bar starting at `t` (local nanoseconds `local` in this policy's zone) is in regular hours: inside
    /// the calendar's session that day, or inside `hours`, or always when the policy has neither. `cachedSession`
    /// keeps the last day's session between calls (pass the same variable for bars in time order).
    public func isInSession(_ t: UnixNanos, local: Int64, cachedSession: inout (day: Int64, session: TradingSession?)?) -> Bool {
        if let calendar {
            let day = UnixTime.floorDiv(local, UnixTime.nanosPerDay)
            if cachedSession?.day != day {
                cachedSession = (day, calendar.session(on: CivilDate(daysSinceEpoch: Int(day))))
            }
            return cachedSession?.session?.contains(t) ?? false
        }
        if let h = hours {
            return h.contains(Int(UnixTime.floorMod(local, UnixTime.nanosPerDay) / UnixTime.nanosPerMinute))
        }
        return true
    }
}

/// Everything about a simulation except the strategy and the data.
public struct BacktestConfig: Sendable, Hashable {
    public var initialCash: Double
    public var account: AccountModel
    public var commission: CommissionModel
    public var slippage: SlippageModel
    public var financing: FinancingModel
    public var fillTiming: FillTiming
    public var intrabar: IntrabarPolicy
    /// Whole shares only: quantities are rounded down to an integer (an order rounding to 0 is rejected).
    public var wholeShares: Bool
    /// Maximum fraction of a bar's volume one order may fill on that bar (nil = unlimited); the rest keeps
    /// working (IOC: expires).
    public var volumeParticipation: Double?
    public var session: SessionPolicy
    /// Only bars starting in `[from, to)` are simulated (nil = unbounded).
    public var from: UnixNanos?
    public var to: UnixNanos?
    /// The run's first `warmup` steps are warm-up: the strategy sees their bars (history, indicators, events) but
    /// never trades on them (its orders are rejected, so nothing is placed or filled), and the results (equity
    /// curve, positions, metrics) start after them. 0 (the default) is no warm-up. `Warmup.applying(bars:to:data:)`
    /// sets it, with `from`, for a window of bars before the start; the live runtime takes them from its feed.
    public var warmup: Int = 0
    /// Whether the result keeps the order log and the fill list (`BacktestResult.orderLog`, `.fills`). When false
    /// they are neither built nor kept (left empty); everything else — equity, positions, trades, orders, totals,
    /// and the notices the strategy asked for — is the same bit for bit. `tradewind backtest` turns it off when
    /// its output reads neither (a summary or `--json` alone). An outside venue's run always keeps them.
    public var recordsOrderLog = true
    /// Threads a run may use, its own included, for work that cannot change a value: with two or more, a helper
    /// populates the pages of the fresh market and result buffers while the run writes them (`PagePopulation`).
    /// Default 1 (none); results are the same on any number.
    public var threads: ThreadBudget = .single

    public init(initialCash: Double = 100_000, account: AccountModel = .cash, commission: CommissionModel = .none,
                slippage: SlippageModel = .none, financing: FinancingModel = .none, fillTiming: FillTiming = .nextOpen,
                intrabar: IntrabarPolicy = .worst, wholeShares: Bool = false, volumeParticipation: Double? = nil,
                session: SessionPolicy = SessionPolicy(), from: UnixNanos? = nil, to: UnixNanos? = nil) {
        self.initialCash = initialCash
        self.account = account
        self.commission = commission
        self.slippage = slippage
        self.financing = financing
        self.fillTiming = fillTiming
        self.intrabar = intrabar
        self.wholeShares = wholeShares
        self.volumeParticipation = volumeParticipation
        self.session = session
        self.from = from
        self.to = to
    }

    /// Checks the numbers; the error names the field and its valid range.
    public func validate() throws(BacktestError) {
        func bad(_ field: String, _ value: Double, _ range: String) throws(BacktestError) {
            throw BacktestError.invalidConfiguration("\(field) = \(value) is invalid; expected \(range)")
        }
        if !(initialCash > 0) || !initialCash.isFinite { try bad("initial cash", initialCash, "a positive amount") }
        let c = commission
        for (name, v) in [("commission per share", c.perShare), ("commission percent", c.percent),
                          ("fixed commission", c.fixed), ("minimum commission", c.minimum)] where !(v >= 0) || !v.isFinite {
            try bad(name, v, "a finite value ≥ 0")
        }
        if !(c.maximum >= c.minimum) { try bad("maximum commission", c.maximum, "≥ the minimum (\(c.minimum))") }
        if !(c.maximumPercent >= 0) { try bad("maximum commission percent", c.maximumPercent, "a fraction ≥ 0 (infinity = none)") }
        if !(c.percent < 1) { try bad("commission percent", c.percent, "a fraction < 1 (0.001 = 0.1 %)") }
        switch slippage {
        case .none: break
        case .basisPoints(let b): if !(b >= 0 && b < 10_000) { try bad("slippage bps", b, "0 ≤ bps < 10000") }
        case .halfSpread(let s): if !(s >= 0) || !s.isFinite { try bad("spread", s, "a finite value ≥ 0") }
        }
        if case .margin(let i, let m) = account {
            if !(i > 0 && i <= 1) { try bad("initial margin", i, "0 < initial margin ≤ 1") }
            if !(m > 0 && m <= i) { try bad("maintenance margin", m, "0 < maintenance ≤ initial margin (\(i))") }
        }
        if let p = volumeParticipation, !(p > 0 && p <= 1) { try bad("volume participation", p, "0 < fraction ≤ 1") }
        if !(financing.shortBorrowRate >= 0) { try bad("short borrow rate", financing.shortBorrowRate, "≥ 0") }
        if !(financing.marginInterestRate >= 0) { try bad("margin interest rate", financing.marginInterestRate, "≥ 0") }
        if warmup < 0 {
            throw BacktestError.invalidConfiguration("warm-up = \(warmup) bars is invalid; expected a number of bars ≥ 0")
        }
        if let f = from, let t = to, f >= t {
            throw BacktestError.invalidConfiguration("the period is empty: from \(ISO8601.utc(f)) is not before to \(ISO8601.utc(t))")
        }
    }
}
