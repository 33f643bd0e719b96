import Foundation
import TradewindCore
import TradewindEngine
import TradewindOptimizer
import TradewindReports
import TradewindStrategies

/// The out-of-sample model section (`ModelOutOfSampleSection`) of the reports of `ml-signal` and `ml-topk`:
/// `tradewind backtest --report` (a walk-forward retrained per fold by `ModelWalkForward`, or a given model's bars
/// after its training range) and `tradewind optimize --report` (the optimisation's own walk-forward folds, each with
/// the model retrained on its in-sample bars and the parameters chosen there). The numbers are those of the runs
/// themselves; this type only gathers them and says how they were made.
public enum ModelReportSection {
    /// The heading of the section in every report.
    public static let title = "Model out of sample"

    /// Whether `strategy` is one of the ML strategies, whose reports carry the section.
    public static func applies(to strategy: String) -> Bool { [MLSignal.name, MLTopK.name].contains(strategy) }

    /// The backtest report's section for an ML strategy (nil for other strategies). With `walkForward`, the strategy
    /// (`parameters` besides `model`) is walked forward over `data` with a model retrained per fold by `retraining`'s
    /// settings (`ModelWalkForward.run`, exactly as `tradewind ml walk-forward`), under `config`. Without it, the
    /// section keeps the part of `result` (the backtest of the given model) after the model's training range.
    public static func backtest(strategy: String, parameters: [String: String], data: MarketDataset, result: BacktestResult,
                                config: BacktestConfig, walkForward: WalkForwardSpec?, retraining: ModelRetraining,
                                catalog: StrategyCatalog = ModelStrategies.catalog) throws -> ModelOutOfSampleSection? {
        guard applies(to: strategy) else { return nil }
        let given = try parameters["model"].flatMap { $0.isEmpty ? nil : $0 }.map { path throws(ModelError) in
            (path, try UniversalModel.load(stem: String(path.dropLast(".json".count))))
        }
        guard let walkForward else {
            guard let given else {
                throw ModelError.invalidSetting(name: "model", value: "", expected: "a trained model's universal.json, or a walk-forward")
            }
            return try givenModel(given.1, path: given.0, strategy: strategy, data: data, result: result)
        }
        var others = parameters
        others["model"] = nil
        let walked = try ModelWalkForward.run(data, spec: walkForward, settings: retraining.settings, dataset: retraining.dataset,
                                              strategy: strategy, parameters: others, catalog: catalog, config: config,
                                              directory: retraining.directory)
        var notes = ["Each fold's model trains on its in-sample bars only (features, labels and scaler from them), then the strategy "
                     + "trades the fold's test window with it; the test windows' returns are chained. Buy-and-hold: equal weights "
                     + "of the backtest's symbols over the same bars."]
        if let (path, model) = given {
            notes.append("The tear sheet above trades the given model (\(path)), trained on bars \(day(model.config.trainingFrom)) → "
                         + "\(day(model.config.trainingThrough)): where the backtest covers that range it is in sample. This section does not use it.")
        }
        return walked.outOfSampleSection(strategy: strategy, settings: [
            ReportFact("Model", "retrained on each fold's in-sample bars: " + describe(retraining)),
            ReportFact("Folds", text(walkForward) + " over the data's dates"),
        ], notes: notes)
    }

    /// The section of a backtest of a given `model` (saved at `path`): `result`'s equity after the model's last
    /// training date, from the last bar on or before it, against equal-weight buy-and-hold of `data`'s symbols from
    /// the same bar, and the model's scores on the windows after its training range. One fold: the model's training
    /// range, then the rest of the backtest.
    static func givenModel(_ model: UniversalModel, path: String, strategy: String, data: MarketDataset,
                           result: BacktestResult) throws -> ModelOutOfSampleSection {
        let c = model.config
        let curve = result.equity
        var section = ModelOutOfSampleSection(
            title: title, strategy: strategy,
            settings: [ReportFact("Model", "given, not retrained: \(path) (\(c.model), trained on \(c.symbols.joined(separator: ", ")), "
                                  + "bars \(day(c.trainingFrom)) → \(day(c.trainingThrough)), \(c.epochsRun) epoch\(c.epochsRun == 1 ? "" : "s"))"),
                       ReportFact("Out of sample", "the backtest's bars after \(day(c.trainingThrough))")],
            notes: ["The tear sheet above trades the model over the whole backtest, including the bars it trained on, where it is "
                    + "in sample. This section keeps only the bars after its training range: the backtest's equity from its last bar "
                    + "on or before \(day(c.trainingThrough)), against equal-weight buy-and-hold of the backtest's symbols over the same "
                    + "bars. Those bars include the model's validation dates if the backtest covers them (the last part of its data, "
                    + "which chose its epoch but did not train it). For a model retrained on each fold of a walk-forward, ask for a walk-forward."],
            folds: [], equityTimes: [], strategyEquity: [], buyAndHoldEquity: [],
            equityCaption: "The given model trades on after its training range; the backtest's equity from its last bar in that range")
        guard let first = curve.time.firstIndex(where: { $0 > c.trainingThrough }) else {
            section.notes.append("The backtest ends \(curve.time.last.map(day) ?? "without bars"), within the model's training range: "
                                 + "no bar is out of sample.")
            return section
        }
        let start = max(first - 1, 0)
        var hold = EqualWeightHold(data.series, base: curve.time[start])
        for i in first..<curve.time.count {
            section.equityTimes.append(curve.time[i])
            section.strategyEquity.append(curve.equity[i] / curve.equity[start])
            section.buyAndHoldEquity.append(hold.value(at: curve.time[i]))
        }
        let evaluation = try ModelWalkForward.scores(model, features: try UniversalFeatures.compute(data), from: c.trainingThrough + 1)
        section.folds = [ModelOutOfSampleFold(
            index: 0, trainStart: c.trainingFrom, trainEnd: c.trainingThrough, testStart: curve.time[first], testEnd: curve.time[curve.time.count - 1],
            samples: evaluation?.samples ?? 0, accuracy: evaluation?.accuracy ?? .nan, baselineAccuracy: evaluation?.baselineAccuracy ?? .nan,
            informationCoefficient: evaluation?.informationCoefficient ?? .nan, meanAbsoluteError: evaluation?.meanAbsoluteError ?? .nan,
            trades: result.trades.filter { $0.entryTime > c.trainingThrough }.count,
            strategyReturn: section.strategyReturn, buyAndHoldReturn: section.buyAndHoldReturn)]
        return section
    }

    /// The optimization report's section for `symbol`'s walk-forward (or split) folds on `series` (its bars), when
    /// `job` retrained an ML strategy's model per in-sample window (its `inSampleFit` is a `ModelRetraining`); nil
    /// otherwise, and without validation folds. The strategy
    /// curve is the optimizer's stitched out-of-sample equity; each fold's return is the stitched curve's over its
    /// test bars, its buy-and-hold return the symbol's close over the same bars, and its model (the `model` of the
    /// fold's chosen parameters) is scored on the test window when its file is still there.
    public static func optimization(_ symbol: SymbolOptimization, series: BarSeries, job: OptimizationJob) -> ModelOutOfSampleSection? {
        let strategy = job.strategy.name
        guard applies(to: strategy), let retraining = job.inSampleFit as? ModelRetraining, let v = symbol.validation, !v.folds.isEmpty,
              v.stitchedTimes.count == v.stitchedEquity.count else { return nil }
        let walkForward: WalkForwardSpec? = if case let .walkForward(spec) = job.validation { spec } else { nil }
        var index: [String: Int] = [:]
        for i in series.time.indices { index[ISO8601.utc(series.time[i])] = i }
        var section = ModelOutOfSampleSection(
            title: title, strategy: strategy,
            settings: [ReportFact("Model", "retrained on each fold's in-sample bars: " + describe(retraining)),
                       ReportFact("Folds", (v.kind == "walk-forward" ? walkForward.map(text) ?? "walk-forward" : "one split")
                                  + " over \(series.symbol)'s bars"),
                       ReportFact("Symbol", series.symbol)],
            notes: ["Each fold's model trains on the fold's in-sample bars only, the parameters are searched there with it, and both "
                    + "trade the test window. The strategy's curve is the optimizer's stitched out-of-sample equity; buy-and-hold is "
                    + "\(series.symbol) over the same bars."],
            folds: [], equityTimes: [], strategyEquity: [], buyAndHoldEquity: [])
        var unscored = 0
        var position = 0
        var capital = (strategy: 1.0, buyAndHold: 1.0)
        for f in v.folds {
            guard let trainFrom = index[f.trainStart], let trainThrough = index[f.trainEnd], let testFrom = index[f.testStart],
                  let testThrough = index[f.testEnd], testFrom > 0, testFrom <= testThrough else { return nil }
            var hold = EqualWeightHold([series], base: series.time[testFrom - 1])
            let bars = testThrough - testFrom + 1
            guard position + bars <= v.stitchedEquity.count else { return nil }
            for j in 0..<bars {
                section.equityTimes.append(series.time[testFrom + j])
                section.strategyEquity.append(v.stitchedEquity[position + j])
                section.buyAndHoldEquity.append(capital.buyAndHold * hold.value(at: series.time[testFrom + j]))
            }
            position += bars
            let strategyReturn = section.strategyEquity[section.strategyEquity.count - 1] / capital.strategy - 1
            let holdReturn = hold.value(at: series.time[testThrough]) - 1
            capital = (section.strategyEquity[section.strategyEquity.count - 1], capital.buyAndHold * (1 + holdReturn))
            let evaluation = f.params["model"].flatMap { path -> UniversalEvaluation? in
                guard let model = try? UniversalModel.load(stem: String(path.dropLast(".json".count))),
                      let features = try? UniversalFeatures.compute(MarketDataset([series.slice(trainFrom..<(testThrough + 1))])) else { return nil }
                return try? ModelWalkForward.scores(model, features: features, from: series.time[testFrom])
            }
            if evaluation == nil { unscored += 1 }
            let shown = symbol.searchedParameters.isEmpty ? f.params.items.filter { $0.name != "model" }.map(\.name) : symbol.searchedParameters
            var parameters = f.params.items.filter { shown.contains($0.name) }.map { p in
                ReportParameter(name: p.name, value: Double(p.value).map { .number($0) } ?? .text(p.value))
            }
            if let path = f.params["model"] {
                // The model's folder is named by its archive's hash: the fold's model in a word.
                parameters.append(ReportParameter(name: "model", value: .text(URL(fileURLWithPath: path).deletingLastPathComponent().lastPathComponent)))
            }
            section.folds.append(ModelOutOfSampleFold(
                index: f.index, trainStart: series.time[trainFrom], trainEnd: series.time[trainThrough], testStart: series.time[testFrom],
                testEnd: series.time[testThrough], parameters: parameters, samples: evaluation?.samples ?? 0,
                accuracy: evaluation?.accuracy ?? .nan, baselineAccuracy: evaluation?.baselineAccuracy ?? .nan,
                informationCoefficient: evaluation?.informationCoefficient ?? .nan, meanAbsoluteError: evaluation?.meanAbsoluteError ?? .nan,
                trades: f.outOfSample.trades, strategyReturn: strategyReturn, buyAndHoldReturn: holdReturn))
        }
        if unscored > 0 {
            section.notes.append("\(unscored) fold\(unscored == 1 ? "'s model has" : "s' models have") no scores: no labelled window "
                                 + "in the test bars, or the model's file is gone (a symbol resumed from a job file).")
        }
        return section
    }

    /// The retraining's settings in words: `universal-bigru, widths 8,4,4,8,4, 2 epochs (batch 64, seed 7), 20-bar windows`.
    static func describe(_ retraining: ModelRetraining) -> String {
        let s = retraining.settings, a = s.architecture
        return "universal-bigru, widths \(a.firstRecurrent),\(a.secondRecurrent),\(a.attentionUnits),\(a.firstDense),\(a.secondDense), "
            + "\(s.epochs) epoch\(s.epochs == 1 ? "" : "s") (batch \(s.batchSize), seed \(s.seed)), \(retraining.dataset.window)-bar windows"
    }

    /// A walk-forward request as written on the command line: `folds=3,train=150,test=40,mode=rolling,gap=5`.
    static func text(_ spec: WalkForwardSpec) -> String {
        ([spec.folds.map { "folds=\($0)" }, spec.train.map { "train=\($0)" }, spec.test.map { "test=\($0)" }].compactMap { $0 }
            + ["mode=\(spec.mode.rawValue)", "gap=\(spec.gap)"]).joined(separator: ",")
    }

    static func day(_ t: UnixNanos) -> String { String(ISO8601.utc(t).prefix(10)) }
}
