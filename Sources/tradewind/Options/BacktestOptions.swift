import ArgumentParser
import TradewindCore
import TradewindData
import TradewindEngine

/// The cost, fill, account, period and session options of a backtest: shared by `backtest` and `optimize`.
/// `BacktestSettings` (TradewindEngine) checks them and builds the configuration.
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
    @Option(help: "Annual short borrow fee (fraction), margin accounts (needs --margin).") var borrowRate: Double = 0
    @Option(help: "Annual interest on borrowed cash (fraction), margin accounts (needs --margin).") var marginRate: Double = 0
    @Option(help: "Market-order fills: next-open or close.") var fill: String = "next-open"
    @Option(help: "Intrabar policy for OHLC bars: worst or path.") var intrabar: String = "worst"
    @Flag(help: "Trade whole shares only.") var wholeShares = false
    @Option(help: "Margin account with this initial margin (0.5 = 2× leverage); default: cash account.") var margin: Double?
    @Option(help: "First date simulated (YYYY-MM-DD, in --tz).") var from: String?
    @Option(help: "Last date simulated, inclusive (YYYY-MM-DD, in --tz).") var to: String?
    @Option(help: "Intraday sessions: all (every bar trades, default) or nyse (NYSE calendar: holidays, early closes; orders outside are queued).")
    var session: String = "all"
    @Flag(help: "Close every position at each session's last bar.") var flattenAtClose = false

    /// The options as library settings (`BacktestSettings`: the rules and checks live there).
    var settings: BacktestSettings {
        BacktestSettings(cash: cash, commission: commission, commissionPerShare: commissionPerShare,
                         commissionMinimum: commissionMinimum, commissionMaximum: commissionMaximum,
                         commissionFixed: commissionFixed, slippageBps: slippageBps, spread: spread, volumeCap: volumeCap,
                         borrowRate: borrowRate, marginRate: marginRate, fill: fill, intrabar: intrabar,
                         wholeShares: wholeShares, margin: margin, from: from, to: to, session: session,
                         flattenAtClose: flattenAtClose)
    }

    /// The engine configuration these options describe; dates are read in `zone`. Errors name the flags.
    func config(zone: ZoneRules) throws -> BacktestConfig {
        do {
            return try settings.config(zone: zone)
        } catch {
            throw Self.validationError(error)
        }
    }

    /// A settings error as the command line says it: with the flags' names.
    static func validationError(_ error: BacktestSettingsError) -> ValidationError {
        ValidationError(error.description(naming: flag))
    }

    /// The flag of each settings field.
    static func flag(_ field: BacktestSettings.Field) -> String {
        switch field {
        case .cash: return "--cash"
        case .commission: return "--commission"
        case .commissionPerShare: return "--commission-per-share"
        case .commissionMinimum: return "--commission-minimum"
        case .commissionMaximum: return "--commission-maximum"
        case .commissionFixed: return "--commission-fixed"
        case .slippageBps: return "--slippage-bps"
        case .spread: return "--spread"
        case .volumeCap: return "--volume-cap"
        case .borrowRate: return "--borrow-rate"
        case .marginRate: return "--margin-rate"
        case .fill: return "--fill"
        case .intrabar: return "--intrabar"
        case .wholeShares: return "--whole-shares"
        case .margin: return "--margin"
        case .from: return "--from"
        case .to: return "--to"
        case .session: return "--session"
        case .flattenAtClose: return "--flatten-at-close"
        }
    }
}

/// `--param name=value` options as the strategy's overrides.
enum ParameterOptions {
    static func overrides(_ params: [String]) throws -> [String: String] {
        var overrides: [String: String] = [:]
        for p in params {
            guard let eq = p.firstIndex(of: "="), eq != p.startIndex else {
                throw ValidationError("--param \(p): expected name=value")
            }
            overrides[String(p[..<eq])] = String(p[p.index(after: eq)...])
        }
        return overrides
    }
}
