import ArgumentParser
import Foundation
import TradewindCore
import TradewindML
import TradewindModels
import TradewindOptimizer
import TradewindReports

/// `tradewind ml walk-forward`: retrain the model inside each walk-forward fold and trade its test window.
struct MLWalkForward: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "walk-forward",
        abstract: "Retrain the universal model on each fold's in-sample window only; trade each test window; compare with buy-and-hold.",
        discussion: """
            The folds are the optimizer's (--walk-forward, over the data's dates). Each fold's model trains on its \
            in-sample bars only (features, labels and scaler from them), then ml-signal or ml-topk (--param, besides \
            model) trades the test window. Prints each fold's out-of-sample accuracy and returns, and the chained \
            out-of-sample return against equal-weight buy-and-hold.
            """)

    @OptionGroup var input: MLDataOptions
    @Option(help: "Walk-forward folds, e.g. folds=5,train=252,test=63[,mode=anchored][,gap=N] (dates).") var walkForward = "folds=3"
    @Option(help: "The strategy: ml-signal or ml-topk.") var strategy = "ml-signal"
    @Option(name: .customLong("param"), help: "Strategy parameter name=value (repeatable; not model).") var params: [String] = []
    @Option(help: "Epochs per fold.") var epochs = 80
    @Option(help: "Batch size.") var batchSize = 64
    @Option(help: "Seed of the initial weights, shuffles and dropout.") var seed: UInt64 = 42
    @Option(help: "Layer widths: BiGRU 1, BiGRU 2, attention, dense 1, dense 2.") var widths = "128,64,64,128,64"
    @Option(help: "Window length (bars).") var window = 60
    @Option(help: "Write the out-of-sample evaluation as an HTML report (per fold and chained, with the leaky random-split comparison: each fold also trains a model with --split random).")
    var report: String?

    func run() throws {
        let parameters = try ParameterOptions.overrides(params)
        let spec: WalkForwardSpec
        do { spec = try WalkForwardSpec.parse(walkForward) } catch { throw ValidationError(error.description) }
        let settings = UniversalTrainingSettings(
            epochs: epochs, batchSize: batchSize, seed: seed, architecture: try ModelWidths.architecture(widths))
        guard input.threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        BLASThreads.set(input.threads)
        let chosen = input.symbols == "all" ? nil : input.symbols.split(separator: ",").map { String($0) }
        let data = try reportingModelErrors { try input.data.load(symbols: chosen) }
        let walked = try reportingModelErrors {
            try ModelWalkForward.run(data, spec: spec, settings: settings, dataset: DatasetConfiguration(window: window),
                                     strategy: strategy, parameters: parameters, compareRandomSplit: report != nil)
        }
        if let report {
            let page = walked.reportInput(title: "\(strategy) walk-forward", strategy: strategy, symbols: data.series.map(\.symbol),
                                          dataSource: input.data.data, interval: data.series.first?.interval ?? .daily)
            try ReportExport.modelEvaluation(page, html: report)
        }
        let day = { (t: UnixNanos) in String(ISO8601.utc(t).prefix(10)) }
        let pct = { (x: Double) in String(format: "%+.2f%%", x * 100) }
        print("fold  in-sample               out-of-sample           accuracy  trades  strategy  buy&hold")
        for f in walked.folds {
            print("\(f.index + 1)".padding(toLength: 6, withPad: " ", startingAt: 0)
                  + "\(day(f.trainFrom))…\(day(f.trainThrough))  \(day(f.testFrom))…\(day(f.testThrough))  "
                  + (f.evaluation.map { String(format: "%.4f", $0.accuracy) } ?? "n/a   ") + "    "
                  + "\(f.trades)".padding(toLength: 8, withPad: " ", startingAt: 0) + pct(f.strategyReturn) + "   " + pct(f.buyAndHoldReturn))
        }
        print("out-of-sample: strategy \(pct(walked.strategyReturn)), buy-and-hold \(pct(walked.buyAndHoldReturn))")
    }
}
