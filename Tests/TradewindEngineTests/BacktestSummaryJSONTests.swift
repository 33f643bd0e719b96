import Foundation
import Testing
import TradewindCore
import TradewindEngine

@Suite("A backtest summary's JSON, written by hand")
struct BacktestSummaryJSONTests {
    static func encoded<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Prices, quantities and returns of every magnitude the engine gives: integral, tiny, huge, negative.
    static func numbers(_ rng: inout SplitMix64) -> Double {
        let base = Double(rng.next() % 2_000_001) / 1000 - 1000
        switch rng.next() % 6 {
        case 0: return base.rounded()
        case 1: return base * 1e-9
        case 2: return base * 1e12
        case 3: return Double(rng.next() % 1_000_000) / 7
        case 4: return -0.0
        default: return base
        }
    }

    @Test func theSummaryIsJSONEncodersTextByteForByteWithMissingValuesLeftOut() throws {
        var rng = SplitMix64(seed: 23)
        let optional = ["cagr", "volatility", "sharpe", "sortino", "calmar", "max_drawdown", "win_rate", "profit_factor",
                        "avg_win", "avg_loss", "avg_win_pct", "avg_loss_pct"]
        let numbers = ["periods_per_year", "initial_capital", "final_equity", "total_return", "exposure", "total_commission",
                       "total_slippage", "total_financing"]
        let integers = ["bars", "trades", "open_trades", "orders", "rejected_orders"]
        for k in 0..<200 {
            var object: [String: Any] = [
                "strategy": k % 7 == 0 ? #"odd "name"\ é"# + "\u{8}\u{C}" : "sma-cross",
                // A file parameter's path (the signals and model strategies): JSONEncoder writes `/` as `\/`.
                "parameters": k % 2 == 0 ? "fast=10 slow=30" : "file=signals/spy.csv",
                "symbols": Array(["SPY", "QQQ", #"a"b"#].prefix(Int(rng.next() % 4))),
                "start": "2007-01-03T14:30:00Z", "end": "2013-12-31T14:30:00Z",
            ]
            for key in numbers { object[key] = Self.numbers(&rng) }
            for key in integers { object[key] = Int(rng.next() % 5000) }
            // Every pattern of missing optional values, the first key's (avg_loss) included.
            for key in optional where rng.next() % 3 != 0 { object[key] = Self.numbers(&rng) }
            let summary = try JSONDecoder().decode(BacktestSummary.self, from: JSONSerialization.data(withJSONObject: object))
            #expect(summary.json == (try Self.encoded(summary)), "\(object)")
        }
    }

    @Test func aNonFiniteSummaryNumberIsNullInsteadOfFailingTheRequest() throws {
        let object: [String: Any] = ["strategy": "s", "parameters": "", "symbols": ["SPY"], "start": "", "end": "", "bars": 1,
                                     "periods_per_year": 252, "initial_capital": 1, "final_equity": 1, "total_return": 0,
                                     "exposure": 0, "total_commission": 0, "total_slippage": 0, "total_financing": 0,
                                     "trades": 0, "open_trades": 0, "orders": 0, "rejected_orders": 0]
        var summary = try JSONDecoder().decode(BacktestSummary.self, from: JSONSerialization.data(withJSONObject: object))
        summary.sharpe = .nan
        summary.totalReturn = .infinity
        let text = summary.json
        #expect(text.contains(#""sharpe":null"#) && text.contains(#""total_return":null"#), "\(text)")
        #expect(throws: (any Error).self) { try Self.encoded(summary) }
    }
}
