/// Statistics over closed trades (not bars).
///
/// Definitions (a trade wins when `netPnL > 0`, loses when `< 0`; a breakeven trade, `== 0`, is counted
/// in `numberOfTrades` but is neither — the same treatment of zeros as QuantStats' period statistics, so
/// QuantStats' functions applied to the trades' P&L give the same numbers):
/// - `winRate` = winners / (winners + losers); 0 when there are neither.
/// - `profitFactor` = gross profit / |gross loss| on netPnL; +inf with profits and no loss, 0 with neither.
/// - `expectancy` = mean netPnL over ALL trades (currency per trade); `expectancyPct` = mean returnPct.
/// - `averageWin`/`averageLoss` = mean netPnL of winners/losers (loss negative); NaN when none.
/// - `payoffRatio` = averageWin / |averageLoss|.
/// - `sqn` = Van Tharp's System Quality Number √N · mean(netPnL) / std(netPnL) (sample std, ddof 1, all N
///   trades; NaN below 2 trades or with zero spread). Tharp's R-multiples would divide each P&L by its
///   initial risk; with no stop information the P&L itself is used, as backtesting.py does.
/// - `kellyFraction` = p - (1 - p)/b with p = winRate and b = payoffRatio (fixed-odds Kelly).
/// - `exposure` = Σ barsHeld / totalBars when `totalBars` is given (can exceed 1 if trades overlap).
/// - `maxConsecutiveWins`/`Losses`: longest streaks in exit order; a breakeven trade breaks both.
public struct TradeStatistics: Sendable, Equatable, Codable {
    public let numberOfTrades: Int
    public let winners: Int
    public let losers: Int
    public let breakeven: Int
    @FiniteOrNull public private(set) var winRate: Double
    @FiniteOrNull public private(set) var grossProfit: Double
    @FiniteOrNull public private(set) var grossLoss: Double
    @FiniteOrNull public private(set) var netProfit: Double
    @FiniteOrNull public private(set) var profitFactor: Double
    @FiniteOrNull public private(set) var expectancy: Double
    @FiniteOrNull public private(set) var expectancyPct: Double
    @FiniteOrNull public private(set) var averageWin: Double
    @FiniteOrNull public private(set) var averageLoss: Double
    @FiniteOrNull public private(set) var averageWinPct: Double
    @FiniteOrNull public private(set) var averageLossPct: Double
    @FiniteOrNull public private(set) var largestWin: Double
    @FiniteOrNull public private(set) var largestLoss: Double
    @FiniteOrNull public private(set) var payoffRatio: Double
    @FiniteOrNull public private(set) var sqn: Double
    @FiniteOrNull public private(set) var kellyFraction: Double
    @FiniteOrNull public private(set) var averageBarsHeld: Double
    public let exposure: Double?
    public let maxConsecutiveWins: Int
    public let maxConsecutiveLosses: Int

    /// Computes the statistics of `trades` (taken in the given order, which should be exit order).
    /// `totalBars`, the number of bars in the backtest, enables `exposure`.
    public init(trades: [TradeRecord], totalBars: Int? = nil) {
        var wins = 0, losses = 0, flat = 0
        var gp = 0.0, gl = 0.0, sumPnL = 0.0, sumPct = 0.0, winPct = 0.0, lossPct = 0.0
        var largestWin = 0.0, largestLoss = 0.0, bars = 0
        var run = 0, bestWinRun = 0, bestLossRun = 0
        for t in trades {
            sumPnL += t.netPnL
            sumPct += t.returnPct
            bars += t.barsHeld
            if t.netPnL > 0 {
                wins += 1; gp += t.netPnL; winPct += t.returnPct
                largestWin = max(largestWin, t.netPnL)
                run = run > 0 ? run + 1 : 1
                bestWinRun = max(bestWinRun, run)
            } else if t.netPnL < 0 {
                losses += 1; gl += t.netPnL; lossPct += t.returnPct
                largestLoss = min(largestLoss, t.netPnL)
                run = run < 0 ? run - 1 : -1
                bestLossRun = max(bestLossRun, -run)
            } else {
                flat += 1
                run = 0
            }
        }
        let n = trades.count
        let rate = wins + losses == 0 ? 0 : Double(wins) / Double(wins + losses)
        let avgWin = wins == 0 ? Double.nan : gp / Double(wins)
        let avgLoss = losses == 0 ? Double.nan : gl / Double(losses)
        let payoff = avgWin / abs(avgLoss)
        let absLoss = abs(gl)
        let sd = SampleStatistics.standardDeviation(trades.map(\.netPnL))
        numberOfTrades = n
        winners = wins
        losers = losses
        breakeven = flat
        winRate = rate
        grossProfit = gp
        grossLoss = gl
        netProfit = sumPnL
        profitFactor = absLoss == 0 ? (gp == 0 ? 0 : .infinity) : gp / absLoss
        expectancy = n == 0 ? .nan : sumPnL / Double(n)
        expectancyPct = n == 0 ? .nan : sumPct / Double(n)
        averageWin = avgWin
        averageLoss = avgLoss
        averageWinPct = wins == 0 ? .nan : winPct / Double(wins)
        averageLossPct = losses == 0 ? .nan : lossPct / Double(losses)
        self.largestWin = wins == 0 ? .nan : largestWin
        self.largestLoss = losses == 0 ? .nan : largestLoss
        payoffRatio = payoff
        sqn = n < 2 || !(sd > 0) ? .nan : Double(n).squareRoot() * (sumPnL / Double(n)) / sd
        kellyFraction = Performance.kelly(winRate: rate, payoffRatio: payoff)
        averageBarsHeld = n == 0 ? .nan : Double(bars) / Double(n)
        if let totalBars, totalBars > 0 { exposure = Double(bars) / Double(totalBars) } else { exposure = nil }
        maxConsecutiveWins = bestWinRun
        maxConsecutiveLosses = bestLossRun
    }

    enum CodingKeys: String, CodingKey {
        case numberOfTrades = "number_of_trades", winners, losers, breakeven, winRate = "win_rate"
        case grossProfit = "gross_profit", grossLoss = "gross_loss", netProfit = "net_profit"
        case profitFactor = "profit_factor", expectancy, expectancyPct = "expectancy_pct"
        case averageWin = "average_win", averageLoss = "average_loss", averageWinPct = "average_win_pct"
        case averageLossPct = "average_loss_pct", largestWin = "largest_win", largestLoss = "largest_loss"
        case payoffRatio = "payoff_ratio", sqn, kellyFraction = "kelly_fraction"
        case averageBarsHeld = "average_bars_held", exposure
        case maxConsecutiveWins = "max_consecutive_wins", maxConsecutiveLosses = "max_consecutive_losses"
    }
}
