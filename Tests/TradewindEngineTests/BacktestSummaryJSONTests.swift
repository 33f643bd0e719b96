import Foundation
import Testing
import TradewindCore
import TradewindEngine
import TradewindTestSupport

@Suite("A backtest summary's JSON, written by hand")
struct BacktestSummaryJSONTests {
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
            for key in numbers { object[key] = EncoderFixtures.number(&rng) }
            for key in integers { object[key] = Int(rng.next() % 5000) }
            // Every pattern of missing optional values, the first key's (avg_loss) included.
            for key in optional where rng.next() % 3 != 0 { object[key] = EncoderFixtures.number(&rng) }
            let summary = try JSONDecoder().decode(BacktestSummary.self, from: JSONSerialization.data(withJSONObject: object))
            #expect(summary.json == (try EncoderFixtures.sortedKeysText(summary)), "\(object)")
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
        #expect(throws: (any Error).self) { try EncoderFixtures.sortedKeysText(summary) }
    }
}
