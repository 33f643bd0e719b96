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
    /// The folds' models are saved under `directory` (`ModelRetraining.save`) and kept; without it, in a temporary
    /// folder removed at the end.
    public static func run(_ data: MarketDataset, spec: WalkForwardSpec, settings: UniversalTrainingSettings,
                           dataset: DatasetConfiguration = DatasetConfiguration(), strategy: String = "ml-signal",
                           parameters: [String: String] = [:], catalog: StrategyCatalog = ModelStrategies.catalog,
                           config: BacktestConfig = BacktestConfig(), compareRandomSplit: Bool = false,
                           directory: String? = nil) throws -> Report {
        guard parameters["model"] == nil else {
            throw ModelError.invalidSetting(name: "model", value: parameters["model"] ?? "",
                                            expected: "no model parameter: each fold trains its own")
        }
        let axis = Array(Set(data.series.flatMap(\.time))).sorted()
        let folds: [WalkForwardFold]
        do { folds = try spec.windows(barCount: axis.count) } catch {
            throw ModelError.invalidSetting(name: "walk-forward", value: error.description, expected: "folds the data's \(axis.count) dates can hold")
        }
        let scratch = directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("tw-walkforward-\(UUID().uuidString)").path
        defer { if directory == nil { try? FileManager.default.removeItem(atPath: scratch) } }
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
            let evaluation = try scores(model, features: testFeatures, from: testFrom)
            var randomSplit: RandomSplitComparison?
            if compareRandomSplit {
                var leaky = dataset
                leaky.split = .randomPermutation(seed: settings.seed)
                let other = try ModelRetraining(settings: settings, dataset: leaky, directory: scratch).train(inSample)
                randomSplit = RandomSplitComparison(validationAccuracy: other.config.validationMetrics["accuracy"] ?? .nan,
                                                    accuracy: try scores(other, features: testFeatures, from: testFrom)?.accuracy ?? .nan)
            }
            // Both curves from the last bar before the test window.
            let curve = result.equity
            guard let start = curve.time.lastIndex(where: { $0 < testFrom }) ?? curve.time.indices.first else { continue }
            var hold = EqualWeightHold(test.series, base: curve.time[start])
            for i in (start + 1)..<curve.time.count where curve.time[i] >= testFrom {
                equity.append(EquityPoint(time: curve.time[i], strategy: capital.strategy * curve.equity[i] / curve.equity[start],
                                          buyAndHold: capital.buyAndHold * hold.value(at: curve.time[i])))
            }
            let strategyReturn = curve.equity[curve.equity.count - 1] / curve.equity[start] - 1
            let holdReturn = hold.value(at: testThrough) - 1
            capital = (capital.strategy * (1 + strategyReturn), capital.buyAndHold * (1 + holdReturn))
            out.append(Fold(index: fold.index, trainFrom: trainFrom, trainThrough: trainThrough, testFrom: testFrom,
                            testThrough: testThrough, model: model, evaluation: evaluation, strategyReturn: strategyReturn,
                            buyAndHoldReturn: holdReturn, trades: result.trades.count, randomSplit: randomSplit))
        }
        return Report(folds: out, equity: equity)
    }

    /// `model`'s scores on the windows of `features` that end at or after `from` and whose next bar is known (nil
    /// when there is none): a fold's out-of-sample evaluation, `features` computed on its in-sample and test bars.
    static func scores(_ model: UniversalModel, features: [FeatureTable], from: UnixNanos) throws(ModelError) -> UniversalEvaluation? {
        let windows = UniversalDataset.windows(features, scaler: model.config.scaler, configuration: model.config.dataset,
                                               from: from, outcomeRequired: true)
        return windows.count > 0 ? try UniversalEvaluation.evaluate(model, on: windows) : nil
    }

    /// The bars of `series` dated `from`…`through`; nil when none.
    static func slice(_ series: BarSeries, from: UnixNanos, through: UnixNanos) -> BarSeries? {
        guard let first = series.time.firstIndex(where: { $0 >= from }), let last = series.time.lastIndex(where: { $0 <= through }),
              first <= last else { return nil }
        return series.slice(first..<(last + 1))
    }
}
