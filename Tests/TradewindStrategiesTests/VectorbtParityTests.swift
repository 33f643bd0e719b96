import Foundation
import Testing
import TradewindCore
import TradewindEngine
@testable import TradewindStrategies

/// A vectorbt fixture (Scripts/fixtures/vectorbt_sma_cross.py): an OHLC series and, per case, vectorbt's
/// `Portfolio.from_signals` results for an SMA-cross strategy.
struct VectorbtFixture: Decodable {
    struct Trade: Decodable {
        let entry_index: Int
        let exit_index: Int
        let size: Double
        let entry_price: Double
        let exit_price: Double
        let entry_fees: Double
        let exit_fees: Double
        let pnl: Double
        let `return`: Double
        let open: Bool
    }
    struct Case: Decodable {
        let fast: Int
        let slow: Int
        let fill: String
        let fees: Double
        let init_cash: Double
        let entry_signals: Int
        let final_value: Double
        let total_return: Double
        let trades: [Trade]
    }
    let symbol: String
    let dates: [String]
    let open: [Double]
    let high: [Double]
    let low: [Double]
    let close: [Double]
    let cases: [Case]

    static func load(_ name: String) throws -> VectorbtFixture {
        var url = URL(fileURLWithPath: #filePath)
        while url.lastPathComponent != "Tests" { url.deleteLastPathComponent() }
        let file = url.appendingPathComponent("Fixtures/engine/vectorbt_sma_cross_\(name).json")
        return try JSONDecoder().decode(VectorbtFixture.self, from: Data(contentsOf: file))
    }

    var dataset: MarketDataset {
        let time = dates.map { UnixTime.midnightUTC(CivilDate(iso: $0)!) }
        return MarketDataset([BarSeries(symbol: symbol, interval: .daily, time: time, open: open, high: high, low: low,
                                        close: close, volume: [Double](repeating: 1e9, count: close.count))])
    }
}

func relativeError(_ a: Double, _ b: Double) -> Double { abs(a - b) / max(abs(b), 1e-300) }

@Suite("sma-cross matches vectorbt from_signals")
struct VectorbtParityTests {
    @Test("final equity, total return and every trade equal vectorbt's", arguments: ["aapl", "jpm", "ko", "spy"])
    func parity(series: String) throws {
        let fx = try VectorbtFixture.load(series)
        let data = fx.dataset
        for c in fx.cases {
            let config = BacktestConfig(initialCash: c.init_cash, commission: .percentOfValue(c.fees),
                                        fillTiming: c.fill == "close" ? .signalClose : .nextOpen)
            let result = try Backtest.run(try SMACross(fast: c.fast, slow: c.slow), data: data, config: config)
            let label = "\(fx.symbol) \(c.fast)/\(c.slow) fill \(c.fill)"
            #expect(relativeError(result.finalEquity, c.final_value) <= 1e-9, "\(label): final \(result.finalEquity) vs \(c.final_value)")
            #expect(abs(result.totalReturn - c.total_return) <= 1e-9 * max(1, abs(c.total_return)), "\(label)")
            #expect(result.trades.count == c.trades.count, "\(label): \(result.trades.count) trades vs \(c.trades.count)")
            for (t, v) in zip(result.trades, c.trades) {
                #expect(t.entryStep == v.entry_index && t.exitStep == v.exit_index, "\(label): trade at \(v.entry_index)")
                #expect(t.isOpen == v.open)
                #expect(relativeError(t.quantity, v.size) <= 1e-9)
                #expect(relativeError(t.entryPrice, v.entry_price) <= 1e-12)
                #expect(relativeError(t.exitPrice, v.exit_price) <= 1e-12)
                #expect(abs(t.entryCommission - v.entry_fees) <= 1e-9 * max(1, v.entry_fees))
                #expect(abs(t.exitCommission - v.exit_fees) <= 1e-9 * max(1, v.exit_fees))
                #expect(abs(t.netPnL - v.pnl) <= 1e-9 * max(1, abs(v.pnl)) + 1e-7, "\(label): pnl \(t.netPnL) vs \(v.pnl)")
                #expect(abs(t.returnFraction - v.return) <= 1e-9, "\(label): return \(t.returnFraction) vs \(v.return)")
            }
        }
    }
}
