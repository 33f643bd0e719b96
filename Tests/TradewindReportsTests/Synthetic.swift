import Foundation
import TradewindCharts
import TradewindCore
@testable import TradewindReports

/// Builds report inputs from a synthetic, deterministic equity path. The financial figures here
/// (drawdowns, monthly returns, rolling ratios) are simple test-side computations standing in for
/// the analytics adapter; the tests check that the renderer shows what it is given.
enum Synthetic {
    struct Rng {
        var state: UInt64
        mutating func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
    }

    static let initial = 100_000.0

    /// Weekday daily bars (or one 390-minute session when `intraday`) for `symbol`.
    static func bars(_ symbol: String, count: Int, intraday: Bool, seed: UInt64) -> BarSeries {
        var rng = Rng(state: seed)
        var t: [UnixNanos] = []
        if intraday {
            let open = ZoneRules.newYork.instant(CivilDate(year: 2011, month: 3, day: 14)!, hour: 9, minute: 30)
            for m in 0..<count { t.append(open + Int64(m) * UnixTime.nanosPerMinute) }
        } else {
            var d = CivilDate(year: 2004, month: 1, day: 2)!
            while t.count < count {
                if !d.isWeekend { t.append(ZoneRules.utc.instant(d, hour: 0, minute: 0)) }
                d = d.adding(days: 1)
            }
        }
        var o: [Double] = [], h: [Double] = [], l: [Double] = [], c: [Double] = []
        var px = 100.0
        let vol = intraday ? 0.0008 : 0.012
        for _ in 0..<count {
            let open = px
            px *= 1 + (rng.next() - 0.48) * vol * 2
            o.append(open)
            c.append(px)
            h.append(max(open, px) * (1 + rng.next() * vol / 2))
            l.append(min(open, px) * (1 - rng.next() * vol / 2))
        }
        return BarSeries(symbol: symbol, interval: intraday ? .minute : .daily, time: t, open: o, high: h, low: l, close: c,
                         volume: [Double](repeating: 1_000, count: count))
    }

    static func backtest(days: Int = 1_000, symbols: Int = 1, trades tradeCount: Int = 20, intraday: Bool = false) -> BacktestReportInput {
        let names = (0..<symbols).map { $0 == 0 ? "SPY" : "S\($0)" }
        let series = names.enumerated().map { bars($1, count: days, intraday: intraday, seed: UInt64(11 + $0)) }
        let main = series[0]
        let times = main.time
        var rng = Rng(state: 99)
        var equity: [Double] = [initial]
        for _ in 1..<max(days, 1) { equity.append(equity.last! * (1 + (rng.next() - 0.47) * (intraday ? 0.001 : 0.02))) }
        equity = Array(equity.prefix(days))
        let benchmark = main.close.map { $0 / main.close[0] * initial }
        // Underwater curve and drawdown periods.
        var peak = equity[0], peakIndex = 0
        var dd: [Double] = []
        var periods: [ReportDrawdown] = []
        var troughIndex = 0
        var inDrawdown = false
        for (i, e) in equity.enumerated() {
            if e >= peak {
                if inDrawdown {
                    periods.append(ReportDrawdown(start: times[peakIndex], trough: times[troughIndex], recovery: times[i],
                                                  depth: equity[troughIndex] / peak - 1))
                    inDrawdown = false
                }
                peak = e
                peakIndex = i
            } else {
                if !inDrawdown || e < equity[troughIndex] { troughIndex = i }
                inDrawdown = true
            }
            dd.append(e / peak - 1)
        }
        if inDrawdown {
            periods.append(ReportDrawdown(start: times[peakIndex], trough: times[troughIndex], recovery: nil, depth: equity[troughIndex] / peak - 1))
        }
        let daily = equity.count > 1 ? (1..<equity.count).map { equity[$0] / equity[$0 - 1] - 1 } : []
        // Monthly and yearly returns from month-end values.
        var monthly: [MonthlyReturn] = [], yearly: [YearlyReturn] = []
        var prevMonthEnd = initial, prevYearEnd = initial
        for i in equity.indices {
            let d = UnixTime.utcDate(of: times[i])
            let next = i + 1 < times.count ? UnixTime.utcDate(of: times[i + 1]) : nil
            if next == nil || next!.month != d.month {
                monthly.append(MonthlyReturn(year: d.year, month: d.month, value: equity[i] / prevMonthEnd - 1))
                prevMonthEnd = equity[i]
            }
            if next == nil || next!.year != d.year {
                yearly.append(YearlyReturn(year: d.year, value: equity[i] / prevYearEnd - 1, benchmark: 0.05))
                prevYearEnd = equity[i]
            }
        }
        let window = 126
        var rs: [Double] = [], rv: [Double] = []
        for i in equity.indices {
            guard i >= window else { rs.append(.nan); rv.append(.nan); continue }
            let w = daily[(i - window)..<i]
            let m = w.reduce(0, +) / Double(window)
            let sd = (w.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(window - 1)).squareRoot()
            rs.append(m / sd * 252.0.squareRoot())
            rv.append(sd * 252.0.squareRoot())
        }
        // Trades on the first symbol, evenly spread.
        var trades: [TradeRow] = []
        var marks: [TradeMark] = []
        if tradeCount > 0 && days >= 2 {
            let spacing = max(1, (days - 1) / tradeCount)
            for k in 0..<tradeCount {
                let a = min(k * spacing, days - 2), b = min(a + max(1, spacing / 2), days - 1)
                let q = 100.0
                let pnl = (main.close[b] - main.close[a]) * q - 2
                trades.append(TradeRow(id: k + 1, symbol: "SPY", side: "Long", entryTime: times[a], entryPrice: main.close[a], exitTime: times[b],
                                       exitPrice: main.close[b], quantity: q, pnl: pnl, returnFraction: main.close[b] / main.close[a] - 1,
                                       costs: 2, bars: b - a))
                marks.append(TradeMark(time: times[a], price: main.close[a], kind: .entry, label: "Buy 100 @ \(NumberText.fixed(main.close[a], 2))"))
                marks.append(TradeMark(time: times[b], price: main.close[b], kind: .exit, label: "Sell 100 @ \(NumberText.fixed(main.close[b], 2))"))
            }
        }
        let rsi = (0..<days).map { $0 < 14 ? Double.nan : 50 + 35 * sin(Double($0) / 9) }
        var prices = [SymbolPrices(bars: main, marks: marks, overlays: [
            IndicatorOverlay(name: "RSI(14)", values: rsi, pane: .separate,
                             levels: [ReferenceLine(value: 30, label: "Entry 30"), ReferenceLine(value: 70, label: "Exit 70")], range: 0...100),
        ])]
        prices += series.dropFirst().map { SymbolPrices(bars: $0) }
        let wins = trades.filter { $0.pnl > 0 }, losses = trades.filter { $0.pnl <= 0 }
        let grossWin = wins.map(\.pnl).reduce(0, +), grossLoss = -losses.map(\.pnl).reduce(0, +)
        let years = Double(days) / 252
        let summary = SummaryFigures(
            start: times.first!, end: times.last!, initialCapital: initial, finalValue: equity.last!,
            totalReturn: equity.last! / initial - 1, annualReturn: pow(equity.last! / initial, 1 / max(years, 1.0 / 252)) - 1,
            sharpe: 0.8, sortino: 1.1, maxDrawdown: dd.min() ?? 0, trades: trades.count,
            winRate: trades.isEmpty ? .nan : Double(wins.count) / Double(trades.count),
            profitFactor: grossLoss > 0 ? grossWin / grossLoss : .nan,
            averageWin: wins.isEmpty ? .nan : grossWin / Double(wins.count),
            averageLoss: losses.isEmpty ? .nan : -grossLoss / Double(losses.count))
        let metrics = [
            ReportMetric(key: "total_return", label: "Total return", value: summary.totalReturn, format: .percent(decimals: 2)),
            ReportMetric(key: "cagr", label: "CAGR", value: summary.annualReturn, format: .percent(decimals: 2)),
            ReportMetric(key: "sharpe", label: "Sharpe ratio", value: 0.8, format: .number(decimals: 2)),
            ReportMetric(key: "max_drawdown", label: "Max drawdown", value: summary.maxDrawdown, format: .percent(decimals: 2)),
            ReportMetric(key: "profit_factor", label: "Profit factor", value: summary.profitFactor, format: .number(decimals: 2)),
            ReportMetric(key: "longest_drawdown", label: "Longest drawdown", value: 120, format: .number(decimals: 0), suffix: " days"),
        ]
        let period = ReportPeriod(start: times.first!, end: times.last!, interval: main.interval, zone: intraday ? .newYork : .utc)
        return BacktestReportInput(
            title: "RSI reversion on " + names.joined(separator: ", "), strategy: "RSI reversion",
            parameters: [ReportParameter(name: "period", value: .number(14)), ReportParameter(name: "entry", value: .number(30))],
            symbols: names, period: period, dataSource: "synthetic (tests)", costs: "$1 per order", summary: summary, metrics: metrics,
            equity: TimeSeries(times: times, values: equity), benchmark: TimeSeries(times: times, values: benchmark),
            benchmarkName: "Buy & hold SPY", drawdown: TimeSeries(times: times, values: dd),
            worstDrawdowns: Array(periods.sorted { $0.depth < $1.depth }.prefix(5)), prices: prices, dailyReturns: daily,
            monthlyReturns: monthly, yearlyReturns: yearly, rollingSharpe: TimeSeries(times: times, values: rs),
            rollingVolatility: TimeSeries(times: times, values: rv), rollingWindow: "126 days", trades: trades)
    }

    /// A grid search over three parameters (fast × slow × stop) with a smooth objective.
    static func optimization(method: String = "grid", symbols: Int = 1) -> OptimizationReportInput {
        let fasts = [5.0, 10, 15, 20, 25], slows = [50.0, 100, 150, 200], stops = [0.02, 0.05]
        var trials: [TrialRow] = []
        var n = 0
        var best = (obj: -Double.infinity, f: 0.0, s: 0.0, st: 0.0)
        for f in fasts {
            for s in slows {
                for st in stops {
                    let obj = 1.5 - pow((f - 15) / 10, 2) - pow((s - 100) / 100, 2) - (st == 0.02 ? 0.1 : 0)
                    trials.append(TrialRow(number: n, parameters: [.number(f), .number(s), .number(st)], objective: obj))
                    if obj > best.obj { best = (obj, f, s, st) }
                    n += 1
                }
            }
        }
        trials.append(TrialRow(number: n, parameters: [.number(30), .number(10), .number(0.05)], objective: .nan))
        let t0 = ZoneRules.utc.instant(CivilDate(year: 2010, month: 1, day: 4)!, hour: 0, minute: 0)
        return OptimizationReportInput(
            title: "SMA cross optimization", strategy: "SMA cross", method: method, symbols: (0..<symbols).map { $0 == 0 ? "SPY" : "S\($0)" },
            period: ReportPeriod(start: t0, end: t0 + 3_000 * UnixTime.nanosPerDay, interval: .daily),
            dataSource: "synthetic", costs: "none", objective: ObjectiveInfo(name: "Sharpe ratio"),
            parameterNames: ["fast", "slow", "stop"],
            best: BestResult(parameters: [ReportParameter(name: "fast", value: .number(best.f)), ReportParameter(name: "slow", value: .number(best.s)),
                                          ReportParameter(name: "stop", value: .number(best.st))],
                             objective: best.obj, metrics: [ReportMetric(key: "cagr", label: "CAGR", value: 0.12, format: .percent(decimals: 2))]),
            trials: trials, showTrialOrder: method == "tpe")
    }
}
