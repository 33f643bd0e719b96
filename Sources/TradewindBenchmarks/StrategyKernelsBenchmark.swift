import Dispatch
import Foundation
import TradewindCore
import TradewindData
import TradewindEngine
import TradewindOptimizer
import TradewindStrategies

/// `tradewind bench kernels` (per strategy): for every catalog strategy with an exact kernel, evaluations per second
/// of the optimizer's trial evaluator (`TrialEvaluator`, the default objective Sharpe) through the kernel and through
/// the engine on the same parameter sets, measured in the same run, with their ratio, and whether the engine's figures
/// equal the kernel's (1e-9 on every metric) on the points both evaluated.
///
/// Data: daily strategies on IBM 2001–2020 daily bars (sp500-50 sample, price bars only); the intraday family on one
/// synthetic symbol × one year of NYSE minute bars (`SyntheticMarket`), NYSE sessions with flattening at the close.
/// The kernel evaluates the whole grid (as one batch, as a grid search does); the engine a sample of it.
public enum StrategyKernelsBenchmark {
    public struct Row: Sendable {
        public var strategy: String
        public var fill: String
        public var data: String
        public var kernelPoints: Int
        public var kernelSeconds: Double
        public var enginePoints: Int
        public var engineSeconds: Double
        public var agrees: Bool
        public var kernelPerSecond: Double { Double(kernelPoints) / kernelSeconds }
        public var enginePerSecond: Double { Double(enginePoints) / engineSeconds }
    }

    /// A grid per strategy (`--grid` specs): a few thousand points each.
    static let grids: [(String, [String])] = [
        ("sma-cross", ["fast=2:60:1", "slow=10:200:4"]),
        ("ema-cross", ["fast=2:60:1", "slow=10:200:4"]),
        ("macd-cross", ["fast=2:20:2", "slow=10:60:5", "signal=3:15:2"]),
        ("bollinger-reversion", ["period=5:60:1", "std=0.5:3:0.1"]),
        ("donchian-breakout", ["entry_period=5:60:5", "exit_period=5:40:5", "atr_multiple=0:4:0.5"]),
        ("rsi2", ["rsi_period=2:6:1", "entry=5:40:5", "exit=60:95:5", "stop_loss=0:8:2"]),
        ("momentum", ["buy_trigger=0.1:3:0.1", "sell_trigger=0.1:3:0.1", "stop_loss=0:2:0.5"]),
        ("open-10am", ["buy_trigger=-1:2:0.1", "sell_trigger=0.1:3:0.1"]),
        ("open-10am-stop", ["buy_trigger=-1:2:0.1", "sell_trigger=0.1:3:0.1", "stop_loss=0.5:2:0.5"]),
        ("vwap-momentum", ["buy_trigger=-1:2:0.1", "sell_trigger=0.1:3:0.1", "stop_loss=0:2:0.5"]),
    ]

    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    /// Measures every strategy with a kernel (`only`: those named), `enginePoints` engine runs each.
    public static func run(enginePoints: Int = 24, threads: ThreadBudget = .all, only: Set<String>? = nil) throws -> [Row] {
        let zone = ZoneRules.newYork
        var ibm = try DataSource(parsing: "sample:sp500-50").load(LoadOptions(), symbols: ["IBM"]).series[0]
        ibm = ibm.between(zone.instant(CivilDate(year: 2001, month: 1, day: 1)!, hour: 0, minute: 0),
                          zone.instant(CivilDate(year: 2021, month: 1, day: 1)!, hour: 0, minute: 0))
        ibm.dividend = nil
        ibm.splitCoefficient = nil
        ibm.sourceAdjustedClose = nil
        let minutes = try SyntheticMarket(seed: 42).generate(symbols: 1, from: CivilDate(year: 2019, month: 1, day: 1)!,
                                                             to: CivilDate(year: 2019, month: 12, day: 31)!, interval: .minute).series[0]
        var nyse = BacktestConfig(commission: CommissionModel(percent: 0.0005))
        nyse.session = SessionPolicy(zone: .newYork, calendar: NYSECalendar.shared, flattenAtClose: true)
        var rows: [Row] = []
        for (name, grid) in grids where only?.contains(name) ?? true {
            let d = try StrategyCatalog.builtIn.named(name)
            guard d.kernel != nil else { continue }
            let intraday = d.requirements.intradayBars
            let fills: [FillTiming] = intraday ? [.nextOpen] : [.nextOpen, .signalClose]
            for fill in fills {
                var config = intraday ? nyse : BacktestConfig(commission: CommissionModel(percent: 0.001))
                config.fillTiming = fill
                let series = intraday ? minutes : ibm
                let space = try SpaceBuilder.space(strategy: d, grids: grid)
                let constraints = try SpaceBuilder.constraints(strategy: d, extra: [], space: space)
                let size = try space.gridSize() ?? 0
                let points = (0..<size).map(space.gridPoint).filter(constraints.isSatisfied)
                let fast = TrialEvaluator(strategy: d, space: space, dataset: MarketDataset([series]), config: config,
                                          objective: Objective(), threads: threads)
                let slow = TrialEvaluator(strategy: d, space: space, dataset: MarketDataset([series]), config: config,
                                          objective: Objective(), allowKernel: false, threads: threads)
                let t0 = now()
                let k = fast.evaluate(points)
                let t1 = now()
                let step = max(1, points.count / max(1, enginePoints))
                let sample = stride(from: 0, to: points.count, by: step).prefix(enginePoints).map { points[$0] }
                let t2 = now()
                let e = slow.evaluate(sample)
                let t3 = now()
                var agrees = fast.kernel != nil
                for (j, i) in stride(from: 0, to: points.count, by: step).prefix(enginePoints).enumerated() {
                    for m in OptimizationMetric.allCases {
                        let x = k[i][m], y = e[j][m]
                        if !((x.isNaN && y.isNaN) || abs(x - y) <= 1e-9 * max(1, abs(y))) { agrees = false }
                    }
                }
                rows.append(Row(strategy: name, fill: fill.rawValue, data: intraday ? "1 year of minute bars" : "20 years daily",
                                kernelPoints: points.count, kernelSeconds: t1 - t0, enginePoints: sample.count,
                                engineSeconds: t3 - t2, agrees: agrees))
            }
        }
        return rows
    }

    /// The table `tradewind bench kernels` prints.
    public static func table(_ rows: [Row], threads: Int) -> String {
        func f(_ x: Double) -> String { String(format: "%.0f", x) }
        var lines = ["per-strategy kernels: the optimizer's trial evaluator, objective sharpe, \(threads) thread(s); "
                     + "engine timed on a sample of the same grid",
                     "strategy              fill       data                   points   engine eval/s   kernel eval/s     ratio  equal"]
        for r in rows {
            func pad(_ s: String, _ w: Int) -> String { s + String(repeating: " ", count: max(0, w - s.count)) }
            func left(_ s: String, _ w: Int) -> String { String(repeating: " ", count: max(0, w - s.count)) + s }
            lines.append(pad(r.strategy, 22) + pad(r.fill, 11) + pad(r.data, 22) + left(String(r.kernelPoints), 7)
                         + left(f(r.enginePerSecond), 16) + left(f(r.kernelPerSecond), 16)
                         + left(f(r.kernelPerSecond / r.enginePerSecond) + "×", 10) + "  " + (r.agrees ? "yes" : "NO"))
        }
        return lines.joined(separator: "\n")
    }
}
