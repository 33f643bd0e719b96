import TradewindCore
import TradewindData
import TradewindEngine
import TradewindStrategies

/// One backtest as a client states it (`POST /api/backtest`, or a `backtest` job): the `backtest` command's options.
/// Unknown fields are refused.
public struct BacktestRequest: Sendable, Codable, Equatable {
    /// A catalog strategy name.
    public var strategy: String
    /// A data source spec: `sample:NAME`, a CSV file, a directory or a cache (relative paths: under the server's home).
    public var data: String
    /// Only these symbols (nil: every symbol of the data).
    public var symbols: [String]?
    /// Strategy parameters as `name: value` texts (defaults for the rest).
    public var params: [String: String]
    /// Costs, fills, account, period and sessions, as `tradewind backtest` takes them.
    public var backtest: BacktestSettings
    /// Time zone of naive timestamps and of `from`/`to` (IANA name; default America/New_York).
    public var tz: String?
    public var adjust: AdjustmentMode
    /// Annual risk-free rate for Sharpe and Sortino.
    public var riskFree: Double
    /// Include the equity curve (at most `equityPoints` points, evenly sampled) in the response.
    public var equityPoints: Int

    enum CodingKeys: String, CodingKey, CaseIterable {
        case strategy, data, symbols, params, backtest, tz, adjust
        case riskFree = "risk_free"
        case equityPoints = "equity_points"
    }

    public init(strategy: String, data: String, symbols: [String]? = nil, params: [String: String] = [:],
                backtest: BacktestSettings = BacktestSettings(), tz: String? = nil, adjust: AdjustmentMode = .raw,
                riskFree: Double = 0, equityPoints: Int = 500) {
        self.strategy = strategy
        self.data = data
        self.symbols = symbols
        self.params = params
        self.backtest = backtest
        self.tz = tz
        self.adjust = adjust
        self.riskFree = riskFree
        self.equityPoints = equityPoints
    }

    public init(from decoder: any Decoder) throws {
        try rejectUnknownKeys(decoder, allowed: CodingKeys.allCases.map(\.rawValue))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(strategy: try c.decode(String.self, forKey: .strategy), data: try c.decode(String.self, forKey: .data))
        symbols = try c.decodeIfPresent([String].self, forKey: .symbols)
        params = try c.decodeIfPresent([String: ParameterText].self, forKey: .params)?.mapValues(\.text) ?? [:]
        backtest = try c.decodeIfPresent(BacktestSettings.self, forKey: .backtest) ?? backtest
        tz = try c.decodeIfPresent(String.self, forKey: .tz)
        adjust = try c.decodeIfPresent(AdjustmentMode.self, forKey: .adjust) ?? .raw
        riskFree = try c.decodeIfPresent(Double.self, forKey: .riskFree) ?? 0
        equityPoints = try c.decodeIfPresent(Int.self, forKey: .equityPoints) ?? 500
        guard (0...100_000).contains(equityPoints) else {
            throw APIError.badRequest("equity_points \(equityPoints): expected an integer from 0 to 100000", field: "equity_points")
        }
        guard riskFree.isFinite, (-1...1).contains(riskFree) else {
            throw APIError.badRequest("risk_free \(riskFree): expected a fraction from -1 to 1", field: "risk_free")
        }
        if let symbols, symbols.isEmpty {
            throw APIError.badRequest("symbols []: expected at least one symbol, or leave it out for every symbol", field: "symbols")
        }
    }
}

/// A parameter value given as a JSON string, number or Boolean, kept as the text the strategy parses.
struct ParameterText: Codable, Sendable {
    var text: String

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let s = try? c.decode(String.self) { text = s }
        else if let i = try? c.decode(Int.self) { text = String(i) }
        else if let d = try? c.decode(Double.self) { text = String(d) }
        else if let b = try? c.decode(Bool.self) { text = String(b) }
        else {
            throw DecodingError.typeMismatch(String.self, .init(codingPath: decoder.codingPath,
                                                                  debugDescription: "expected a string, number or Boolean"))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(text)
    }
}
