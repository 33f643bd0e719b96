import ArgumentParser
import Foundation
import TradewindCore
import TradewindML
import TradewindModels
import TradewindServer
import TradewindStore

/// `tradewind ml`: train, evaluate and apply the models that trade.
struct MLCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ml",
        abstract: "Train, evaluate and apply the universal BiGRU (18 features, 60-bar windows, all symbols).",
        subcommands: [MLTrain.self, MLEvaluate.self, MLPredict.self, MLUpdate.self, MLSchedule.self, MLVersions.self, MLRollback.self, MLAutoRollback.self,
                      MLExport.self, MLImport.self, MLWalkForward.self])
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

struct MLTrain: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the universal model; prints progress, then its validation evaluation.",
        discussion: """
            Defaults are the AI trading server's: CE + 0.3·Huber, class weights, Adam 5e-4, batch 64, 80 epochs, \
            early stopping (patience 15), ReduceLROnPlateau (0.5, 7), 85/15 split. The split is by time with a \
            purge gap; --split random reproduces the server's leaky cross-ticker permutation for comparison. \
            Registers the model as the next active version in --out's registry (DIR/universal.safetensors and \
            DIR/universal.json are the active version), or in --database's.
            """)

    @Option(help: "Model: universal-bigru.") var model = "universal-bigru"
    @OptionGroup var input: MLDataOptions
    @Option(help: "Maximum epochs.") var epochs = 80
    @Option(help: "Batch size.") var batchSize = 64
    @Option(help: "Output directory (a file registry).") var out = "models/universal"
    @OptionGroup var registry: MLRegistryOptions
    @Option(help: "Split: time (purged, default) or random (the leaky permutation).") var split = "time"
    @Option(help: "Dates left out between training and validation (time split).") var purgeGap = 10
    @Option(help: "Seed of the initial weights, shuffles and dropout.") var seed: UInt64 = 42
    @Option(help: "Layer widths: BiGRU 1, BiGRU 2, attention, dense 1, dense 2.") var widths = "128,64,64,128,64"
    @Option(help: "Write TensorBoard event files (loss, accuracy, learning rate per epoch) to this directory.") var logdir: String?
    @Option(help: "Checkpoint every finished epoch to DIR/\(TrainingCheckpointFile.name) (removed once the model is registered).")
    var checkpoint: String?
    @Flag(help: "Continue from --checkpoint's last epoch; the run ends with the weights an uninterrupted run ends with.")
    var resume = false

    func run() async throws {
        guard model == "universal-bigru" else { throw ValidationError("--model \(model): the only model is universal-bigru") }
        let checkpointFile = try reportingModelErrors { try TrainingCheckpointFile.prepare(directory: checkpoint, resume: resume) }
        let method: SplitMethod
        switch split {
        case "time": method = .time(purgeGap: purgeGap)
        case "random": method = .randomPermutation(seed: seed)
        default: throw ValidationError("--split \(split): expected time or random")
        }
        let tables = try input.tables()
        let settings = UniversalTrainingSettings(
            epochs: epochs, batchSize: batchSize, seed: seed, architecture: try ModelWidths.architecture(widths))
        // Training runs on a thread of its own (with the matrix-product thread count set there), never on Swift's
        // cooperative pool.
        let threads = input.threads
        let run = try await DedicatedThread.run(name: "tw-ml-train") { () throws -> UniversalTrainingRun in
          BLASThreads.set(threads)
          return try reportingModelErrors { () throws -> UniversalTrainingRun in
            let data = try UniversalDataset.prepare(tables, configuration: DatasetConfiguration(split: method))
            print("\(tables.count) symbols, \(data.training.count) training and \(data.validation.count) validation windows")
            let events = try logdir.map { (d) throws(MLError) in try TensorBoardEventWriter(directory: d) }
            var logFailure: (any Error)?
            let run = try UniversalTraining.train(data, settings: settings, checkpoint: checkpointFile.map(TrainingCheckpointMedium.file)) { event in
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
            print("validation (\(split) split):")
            print(UniversalText.evaluation(try UniversalEvaluation.evaluate(run.model, on: data.validation)))
            return run
          }
        }
        let name = registry.name
        let record = try await registry.with(directory: out) { r in
            try await r.register(run.model, name: name, datasetHash: ModelRegistryEntry.datasetHash(tables), activate: true)
        }
        if let checkpointFile { try? FileManager.default.removeItem(atPath: checkpointFile) }
        print(MLRegistryOptions.line(record) + " (active)")
    }
}

struct MLEvaluate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Accuracy, per-class precision/recall, confusion, MAE and IC after the model's training period, against naive baselines.")

    @OptionGroup var model: MLModelOptions
    @OptionGroup var input: MLDataOptions

    func run() async throws {
        let loaded = try await model.load()
        print(try reportingModelErrors { UniversalText.evaluation(try UniversalEvaluation.outOfSample(loaded, input.tables())) })
    }
}

struct MLPredict: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Class probabilities and predicted % change per symbol and bar, as CSV or JSON.")

    @OptionGroup var model: MLModelOptions
    @OptionGroup var input: MLDataOptions
    @Option(help: "First date to predict (yyyy-MM-dd); default: every window.") var from: String?
    @Option(help: "Output format: csv or json.") var format = "csv"

    func run() async throws {
        guard format == "csv" || format == "json" else { throw ValidationError("--format \(format): expected csv or json") }
        let start = try from.map { text -> UnixNanos in
            guard let d = CivilDate(iso: text) else { throw ValidationError("--from \(text): expected yyyy-MM-dd") }
            return UnixTime.midnightUTC(d)
        }
        let loaded = try await model.load()
        let predictions = try reportingModelErrors { try loaded.predict(input.tables(), from: start) }
        print(format == "csv" ? UniversalText.csv(predictions) : UniversalText.json(predictions), terminator: "")
    }
}

/// The settings `ml update` and `ml schedule` share.
struct ContinualOptions: ParsableArguments {
    @Option(help: "Newest dates an incremental update fine-tunes on.") var updateWindow = 60
    @Option(help: "Fine-tuning epochs of an incremental update.") var epochs = 5
    @Option(help: "Deploy when the candidate's validation accuracy ≥ this × the current model's.") var performanceThreshold = 0.95

    /// Runs `action` on the active model of `model`'s registry with freshly loaded data; registers the candidate as
    /// the active version if the gate passes. With `automaticRollback` (each step of `ml schedule`), a degraded
    /// active version is first rolled back to the one it replaced (`AutomaticRollback`), and the check's line printed.
    func perform(_ action: ContinualSchedule.Action, model: MLModelOptions, input: MLDataOptions, automaticRollback: Bool = false) async throws {
        let name = model.registry.name
        try await model.registry.with(directory: model.modelDir) { registry in
            let gate = try ValidationGate(threshold: performanceThreshold)
            let tables = try input.tables()
            if automaticRollback { print(try await registry.checkRollback(name, tables: tables, gate: gate).message) }
            let current = try await registry.model(name).model
            let (threads, updateWindow, epochs) = (input.threads, updateWindow, epochs)
            // Training on a thread of its own, never on Swift's cooperative pool.
            let outcome = try await DedicatedThread.run(name: "tw-ml-update") { () throws -> ContinualLearning.Outcome in
                BLASThreads.set(threads)
                return action == .fullRetrain
                    ? try ContinualLearning.fullRetrain(current: current, tables: tables, gate: gate)
                    : try ContinualLearning.incrementalUpdate(current: current, tables: tables, updateWindow: updateWindow, epochs: epochs, gate: gate)
            }
            let d = outcome.decision
            print("\(action.rawValue): candidate accuracy \(d.candidateAccuracy), current \(d.currentAccuracy), required \(d.required)")
            if d.deploy {
                let record = try await registry.register(outcome.candidate, name: name, datasetHash: ModelRegistryEntry.datasetHash(tables),
                                                         activate: true)
                print("deployed " + MLRegistryOptions.line(record) + "; `tradewind ml rollback` restores its parent")
            } else {
                let reason = ValidationGate.refusal(d)
                let record = try await registry.register(outcome.candidate, name: name, datasetHash: ModelRegistryEntry.datasetHash(tables),
                                                         activate: false, refusal: reason)
                print("kept the current model; recorded the candidate as " + MLRegistryOptions.line(record))
            }
        }
    }
}

struct MLUpdate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update",
        abstract: "Continual learning's incremental step: fine-tune on the newest dates; deploy only if the validation gate passes.")

    @OptionGroup var model: MLModelOptions
    @OptionGroup var input: MLDataOptions
    @OptionGroup var continual: ContinualOptions
    @Flag(help: "Retrain from fresh weights on all the data instead.") var full = false

    func run() async throws {
        try await continual.perform(full ? .fullRetrain : .incrementalUpdate, model: model, input: input)
    }
}

struct MLSchedule: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Continual learning standalone: an incremental update after each session's close, a weekly full retrain.",
        discussion: "Each step reloads --data, trains a candidate and deploys it only if the validation gate passes. "
            + "Incremental updates run on the exchange calendar's sessions (--calendar nyse: NYSE holidays skipped), as the server's do.")

    @OptionGroup var model: MLModelOptions
    @OptionGroup var input: MLDataOptions
    @OptionGroup var continual: ContinualOptions
    @Option(help: "Incremental update time, HH:MM local.") var dailyUpdateTime = "16:30"
    @Option(help: "Full retrain time, HH:MM local.") var fullRetrainTime = "02:00"
    @Option(help: "Full retrain day: 0 (Sunday) … 6 (Saturday).") var fullRetrainWeekday = 6
    @Option(help: "Zone of the times (IANA name).") var scheduleZone = "America/New_York"
    @Option(help: "Print the next N scheduled steps and exit.") var show: Int?
    @Option(help: "Sessions of the incremental updates: nyse (its calendar: holidays skipped) or weekdays.") var calendar = "nyse"

    func validate() throws {
        guard ["nyse", "weekdays"].contains(calendar) else { throw ValidationError("--calendar \(calendar): expected nyse or weekdays") }
    }

    func run() async throws {
        let sessions: (any ExchangeCalendar)? = calendar == "nyse" ? NYSECalendar.shared : nil
        let zone = try ZoneRules.named(scheduleZone)
        let schedule = try reportingModelErrors {
            try ContinualSchedule(dailyUpdateTime: dailyUpdateTime, fullRetrainTime: fullRetrainTime,
                                  fullRetrainWeekday: fullRetrainWeekday, zone: zone)
        }
        var t = nowNanos()
        if let show {
            for _ in 0..<max(0, show) {
                let (next, action) = schedule.next(after: t, calendar: sessions)
                print("\(ISO8601.local(next, in: zone)) \(action.rawValue)")
                t = next
            }
            return
        }
        while true {
            let (next, action) = schedule.next(after: nowNanos(), calendar: sessions)
            print("next: \(action.rawValue) at \(ISO8601.local(next, in: zone))")
            let wait = next - nowNanos()
            if wait > 0 { try await Task.sleep(nanoseconds: UInt64(wait)) }
            try await continual.perform(action, model: model, input: input, automaticRollback: true)
        }
    }
}

struct MLVersions: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "versions", abstract: "List the registry's versions of the model, newest first (* marks the active one).")

    @OptionGroup var model: MLModelOptions

    func run() async throws {
        let name = model.registry.name
        let versions = try await model.registry.with(directory: model.modelDir) { try await $0.versions(of: name) }
        if versions.isEmpty { print("no versions of \(name)") }
        for record in versions { print((record.active ? "* " : "  ") + MLRegistryOptions.line(record)) }
    }
}

struct MLRollback: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback", abstract: "Activate an older version of the model: by default the one before the active one.")

    @OptionGroup var model: MLModelOptions
    @Option(help: "How many versions back from the active one.") var steps = 1

    func run() async throws {
        let name = model.registry.name
        let record = try await model.registry.with(directory: model.modelDir) { try await $0.rollback(name, steps: steps) }
        print("rolled back to " + MLRegistryOptions.line(record))
    }
}

struct MLAutoRollback: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "auto-rollback",
        abstract: "Continual learning's automatic rollback, on demand: roll back when the active version scores below the threshold × its parent's.",
        discussion: "Both versions are scored on --data's windows after every window either was trained or validated on (out of sample for both), with the validation gate's accuracy.")

    @OptionGroup var model: MLModelOptions
    @OptionGroup var input: MLDataOptions
    @Option(help: "Roll back when the active version's accuracy < this × its parent's.") var performanceThreshold = 0.95
    @Option(help: "Fewest decision dates after both versions' data worth judging on (every symbol's windows of a date count once).")
    var minimumDates = 20

    func run() async throws {
        let name = model.registry.name
        let check = try await model.registry.with(directory: model.modelDir) { registry in
            try await registry.checkRollback(name, tables: try input.tables(), gate: try ValidationGate(threshold: performanceThreshold),
                                             minimumDates: minimumDates)
        }
        print(check.message)
    }
}

struct MLExport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write the model as one zip (safetensors + config); prints its SHA-256.")

    @OptionGroup var model: MLModelOptions
    @Option(help: "The zip to write.") var out: String
    @Option(help: "The version to export (default: the active one).") var version: Int?

    func run() async throws {
        let name = model.registry.name
        let archive = try await model.registry.with(directory: model.modelDir) { try await $0.archive(of: name, version: version).archive }
        try archive.write(to: URL(fileURLWithPath: out), options: .atomic)
        print("\(ModelArchive.sha256(archive))  \(out)")
    }
}

struct MLImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Register a model zip as the active version (the replaced one stays for rollback).")

    @OptionGroup var model: MLModelOptions
    @Option(help: "The zip to read (from `tradewind ml export`).") var archive: String

    @Option(help: "SHA-256 of the data it trained on, when known (default: unknown, 64 zeros).")
    var datasetHash = String(repeating: "0", count: 64)

    func run() async throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: archive))
        let name = model.registry.name, datasetHash = datasetHash
        let record = try await model.registry.with(directory: model.modelDir) { registry in
            try await registry.register(ModelArchive.model(from: data), name: name, datasetHash: datasetHash, activate: true)
        }
        print("imported \(ModelArchive.sha256(data)) as " + MLRegistryOptions.line(record))
    }
}

/// The trained model an `ml` subcommand reads: the active version in --model-dir, or in --database's registry.
struct MLModelOptions: ParsableArguments {
    @Option(help: "Directory of a trained model (a file registry; its universal.* files are the active version).")
    var modelDir = "models/universal"
    @OptionGroup var registry: MLRegistryOptions

    /// The active version.
    func load() async throws -> UniversalModel {
        guard registry.database != nil else {
            return try reportingModelErrors { try UniversalModel.load(stem: UniversalModel.stem(in: modelDir)) }
        }
        let name = registry.name
        return try await registry.with(directory: modelDir) { try await $0.model(name).model }
    }
}

/// Where an `ml` subcommand keeps and finds versions: the file registry of a model directory, or with --database
/// the store's (the server's registry).
struct MLRegistryOptions: ParsableArguments {
    @Option(help: "Keep the model's versions in this store instead of the directory: a SQLite file or a postgres:// URL.")
    var database: String?
    @Option(help: "The model's name in the registry.") var name = "universal"
    @Option(help: "Versions kept per name (the oldest go first; the active one is never removed).") var keep = 7

    /// Runs `body` with the store's registry when --database is given, else the file registry in `directory`;
    /// says a model or store error as the command line's error.
    func with<T>(directory: String, _ body: (any ModelRegistry) async throws -> T) async throws -> T {
        do {
            guard let database else { return try await body(ModelDirectory(directory, name: name, keep: keep)) }
            let store = try await SQLStore.open(database)
            do {
                let result = try await body(StoreModelRegistry(store: store, keep: keep))
                await store.close()
                return result
            } catch {
                await store.close()
                throw error
            }
        } catch let e as ModelError {
            throw ValidationError(e.description)
        } catch let e as StoreError {
            throw ValidationError(e.description)
        }
    }

    /// One version as a line: name, version, hash, parent, training range, accuracy.
    static func line(_ r: ModelVersionRecord) -> String {
        let day = { (t: UnixNanos) in String(ISO8601.utc(t).prefix(10)) }
        return "\(r.name) v\(r.version) sha256 \(r.sha256.prefix(12))… parent \(r.parentVersion.map { "v\($0)" } ?? "none"), "
            + "trained \(day(r.trainingFrom))…\(day(r.trainingThrough)), accuracy \(r.metrics["accuracy"].map { String(format: "%.4f", $0) } ?? "n/a")"
            + (r.refusal.map { " — refused: " + $0 } ?? "")
    }
}

/// Runs `body`, saying a `ModelError` as the command line's error.
func reportingModelErrors<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let e as ModelError { throw ValidationError(e.description) }
}

/// The wall clock as `UnixNanos`.
func nowNanos() -> UnixNanos { UnixNanos((Date().timeIntervalSince1970 * 1e9).rounded()) }
