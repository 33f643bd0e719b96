import ArgumentParser
import TradewindCore
import TradewindData
import TradewindEngine

/// The cost, fill, account, period and session options of a backtest: shared by `backtest` and `optimize`.
struct BacktestOptions: ParsableArguments {
    @Option(help: "Initial capital.") var cash: Double = 100_000
    @Option(help: "Commission as a fraction of traded value (0.001 = 0.1 %).") var commission: Double = 0
    @Option(help: "Commission per share/unit.") var commissionPerShare: Double = 0
    @Option(help: "Minimum commission per order.") var commissionMinimum: Double = 0
    @Option(help: "Maximum commission per order.") var commissionMaximum: Double?
    @Option(help: "Fixed commission per order.") var commissionFixed: Double = 0
    @Option(help: "Slippage in basis points against the trader on market-type fills.") var slippageBps: Double = 0
    @Option(help: "Slippage as half of this quoted spread (price units), instead of --slippage-bps.") var spread: Double?
    @Option(help: "Cap each order's fill per bar at this fraction of the bar's volume (0.1 = 10 %).") var volumeCap: Double?
    @Option(help: "Annual short borrow fee (fraction), margin accounts.") var borrowRate: Double = 0
    @Option(help: "Annual interest on borrowed cash (fraction), margin accounts.") var marginRate: Double = 0
    @Option(help: "Market-order fills: next-open or close.") var fill: String = "next-open"
    @Option(help: "Intrabar policy for OHLC bars: worst or path.") var intrabar: String = "worst"
    @Flag(help: "Trade whole shares only.") var wholeShares = false
    @Option(help: "Margin account with this initial margin (0.5 = 2× leverage); default: cash account.") var margin: Double?
    @Option(help: "First date simulated (YYYY-MM-DD, in --tz).") var from: String?
    @Option(help: "Last date simulated, inclusive (YYYY-MM-DD, in --tz).") var to: String?
    @Option(help: "Intraday sessions: all (every bar trades, default) or nyse (NYSE calendar: holidays, early closes; orders outside are queued).")
    var session: String = "all"
    @Flag(help: "Close every position at each session's last bar.") var flattenAtClose = false

    func sessionCalendar() throws -> (any ExchangeCalendar)? {
        switch session {
        case "all": return nil
        case "nyse": return NYSECalendar.shared
        default: throw ValidationError("--session \(session): expected all or nyse")
        }
    }

    /// The engine configuration these options describe; dates are read in `zone`.
    func config(zone: ZoneRules) throws -> BacktestConfig {
        guard let fillTiming = FillTiming(rawValue: fill) else {
            throw ValidationError("--fill \(fill): expected next-open or close")
        }
        guard let policy = IntrabarPolicy(rawValue: intrabar) else {
            throw ValidationError("--intrabar \(intrabar): expected worst or path")
        }
        func date(_ text: String?, _ flag: String, plusDays: Int = 0) throws -> UnixNanos? {
            guard let text else { return nil }
            guard let d = CivilDate(iso: text) else { throw ValidationError("\(flag) \(text): expected YYYY-MM-DD") }
            return zone.instant(d.adding(days: plusDays), hour: 0, minute: 0)
        }
        var config = BacktestConfig(
            initialCash: cash,
            commission: CommissionModel(perShare: commissionPerShare, percent: commission, fixed: commissionFixed,
                                        minimum: commissionMinimum, maximum: commissionMaximum ?? .infinity),
            slippage: spread.map { SlippageModel.halfSpread($0) } ?? (slippageBps > 0 ? .basisPoints(slippageBps) : .none),
            financing: FinancingModel(shortBorrowRate: borrowRate, marginInterestRate: marginRate),
            fillTiming: fillTiming, intrabar: policy, wholeShares: wholeShares, volumeParticipation: volumeCap,
            session: SessionPolicy(zone: zone, calendar: try sessionCalendar(), flattenAtClose: flattenAtClose),
            from: try date(from, "--from"), to: try date(to, "--to", plusDays: 1))
        if let m = margin { config.account = .margin(initialMargin: m, maintenanceMargin: min(0.25, m)) }
        return config
    }
}
