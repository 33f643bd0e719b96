import Foundation
import Testing
import TradewindCore
@testable import TradewindAnalytics

@Suite("Trade statistics")
struct TradeStatisticsTests {
    static func trade(_ pnl: Double, bars: Int = 5) -> TradeRecord {
        TradeRecord(entryTime: 0, exitTime: 1, netPnL: pnl, returnPct: pnl / 1000, barsHeld: bars)
    }

    @Test("hand-computed: win rate ignores breakeven trades, profit factor, expectancy, payoff, Kelly, SQN")
    func handComputed() {
        let pnl: [Double] = [100, -50, 0, 200, -100, -50, 30]
        let s = TradeStatistics(trades: pnl.map { Self.trade($0) }, totalBars: 70)
        #expect(s.numberOfTrades == 7 && s.winners == 3 && s.losers == 3 && s.breakeven == 1)
        #expect(s.winRate == 0.5)
        #expect(s.grossProfit == 330 && s.grossLoss == -200 && s.netProfit == 130)
        #expect(close(s.profitFactor, 1.65, rel: 1e-15))
        #expect(close(s.expectancy, 130.0 / 7, rel: 1e-15))
        #expect(close(s.averageWin, 110, rel: 1e-15))
        #expect(close(s.averageLoss, -200.0 / 3, rel: 1e-15))
        #expect(close(s.payoffRatio, 1.65, rel: 1e-15))
        #expect(close(s.kellyFraction, 0.5 - 0.5 / 1.65, rel: 1e-14))
        let mean = 130.0 / 7
        let sd = (pnl.map { pow2($0 - mean) }.reduce(0, +) / 6).squareRoot()
        #expect(close(s.sqn, 7.0.squareRoot() * mean / sd, rel: 1e-14))
        #expect(s.largestWin == 200 && s.largestLoss == -100)
        #expect(s.exposure == 0.5)
        #expect(s.averageBarsHeld == 5)
        // Streaks: W L 0 W L L W → longest losing streak 2, winning 1 (breakeven breaks it).
        #expect(s.maxConsecutiveWins == 1 && s.maxConsecutiveLosses == 2)
    }

    @Test("no trades: counts zero, ratios undefined, JSON has nulls")
    func empty() throws {
        let s = TradeStatistics(trades: [])
        #expect(s.numberOfTrades == 0 && s.winRate == 0 && s.profitFactor == 0)
        #expect(s.expectancy.isNaN && s.sqn.isNaN && s.kellyFraction.isNaN && s.exposure == nil)
        let json = String(decoding: try JSONEncoder().encode(s), as: UTF8.self)
        #expect(json.contains("\"sqn\":null") && json.contains("\"number_of_trades\":0"))
    }

    @Test("only winners: profit factor is infinite")
    func onlyWinners() {
        let s = TradeStatistics(trades: [Self.trade(10), Self.trade(20)])
        #expect(s.profitFactor == .infinity && s.winRate == 1 && s.payoffRatio.isNaN)
    }

    @Test("AAPL round trips match QuantStats' functions on the P&L series and Van Tharp's SQN")
    func matchesReference() throws {
        var url = URL(fileURLWithPath: #filePath)
        while url.lastPathComponent != "Tests" { url.deleteLastPathComponent() }
        let data = try Data(contentsOf: url.appendingPathComponent("Fixtures/analytics/trades_aapl.json"))
        struct File: Decodable { let trades: [TradeRecord]; let expected: [String: Double] }
        let f = try JSONDecoder().decode(File.self, from: data)
        let e = f.expected
        let s = TradeStatistics(trades: f.trades, totalBars: Int(e["total_bars"]!))
        #expect(Double(s.numberOfTrades) == e["number_of_trades"])
        let pairs: [(Double, String)] = [
            (s.winRate, "win_rate"), (s.profitFactor, "profit_factor"), (s.payoffRatio, "payoff_ratio"),
            (s.averageWin, "average_win"), (s.averageLoss, "average_loss"), (s.kellyFraction, "kelly_fraction"),
            (s.expectancy, "expectancy"), (s.expectancyPct, "expectancy_pct"), (s.sqn, "sqn"),
            (s.exposure!, "exposure"),
        ]
        for (ours, key) in pairs { #expect(close(ours, e[key]!), "\(key): \(ours) vs \(e[key]!)") }
        #expect(Double(s.maxConsecutiveWins) == e["max_consecutive_wins"])
        #expect(Double(s.maxConsecutiveLosses) == e["max_consecutive_losses"])
    }
}
