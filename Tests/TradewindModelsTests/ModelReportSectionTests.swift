import Foundation
import Testing
import TradewindCore
import TradewindEngine
import TradewindOptimizer
import TradewindReports
import TradewindStrategies
@testable import TradewindModels

/// The out-of-sample model section of `tradewind backtest --report` and `tradewind optimize --report` for the ML
/// strategies: its numbers are those of `ModelWalkForward` (what `ml walk-forward` prints), of the given model's
/// bars after its training range, and of the optimizer's stitched folds. On the fixture's real bars (3 symbols,
/// 260 days) with a small network and 20-bar windows.
@Suite struct ModelReportSectionTests {
    static let parameters = ["threshold": "0.34", "exit_threshold": "0.5", "stop": "0"]

    /// A model trained on the fixture's first 150 dates only, saved under a new folder.
    static func earlyModel(_ data: MarketDataset) throws -> (path: String, model: UniversalModel, directory: String) {
        let directory = OptimizerRetrainingTests.scratch()
        let through = data.series[0].time[149]
        let early = MarketDataset(data.series.compactMap { ModelWalkForward.slice($0, from: $0.time[0], through: through) })
        let retraining = ModelRetraining(settings: UniversalTrainingTests.settings, dataset: ModelWalkForwardTests.dataset, directory: directory)
        let model = try retraining.train(early)
        return (try retraining.save(model), model, directory)
    }

    static func backtest(_ data: MarketDataset, model path: String) throws -> BacktestResult {
        var p = parameters
        p["model"] = path
        return try ModelStrategies.catalog.run("ml-signal", parameters: p, data: data, config: BacktestConfig())
    }

    static func same(_ a: Double, _ b: Double) -> Bool { ModelEvaluationReportTests.same(a, b) }

    @Test func theBacktestSectionWithAWalkForwardHasTheNumbersOfMlWalkForwardAndTheReportShowsThem() throws {
        let data = try ModelStrategyTests.market()
        let given = try Self.earlyModel(data)
        defer { try? FileManager.default.removeItem(atPath: given.directory) }
        var p = Self.parameters
        p["model"] = given.path
        let result = try Self.backtest(data, model: given.path)
        let retraining = ModelRetraining(settings: UniversalTrainingTests.settings, dataset: ModelWalkForwardTests.dataset,
                                         directory: given.directory + "/folds")
        let section = try #require(try ModelReportSection.backtest(
            strategy: "ml-signal", parameters: p, data: data, result: result, config: BacktestConfig(),
            walkForward: ModelWalkForwardTests.spec, retraining: retraining))
        let walked = try ModelWalkForwardTests.run(data)
        // The same walk-forward: fold by fold and point by point.
        #expect(section.folds.count == 2 && section.folds.count == walked.folds.count)
        for (s, w) in zip(section.folds, walked.folds) {
            let e = try #require(w.evaluation)
            #expect(s.trainStart == w.trainFrom && s.trainEnd == w.trainThrough && s.testStart == w.testFrom && s.testEnd == w.testThrough)
            #expect(s.samples == e.samples && s.accuracy == e.accuracy && s.informationCoefficient == e.informationCoefficient)
            #expect(s.strategyReturn == w.strategyReturn && s.buyAndHoldReturn == w.buyAndHoldReturn && s.trades == w.trades)
        }
        #expect(section.equityTimes == walked.equity.map(\.time) && section.strategyEquity == walked.equity.map(\.strategy)
                && section.buyAndHoldEquity == walked.equity.map(\.buyAndHold))
        #expect(section.strategyReturn == walked.strategyReturn && section.buyAndHoldReturn == walked.buyAndHoldReturn)
        #expect(section.settings.contains { $0.text.contains("widths 8,4,4,8,4, 2 epochs (batch 64, seed 7), 20-bar windows") })
        #expect(section.settings.contains { $0.text.hasPrefix("folds=2,train=150,test=40,mode=rolling,gap=5") })
        #expect(section.notes.contains { $0.contains(given.path) })

        // The tear sheet carries the section, drawn by the table code of `ml walk-forward --report`.
        let context = BacktestReportAdapter.Context(strategy: "ml-signal", parameters: try ModelStrategies.catalog.named("ml-signal").parameters(p),
                                                    catalog: ModelStrategies.catalog, modelSection: section)
        let html = BacktestReport.render(try BacktestReportAdapter.input(result: result, data: data, context: context))
        #expect(html.contains("<section id=\"model\">") && html.contains("href=\"#model\"") && html.contains("id=\"oos-equity\""))
        let walkPage = ModelEvaluationReport.render(walked.reportInput(title: "w", strategy: "ml-signal", symbols: [], dataSource: ""))
        for f in walked.folds {
            let cells = try ModelEvaluationReportTests.row(html, table: "fold-table", fold: f.index)
            #expect(cells.count == 8)
            #expect(zip(cells, try ModelEvaluationReportTests.row(walkPage, table: "fold-table", fold: f.index)).allSatisfy { Self.same($0, $1) })
        }
        let at = try #require(html.range(of: "data-key=\"model-oos-return\" data-value=\""))
        #expect(Self.same(Double(html[at.upperBound...].prefix { $0 != "\"" }) ?? .nan, walked.strategyReturn))
        // The fold models were kept where the retraining says.
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: given.directory + "/folds")) ?? []).filter { !$0.hasPrefix(".") }.count == 2)
    }

    @Test func aGivenModelsSectionKeepsOnlyTheBacktestsBarsAfterItsTrainingRange() throws {
        let data = try ModelStrategyTests.market()
        let given = try Self.earlyModel(data)
        defer { try? FileManager.default.removeItem(atPath: given.directory) }
        let result = try Self.backtest(data, model: given.path)
        let retraining = ModelRetraining(settings: UniversalTrainingTests.settings, directory: given.directory + "/unused")
        let section = try #require(try ModelReportSection.backtest(
            strategy: "ml-signal", parameters: Self.parameters.merging(["model": given.path]) { a, _ in a }, data: data, result: result,
            config: BacktestConfig(), walkForward: nil, retraining: retraining))
        let through = given.model.config.trainingThrough
        let fold = try #require(section.folds.first)
        #expect(section.folds.count == 1 && fold.trainStart == given.model.config.trainingFrom && fold.trainEnd == through)
        // Out of sample: every bar of the backtest after the training range, from the last bar on or before it.
        let curve = result.equity
        let first = try #require(curve.time.firstIndex { $0 > through })
        #expect(section.equityTimes == Array(curve.time[first...]) && fold.testStart == curve.time[first])
        for (k, i) in (first..<curve.time.count).enumerated() {
            #expect(section.strategyEquity[k] == curve.equity[i] / curve.equity[first - 1])
        }
        // Buy-and-hold: the mean of the symbols' close ratios from that bar.
        let closes = data.series.map { s in (s.close[s.time.lastIndex { $0 <= curve.time[first - 1] }!], s.close[s.count - 1]) }
        let hold = closes.map { $0.1 / $0.0 }.reduce(0, +) / Double(closes.count) - 1
        #expect(abs(section.buyAndHoldReturn - hold) < 1e-12 && fold.buyAndHoldReturn == section.buyAndHoldReturn)
        #expect(fold.strategyReturn == curve.equity[curve.equity.count - 1] / curve.equity[first - 1] - 1)
        #expect(fold.trades == result.trades.filter { $0.entryTime > through }.count)
        // The model's scores: those of `ml evaluate` on the windows after its training range.
        let scores = try UniversalEvaluation.outOfSample(given.model, UniversalFeatures.compute(data))
        #expect(fold.samples == scores.samples && fold.accuracy == scores.accuracy && fold.meanAbsoluteError == scores.meanAbsoluteError)
        #expect(section.settings.contains { $0.text.hasPrefix("given, not retrained: " + given.path) })
        #expect(!FileManager.default.fileExists(atPath: given.directory + "/unused"))

        // A backtest that ends inside the training range has no out-of-sample bar, and says so.
        let inside = MarketDataset(data.series.compactMap { ModelWalkForward.slice($0, from: $0.time[0], through: through) })
        let none = try #require(try ModelReportSection.backtest(
            strategy: "ml-signal", parameters: ["model": given.path], data: inside, result: try Self.backtest(inside, model: given.path),
            config: BacktestConfig(), walkForward: nil, retraining: retraining))
        #expect(none.folds.isEmpty && none.equityTimes.isEmpty && none.notes.contains { $0.contains("no bar is out of sample") })
        let page = ModelOutOfSampleHTML.section(none, period: ReportPeriod(start: 0, end: 0, interval: .daily))
        #expect(page.contains("No out-of-sample bars.") && page.contains("No fold had test bars."))
    }

    @Test func otherStrategiesHaveNoSectionAndTheirPageIsTheSame() throws {
        let data = try ModelStrategyTests.market()
        let sma = try StrategyCatalog.builtIn.named("sma-cross")
        let parameters = try sma.parameters([:])
        let result = try sma.run(parameters, data, BacktestConfig())
        let retraining = ModelRetraining(settings: UniversalTrainingTests.settings, directory: OptimizerRetrainingTests.scratch())
        #expect(try ModelReportSection.backtest(strategy: "sma-cross", parameters: [:], data: data, result: result, config: BacktestConfig(),
                                                walkForward: ModelWalkForwardTests.spec, retraining: retraining) == nil)
        // With a section the page gains exactly the section and its link; without one it is the page of before.
        let input = try BacktestReportAdapter.input(result: result, data: data, context: .init(strategy: "sma-cross", parameters: parameters))
        let plain = BacktestReport.render(input)
        #expect(!plain.contains("id=\"model\"") && !plain.contains("#model"))
        var with = input
        let section = ModelOutOfSampleSection(title: "Model out of sample", strategy: "sma-cross", settings: [], notes: [], folds: [],
                                              equityTimes: [], strategyEquity: [], buyAndHoldEquity: [])
        with.modelSection = section
        let drawn = ModelOutOfSampleHTML.section(section, period: input.period)
        let withPage = BacktestReport.render(with)
        #expect(withPage.contains(drawn) && withPage.contains("<a href=\"#model\">Model</a>"))
        #expect(withPage.replacingOccurrences(of: drawn, with: "").replacingOccurrences(of: "<a href=\"#model\">Model</a>", with: "") == plain)
    }

    @Test func theOptimizeSectionStitchesEachFoldsOutOfSampleReturnsAgainstBuyAndHold() throws {
        let directory = OptimizerRetrainingTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let series = try ModelStrategyTests.market().series[0]
        let job = try OptimizerRetrainingTests.job(["threshold=0.3:0.5:0.1"], directory: directory)
        let optimized = try #require(try SymbolOptimizer.run(job, series: series))
        let v = try #require(optimized.validation)
        let section = try #require(ModelReportSection.optimization(optimized, series: series, job: job))
        // The strategy curve is the optimizer's stitched equity, and the folds' returns chain into it.
        #expect(section.strategyEquity == v.stitchedEquity && section.equityTimes.map(ISO8601.utc) == v.stitchedTimes)
        #expect(section.folds.count == v.folds.count && section.folds.count == 2)
        let chained = section.folds.reduce(1.0) { $0 * (1 + $1.strategyReturn) } - 1
        #expect(abs(chained - section.strategyReturn) < 1e-12)
        #expect(section.folds.contains { $0.strategyReturn != 0 })
        var hold = 1.0
        for (s, f) in zip(section.folds, v.folds) {
            #expect(abs(s.strategyReturn - (f.outOfSample.totalReturn ?? .nan)) < 1e-12)
            #expect(s.trades == f.outOfSample.trades && ISO8601.utc(s.testStart) == f.testStart && ISO8601.utc(s.trainEnd) == f.trainEnd)
            // Buy-and-hold: the symbol's close from the bar before the test window to its last bar.
            let before = try #require(series.time.firstIndex(of: s.testStart)) - 1
            let last = try #require(series.time.firstIndex(of: s.testEnd))
            #expect(s.buyAndHoldReturn == series.close[last] / series.close[before] - 1)
            hold *= 1 + s.buyAndHoldReturn
            // The chosen threshold and the fold's model, scored on the test window as `ModelWalkForward` scores it.
            #expect(s.parameters.first { $0.name == "threshold" }?.value.description == f.params["threshold"])
            let path = try #require(f.params["model"])
            #expect(s.parameters.last?.value.description == URL(fileURLWithPath: path).deletingLastPathComponent().lastPathComponent)
            let model = try UniversalModel.load(stem: String(path.dropLast(5)))
            let first = try #require(series.time.firstIndex(of: s.trainStart))
            let scores = try #require(try ModelWalkForward.scores(model, features: UniversalFeatures.compute(MarketDataset([series.slice(first..<(last + 1))])),
                                                                  from: s.testStart))
            #expect(s.samples == scores.samples && s.accuracy == scores.accuracy && s.samples > 0)
        }
        #expect(abs(section.buyAndHoldReturn - (hold - 1)) < 1e-12)

        // Without the fold models on disk (a resumed symbol) the returns stay and the scores are said to be missing.
        try FileManager.default.removeItem(atPath: directory)
        let unscored = try #require(ModelReportSection.optimization(optimized, series: series, job: job))
        #expect(unscored.strategyEquity == section.strategyEquity && unscored.folds.allSatisfy { $0.accuracy.isNaN && $0.samples == 0 })
        #expect(unscored.notes.contains { $0.contains("2 folds' models have no scores") })
        // A job that does not retrain a model has no section.
        var plain = job
        plain.inSampleFit = nil
        #expect(ModelReportSection.optimization(optimized, series: series, job: plain) == nil)
    }
}
