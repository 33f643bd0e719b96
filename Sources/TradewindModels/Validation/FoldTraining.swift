import Foundation
import TradewindML
import TradewindOptimizer

/// How an optimisation job of an ML strategy (`ml-signal`, `ml-topk`) retrains the universal model on each in-sample
/// window (`ModelRetraining`): the one definition of `tradewind optimize`'s `--train-*` options and of a server
/// optimize job's `train_*` request fields — their defaults (the AI trading server's, but for the epochs a fold
/// trains), checks and messages. Errors are `OptimizerError.invalidArgument` naming the field by its JSON key
/// (`Field`); the command says them with its flags (`train_epochs` ↔ `--train-epochs`).
///
/// A fold's model depends only on the fold's bars and these settings: training runs on the thread that optimises
/// the symbol, with one matrix-product thread (`BLASThreads` is never raised there), so the command, a server job
/// and any `tradewind worker` train bit-identical models whatever their `--threads`.
public struct FoldTraining: Sendable, Hashable, Codable {
    /// Epochs each in-sample window's model trains (80).
    public var epochs: Int
    /// Training batch size (64).
    public var batchSize: Int
    /// Seed of the initial weights, the shuffles and dropout (42).
    public var seed: UInt64
    /// Layer widths as text: BiGRU 1, BiGRU 2, attention, dense 1, dense 2 (`128,64,64,128,64`).
    public var widths: String
    /// Window length in bars (60).
    public var window: Int

    public init(epochs: Int = 80, batchSize: Int = 64, seed: UInt64 = 42, widths: String = "128,64,64,128,64", window: Int = 60) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.seed = seed
        self.widths = widths
        self.window = window
    }

    /// The settings' names in JSON and in errors.
    public enum Field: String, CodingKey, CaseIterable, Sendable {
        case epochs = "train_epochs"
        case batchSize = "train_batch_size"
        case seed = "train_seed"
        case widths = "train_widths"
        case window = "train_window"
    }

    /// The five layer widths of `text` (`a,b,c,d,e`, each 1...4096 units), named `field` in the error.
    public static func architecture(_ text: String, field: String = Field.widths.rawValue) throws(OptimizerError) -> UniversalBiGRU.Architecture {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        let widths = parts.compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let units = UniversalTrainingSettings.layerWidthRange
        guard parts.count == 5, widths.count == 5, widths.allSatisfy({ units.contains($0) }) else {
            throw .invalidArgument(name: field, value: text, valid: "five comma-separated layer widths of \(units) units")
        }
        return .init(firstRecurrent: widths[0], secondRecurrent: widths[1], attentionUnits: widths[2], firstDense: widths[3],
                     secondDense: widths[4])
    }

    /// Checks every setting (the ranges `UniversalTrainingSettings` and `DatasetConfiguration` accept), naming the
    /// first one out of range.
    public func validate() throws(OptimizerError) {
        let (epochRange, batchSizeRange) = (UniversalTrainingSettings.epochRange, UniversalTrainingSettings.batchSizeRange)
        guard epochRange.contains(epochs) else { throw .invalidArgument(name: Field.epochs.rawValue, value: "\(epochs)", valid: "\(epochRange)") }
        guard batchSizeRange.contains(batchSize) else {
            throw .invalidArgument(name: Field.batchSize.rawValue, value: "\(batchSize)", valid: "\(batchSizeRange)")
        }
        _ = try Self.architecture(widths)
        guard (1...1000).contains(window) else { throw .invalidArgument(name: Field.window.rawValue, value: "\(window)", valid: "1...1000 bars") }
    }

    /// The retraining these settings describe, saving each fitted model under `directory` (checked first).
    public func retraining(directory: String) throws(OptimizerError) -> ModelRetraining {
        try validate()
        let settings = UniversalTrainingSettings(epochs: epochs, batchSize: batchSize, seed: seed, architecture: try Self.architecture(widths))
        return ModelRetraining(settings: settings, dataset: DatasetConfiguration(window: window), directory: directory)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Field.self)
        let d = FoldTraining()
        self.init(epochs: try c.decodeIfPresent(Int.self, forKey: .epochs) ?? d.epochs,
                  batchSize: try c.decodeIfPresent(Int.self, forKey: .batchSize) ?? d.batchSize,
                  seed: try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? d.seed,
                  widths: try c.decodeIfPresent(String.self, forKey: .widths) ?? d.widths,
                  window: try c.decodeIfPresent(Int.self, forKey: .window) ?? d.window)
        try validate()
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Field.self)
        try c.encode(epochs, forKey: .epochs)
        try c.encode(batchSize, forKey: .batchSize)
        try c.encode(seed, forKey: .seed)
        try c.encode(widths, forKey: .widths)
        try c.encode(window, forKey: .window)
    }
}

extension ModelRetraining {
    /// The settings that decide a retrained model, for a job's identity (`PreparedOptimization.key`, a resume file):
    /// `train_epochs=…,train_batch_size=…,train_seed=…,train_widths=…,train_window=…`.
    public var identity: String {
        let a = settings.architecture
        let widths = [a.firstRecurrent, a.secondRecurrent, a.attentionUnits, a.firstDense, a.secondDense].map(String.init)
        return "train_epochs=\(settings.epochs),train_batch_size=\(settings.batchSize),train_seed=\(settings.seed),"
            + "train_widths=\(widths.joined(separator: ",")),train_window=\(dataset.window)"
    }
}

extension PreparedOptimization {
    /// This job with `retraining` as its in-sample fit when its strategy is an ML strategy given no model
    /// (`ModelRetraining.attach(to:)`), and then the training settings in its identity key, so that a resumed job
    /// never mixes results of other settings. Throws when a model is given with validation.
    public func retrained(by retraining: ModelRetraining) throws(ModelError) -> PreparedOptimization {
        var out = self
        out.job = try retraining.attach(to: job)
        if out.job.inSampleFit != nil { out.key += "|" + retraining.identity }
        return out
    }
}
