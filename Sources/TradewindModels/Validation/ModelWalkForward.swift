import Foundation
import TradewindCore
import TradewindEngine
import TradewindOptimizer
import TradewindStrategies

/// Walk-forward retraining: the optimizer's folds (`WalkForwardSpec`) over the data's dates, a model trained on
/// each fold's in-sample window only (its bars are cut at the window's last date before features, labels and the
/// scaler are computed, so nothing after it can reach the model), then scored and traded out-of-sample on the
/// fold's test window with an ML strategy. The folds' out-of-sample equity is chained into one curve and set
/// against equal-weight buy-and-hold over the same bars.
public enum ModelWalkForward {
    /// One fold's model and out-of-sample results.
    public struct Fold: Sendable {
        public let index: Int
        /// The in-sample window (the model's training data) and the test window, first and last dates.
        public let trainFrom: UnixNanos, trainThrough: UnixNanos, testFrom: UnixNanos, testThrough: UnixNanos
        public let model: UniversalModel
        /// The model's scores on the test window's windows whose next bar is in the window.
        public let evaluation: UniversalEvaluation?
        /// The strategy's and equal-weight buy-and-hold's returns over the test window.
        public let strategyReturn: Double, buyAndHoldReturn: Double
        public let trades: Int
        /// The same fold trained with the leaky random permutation split, when asked for.
        public let randomSplit: RandomSplitComparison?
    }

    /// A fold's model trained the AI trading server's way (`SplitMethod.randomPermutation`) on the same in-sample
    /// bars: the validation accuracy that split reports, and the model's accuracy on the fold's test windows.
    public struct RandomSplitComparison: Sendable, Equatable {
        public let validationAccuracy: Double
        public let accuracy: Double
    }

    /// One point of the chained out-of-sample curves (both start at 1).
    public struct EquityPoint: Sendable, Equatable {
        public let time: UnixNanos
        public let strategy: Double, buyAndHold: Double
    }

    public struct Report: Sendable {
        public let folds: [Fold]
        public let equity: [EquityPoint]
        public var strategyReturn: Double { (equity.last?.strategy ?? 1) - 1 }
        public var buyAndHoldReturn: Double { (equity.last?.buyAndHold ?? 1) - 1 }
    }

    /// Runs the walk-forward: for each fold of `spec` over the union of the series' dates, trains with `settings`
    /// and `dataset` on the in-sample bars (`ModelRetraining`), then runs `strategy` (`ml-signal` or `ml-topk`, with
    /// `parameters` besides `model`) over the in-sample and test bars, of which only the test bars count. With
    /// `compareRandomSplit`, each fold also trains a model with the leaky random permutation split (`RandomSplitComparison`).
    public static func run(_ data: MarketDataset, spec: WalkForwardSpec, settings: UniversalTrainingSettings,
                           dataset: DatasetConfiguration = DatasetConfiguration(), strategy: String = "ml-signal",
                           parameters: [String: String] = [:], catalog: StrategyCatalog = ModelStrategies.catalog,
                           config: BacktestConfig = BacktestConfig(), compareRandomSplit: Bool = false) throws -> Report {
        guard parameters["model"] == nil else {
            throw ModelError.invalidSetting(name: "model", value: parameters["model"] ?? "",
                                            expected: "no model parameter: each fold trains its own")
        }
        let axis = Array(Set(data.series.flatMap(\.time))).sorted()
        let folds: [WalkForwardFold]
        do { folds = try spec.windows(barCount: axis.count) } catch {
            throw ModelError.invalidSetting(name: "walk-forward", value: error.description, expected: "folds the data's \(axis.count) dates can hold")
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("tw-walkforward-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let retraining = ModelRetraining(settings: settings, dataset: dataset, directory: scratch)
        var out: [Fold] = [], equity: [EquityPoint] = []
        var capital = (strategy: 1.0, buyAndHold: 1.0)
        for fold in folds {
            let (trainFrom, trainThrough) = (axis[fold.train.lowerBound], axis[fold.train.upperBound - 1])
            let (testFrom, testThrough) = (axis[fold.test.lowerBound], axis[fold.test.upperBound - 1])
            // In-sample: only the window's bars.
            let inSample = MarketDataset(data.series.compactMap { s in slice(s, from: trainFrom, through: trainThrough) })
            let model = try retraining.train(inSample)
            // Out-of-sample, as `tradewind optimize` trades a fold (`SymbolOptimizer.outOfSample`): one run over the
            // in-sample, gap and test bars, of which only the test bars count; nothing after the test window is read.
            let test = MarketDataset(data.series.compactMap { s in slice(s, from: trainFrom, through: testThrough) })
            guard !test.isEmpty else { continue }
            var p = parameters
            p["model"] = try retraining.save(model)
            let result = try catalog.run(strategy, parameters: p, data: test, config: config)
            let testFeatures = try UniversalFeatures.compute(test)
            let windows = UniversalDataset.windows(testFeatures, scaler: model.config.scaler,
                                                   configuration: model.config.dataset, from: testFrom, outcomeRequired: true)
            let evaluation = windows.count > 0 ? try UniversalEvaluation.evaluate(model, on: windows) : nil
            var randomSplit: RandomSplitComparison?
            if compareRandomSplit {
                var leaky = dataset
                leaky.split = .randomPermutation(seed: settings.seed)
                let other = try ModelRetraining(settings: settings, dataset: leaky, directory: scratch).train(inSample)
                let scored = UniversalDataset.windows(testFeatures, scaler: other.config.scaler,
                                                      configuration: other.config.dataset, from: testFrom, outcomeRequired: true)
                randomSplit = RandomSplitComparison(validationAccuracy: other.config.validationMetrics["accuracy"] ?? .nan,
                                                    accuracy: scored.count > 0 ? try UniversalEvaluation.evaluate(other, on: scored).accuracy : .nan)
            }
            // Both curves from the last bar before the test window.
            let curve = result.equity
            guard let start = curve.time.lastIndex(where: { $0 < testFrom }) ?? curve.time.indices.first else { continue }
            let holdings = test.series.map { s in (s, s.time.lastIndex { $0 <= curve.time[start] } ?? 0) }
            // Each symbol's last bar at or before `t`, found by moving a cursor forward: `t` only ever ascends (the
            // equity times, then the test window's end), so the whole curve costs one pass over each symbol's bars.
            var cursors = holdings.map { _ in -1 }
            func buyAndHold(at t: UnixNanos) -> Double {
                var sum = 0.0, count = 0
                for (k, (s, base)) in holdings.enumerated() {
                    while cursors[k] + 1 < s.count && s.time[cursors[k] + 1] <= t { cursors[k] += 1 }
                    guard cursors[k] >= 0, s.close[base] > 0 else { continue }
                    sum += s.close[cursors[k]] / s.close[base]
                    count += 1
                }
                return count == 0 ? 1 : sum / Double(count)
            }
            for i in (start + 1)..<curve.time.count where curve.time[i] >= testFrom {
                equity.append(EquityPoint(time: curve.time[i], strategy: capital.strategy * curve.equity[i] / curve.equity[start],
                                          buyAndHold: capital.buyAndHold * buyAndHold(at: curve.time[i])))
            }
            let strategyReturn = curve.equity[curve.equity.count - 1] / curve.equity[start] - 1
            let holdReturn = buyAndHold(at: testThrough) - 1
            capital = (capital.strategy * (1 + strategyReturn), capital.buyAndHold * (1 + holdReturn))
            out.append(Fold(index: fold.index, trainFrom: trainFrom, trainThrough: trainThrough, testFrom: testFrom,
                            testThrough: testThrough, model: model, evaluation: evaluation, strategyReturn: strategyReturn,
                            buyAndHoldReturn: holdReturn, trades: result.trades.count, randomSplit: randomSplit))
        }
        return Report(folds: out, equity: equity)
    }

    /// The bars of `series` dated `from`…`through`; nil when none.
    static func slice(_ series: BarSeries, from: UnixNanos, through: UnixNanos) -> BarSeries? {
        guard let first = series.time.firstIndex(where: { $0 >= from }), let last = series.time.lastIndex(where: { $0 <= through }),
              first <= last else { return nil }
        return series.slice(first..<(last + 1))
    }
}
