import ArgumentParser
import Foundation
import TradewindCore
import TradewindML
import TradewindModels

/// `tradewind ml`: train, evaluate and apply the models that trade.
struct MLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ml",
        abstract: "Train, evaluate and apply the universal BiGRU (18 features, 60-bar windows, all symbols).",
        subcommands: [MLTrain.self, MLEvaluate.self, MLPredict.self, MLUpdate.self, MLSchedule.self, MLRollback.self, MLExport.self, MLImport.self])
}

/// The data and symbols an `ml` subcommand reads.
struct MLDataOptions: ParsableArguments {
    @OptionGroup var data: DataOptions

    @Option(help: "Symbols: all, or a comma-separated list.")
    var symbols = "all"

    @Option(help: "OpenBLAS threads.")
    var threads = 2

    func tables() throws -> [FeatureTable] {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        BLASThreads.set(threads)
        let chosen = symbols == "all" ? nil : symbols.split(separator: ",").map { String($0) }
        do {
            return try UniversalFeatures.compute(data.load(symbols: chosen), symbols: chosen)
        } catch let e as ModelError {
            throw ValidationError(e.description)
        } catch {
            throw ValidationError(ErrorText.message(error))
        }
    }
}

struct MLTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the universal model; prints progress, then its validation evaluation.",
        discussion: """
            Defaults are the AI trading server's: CE + 0.3·Huber, class weights, Adam 5e-4, batch 64, 80 epochs, \
            early stopping (patience 15), ReduceLROnPlateau (0.5, 7), 85/15 split. The split is by time with a \
            purge gap; --split random reproduces the server's leaky cross-ticker permutation for comparison. \
            Writes DIR/universal.safetensors and DIR/universal.json.
            """)

    @Option(help: "Model: universal-bigru.") var model = "universal-bigru"
    @OptionGroup var input: MLDataOptions
    @Option(help: "Maximum epochs.") var epochs = 80
    @Option(help: "Batch size.") var batchSize = 64
    @Option(help: "Output directory.") var out = "models/universal"
    @Option(help: "Split: time (purged, default) or random (the leaky permutation).") var split = "time"
    @Option(help: "Dates left out between training and validation (time split).") var purgeGap = 10
    @Option(help: "Seed of the initial weights, shuffles and dropout.") var seed: UInt64 = 42
    @Option(help: "Layer widths: BiGRU 1, BiGRU 2, attention, dense 1, dense 2.") var widths = "128,64,64,128,64"
    @Option(help: "Write TensorBoard event files (loss, accuracy, learning rate per epoch) to this directory.") var logdir: String?

    func run() throws {
        guard model == "universal-bigru" else { throw ValidationError("--model \(model): the only model is universal-bigru") }
        let w = widths.split(separator: ",").compactMap { Int($0) }
        guard w.count == 5 else { throw ValidationError("--widths \(widths): expected five comma-separated integers") }
        let method: SplitMethod
        switch split {
        case "time": method = .time(purgeGap: purgeGap)
        case "random": method = .randomPermutation(seed: seed)
        default: throw ValidationError("--split \(split): expected time or random")
        }
        let tables = try input.tables()
        let settings = UniversalTrainingSettings(
            epochs: epochs, batchSize: batchSize, seed: seed,
            architecture: .init(firstRecurrent: w[0], secondRecurrent: w[1], attentionUnits: w[2], firstDense: w[3], secondDense: w[4]))
        try reportingModelErrors {
            let data = try UniversalDataset.prepare(tables, configuration: DatasetConfiguration(split: method))
            print("\(tables.count) symbols, \(data.training.count) training and \(data.validation.count) validation windows")
            let events = try logdir.map { (d) throws(MLError) in try TensorBoardEventWriter(directory: d) }
            var logFailure: (any Error)?
            let run = try UniversalTraining.train(data, settings: settings) { event in
                if case let .epochEnded(record) = event, let events {
                    do { try events.epoch(record) } catch { logFailure = error }
                }
                if case let .batchEnded(p) = event {
                    // About fifty updates an epoch: enough for a live bar without flooding a log.
                    guard p.batch % max(1, p.batches / 50) == 0 || p.batch == p.batches - 1 else { return }
                    FileHandle.standardError.write(Data(("\r" + UniversalText.progress(event)).utf8))
                } else {
                    FileHandle.standardError.write(Data(("\r\u{1B}[K" + UniversalText.progress(event) + "\n").utf8))
                }
            }
            if let logFailure { throw logFailure }
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            try run.model.save(stem: UniversalModel.stem(in: out))
            print("saved \(UniversalModel.stem(in: out)).safetensors and .json")
            print("validation (\(split) split):")
            print(UniversalText.evaluation(try UniversalEvaluation.evaluate(run.model, on: data.validation)))
        }
    }
}

struct MLEvaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Accuracy, per-class precision/recall, confusion, MAE and IC after the model's training period, against naive baselines.")

    @OptionGroup var model: MLModelOptions
    @OptionGroup var input: MLDataOptions

    func run() throws {
        print(try reportingModelErrors { UniversalText.evaluation(try UniversalEvaluation.outOfSample(model.load(), input.tables())) })
    }
}

struct MLPredict: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Class probabilities and predicted % change per symbol and bar, as CSV or JSON.")

    @OptionGroup var model: MLModelOptions
    @OptionGroup var input: MLDataOptions
    @Option(help: "First date to predict (yyyy-MM-dd); default: every window.") var from: String?
    @Option(help: "Output format: csv or json.") var format = "csv"

    func run() throws {
        guard format == "csv" || format == "json" else { throw ValidationError("--format \(format): expected csv or json") }
        let start = try from.map { text -> UnixNanos in
            guard let d = CivilDate(iso: text) else { throw ValidationError("--from \(text): expected yyyy-MM-dd") }
            return UnixTime.midnightUTC(d)
        }
        let predictions = try reportingModelErrors { try model.load().predict(input.tables(), from: start) }
        print(format == "csv" ? UniversalText.csv(predictions) : UniversalText.json(predictions), terminator: "")
    }
}

/// The settings `ml update` and `ml schedule` share.
struct ContinualOptions: ParsableArguments {
    @Option(help: "Newest dates an incremental update fine-tunes on.") var updateWindow = 60
    @Option(help: "Fine-tuning epochs of an incremental update.") var epochs = 5
    @Option(help: "Deploy when the candidate's validation accuracy ≥ this × the current model's.") var performanceThreshold = 0.95

    /// Runs `action` on the model in `directory` with freshly loaded data; deploys the candidate if the gate passes.
    func perform(_ action: ContinualSchedule.Action, directory: ModelDirectory, input: MLDataOptions) throws {
        try reportingModelErrors {
            let gate = try ValidationGate(threshold: performanceThreshold)
            let current = try directory.current(), tables = try input.tables()
            let outcome = action == .fullRetrain
                ? try ContinualLearning.fullRetrain(current: current, tables: tables, gate: gate)
                : try ContinualLearning.incrementalUpdate(current: current, tables: tables, updateWindow: updateWindow, epochs: epochs, gate: gate)
            let d = outcome.decision
            print("\(action.rawValue): candidate accuracy \(d.candidateAccuracy), current \(d.currentAccuracy), required \(d.required)")
            if d.deploy {
                try directory.deploy(outcome.candidate)
                print("deployed; the replaced model is kept in \(directory.path)/previous (tradewind ml rollback)")
            } else {
                print("kept the current model")
            }
        }
    }
}

struct MLUpdate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update",
        abstract: "Continual learning's incremental step: fine-tune on the newest dates; deploy only if the validation gate passes.")

    @OptionGroup var model: MLModelOptions
    @OptionGroup var input: MLDataOptions
    @OptionGroup var continual: ContinualOptions
    @Flag(help: "Retrain from fresh weights on all the data instead.") var full = false

    func run() throws {
        try continual.perform(full ? .fullRetrain : .incrementalUpdate, directory: ModelDirectory(model.modelDir), input: input)
    }
}

struct MLSchedule: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Continual learning standalone: an incremental update each weekday after the close, a weekly full retrain.",
        discussion: "Each step reloads --data, trains a candidate and deploys it only if the validation gate passes.")

    @OptionGroup var model: MLModelOptions
    @OptionGroup var input: MLDataOptions
    @OptionGroup var continual: ContinualOptions
    @Option(help: "Incremental update time, HH:MM local.") var dailyUpdateTime = "16:30"
    @Option(help: "Full retrain time, HH:MM local.") var fullRetrainTime = "02:00"
    @Option(help: "Full retrain day: 0 (Sunday) … 6 (Saturday).") var fullRetrainWeekday = 6
    @Option(help: "Zone of the times (IANA name).") var scheduleZone = "America/New_York"
    @Option(help: "Print the next N scheduled steps and exit.") var show: Int?

    func run() throws {
        let zone = try ZoneRules.named(scheduleZone)
        let schedule = try reportingModelErrors {
            try ContinualSchedule(dailyUpdateTime: dailyUpdateTime, fullRetrainTime: fullRetrainTime,
                                  fullRetrainWeekday: fullRetrainWeekday, zone: zone)
        }
        var t = nowNanos()
        if let show {
            for _ in 0..<max(0, show) {
                let (next, action) = schedule.next(after: t)
                print("\(ISO8601.local(next, in: zone)) \(action.rawValue)")
                t = next
            }
            return
        }
        let directory = ModelDirectory(model.modelDir)
        while true {
            let (next, action) = schedule.next(after: nowNanos())
            print("next: \(action.rawValue) at \(ISO8601.local(next, in: zone))")
            let wait = Double(next - nowNanos()) / 1e9
            if wait > 0 { Thread.sleep(forTimeInterval: wait) }
            try continual.perform(action, directory: directory, input: input)
        }
    }
}

struct MLRollback: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback", abstract: "Swap the current model with the one the last deployment replaced.")

    @OptionGroup var model: MLModelOptions

    func run() throws {
        try reportingModelErrors { try ModelDirectory(model.modelDir).rollback() }
        print("rolled back \(model.modelDir)")
    }
}

struct MLExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write the model as one zip (safetensors + config); prints its SHA-256.")

    @OptionGroup var model: MLModelOptions
    @Option(help: "The zip to write.") var out: String

    func run() throws {
        let archive = try reportingModelErrors { try ModelArchive.archive(model.load()) }
        try archive.write(to: URL(fileURLWithPath: out), options: .atomic)
        print("\(ModelArchive.sha256(archive))  \(out)")
    }
}

struct MLImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Deploy a model zip into --model-dir (the replaced model is kept for rollback).")

    @OptionGroup var model: MLModelOptions
    @Option(help: "The zip to read (from `tradewind ml export`).") var archive: String

    func run() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: archive))
        try reportingModelErrors { try ModelDirectory(model.modelDir).deploy(ModelArchive.model(from: data)) }
        print("imported \(ModelArchive.sha256(data)) into \(model.modelDir)")
    }
}

/// The trained model an `ml` subcommand reads.
struct MLModelOptions: ParsableArguments {
    @Option(help: "Directory of a trained model.") var modelDir = "models/universal"

    func load() throws -> UniversalModel {
        try reportingModelErrors { try UniversalModel.load(stem: UniversalModel.stem(in: modelDir)) }
    }
}

/// Runs `body`, saying a `ModelError` as the command line's error.
func reportingModelErrors<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let e as ModelError { throw ValidationError(e.description) }
}

/// The wall clock as `UnixNanos`.
func nowNanos() -> UnixNanos { UnixNanos((Date().timeIntervalSince1970 * 1e9).rounded()) }
