import Crypto
import Foundation
import TradewindCore
import TradewindML

/// A finished training run: the model (best weights restored) and its epoch history.
public struct UniversalTrainingRun: Sendable {
    public let model: UniversalModel
    public let history: [EpochRecord]
}

/// Trains the universal BiGRU on a prepared dataset, the AI trading server's way (see
/// `UniversalTrainingSettings`). Runs on the calling thread: call it from a `DedicatedThread` in a server.
public enum UniversalTraining {
    /// With `checkpoint` (a file, `.file(path)`, or the server's store), each finished epoch is checkpointed there
    /// (`TrainingCheckpoint`) and a run that finds a checkpoint of the same run (same settings, dataset and initial
    /// weights) continues after its last epoch, ending with the weights an uninterrupted run ends with; a checkpoint
    /// of another run is refused (or set aside, when the medium says to start over).
    public static func train(_ data: PreparedDataset, settings: UniversalTrainingSettings = UniversalTrainingSettings(),
                             initial: StateDict<Float>? = nil, cancellation: CancellationFlag? = nil,
                             checkpoint: TrainingCheckpointMedium? = nil,
                             callback: (TrainingEvent) -> Void = { _ in }) throws(ModelError) -> UniversalTrainingRun {
        try settings.validate()
        let objective = UniversalBiGRU.Objective(classWeights: data.classWeights, regressionWeight: settings.huberWeight, huberDelta: 1)
        let network = UniversalBiGRU(steps: data.configuration.window, features: FeatureTable.width,
                                     architecture: settings.architecture, objective: objective)
        var generator = Xoshiro256StarStar(seed: settings.seed)
        let start = initial ?? network.initialWeights(generator: &generator)
        let configuration = TrainingConfiguration(
            epochs: settings.epochs, batchSize: settings.batchSize, seed: settings.seed,
            plateau: ReduceLROnPlateau(factor: settings.plateauFactor, patience: settings.plateauPatience),
            earlyStoppingPatience: settings.earlyStoppingPatience)
        var adam = Adam<Float>(learningRate: settings.learningRate)
        let result: TrainingResult<Float>
        do {
            let checkpointing = try checkpoint.map { (medium) throws(MLError) in
                try TrainingCheckpointing<Float>(medium, identity: checkpointIdentity(data, settings: settings, initial: initial))
            }
            result = try Trainer(model: network, configuration: configuration)
                .fit(from: start, data: data.training, validation: data.validation, optimizer: &adam,
                     cancellation: cancellation, checkpointing: checkpointing, callback: callback)
        } catch { throw .ml(error) }
        let best = result.restoredEpoch.map { result.history[$0] } ?? result.history.last
        let times = (0..<data.training.count).map { data.training.time(of: $0) }
        let config = UniversalModelConfig(
            dataset: data.configuration, scaler: data.scaler, architecture: settings.architecture, objective: objective,
            training: settings, symbols: data.training.symbols, trainingFrom: times.min() ?? 0,
            trainingThrough: data.trainingEnd, validationLoss: best?.validationLoss,
            validationMetrics: best?.validationMetrics ?? [:], epochsRun: result.history.count,
            dataThrough: max(data.trainingEnd, (0..<data.validation.count).lazy.map { data.validation.time(of: $0) }.max() ?? data.trainingEnd))
        return UniversalTrainingRun(model: UniversalModel(config: config, weights: result.weights), history: result.history)
    }

    /// What a checkpoint must match besides the trainer's own keys: the settings, the SHA-256 of the prepared
    /// windows (symbols, scaled features, samples, labels and targets of both sets) and of the initial weights.
    static func checkpointIdentity(_ data: PreparedDataset, settings: UniversalTrainingSettings, initial: StateDict<Float>?) -> [String: String] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var windows = SHA256()
        for set in [data.training, data.validation] {
            for symbol in set.symbols { windows.update(data: Data(symbol.utf8 + [0])) }
            for t in set.times { t.withUnsafeBytes { windows.update(bufferPointer: $0) } }
            for x in set.scaled { x.withUnsafeBytes { windows.update(bufferPointer: $0) } }
            let rows = set.samples.flatMap { [$0.symbol, $0.row] }
            rows.withUnsafeBytes { windows.update(bufferPointer: $0) }
            set.labels.withUnsafeBytes { windows.update(bufferPointer: $0) }
            set.targets.withUnsafeBytes { windows.update(bufferPointer: $0) }
        }
        var start = SHA256()
        if let initial {
            for name in initial.names {
                start.update(data: Data(name.utf8 + [0]))
                initial[name]!.scalars.withUnsafeBytes { start.update(bufferPointer: $0) }
            }
        }
        func hex(_ h: SHA256) -> String { h.finalize().map { String(format: "%02x", $0) }.joined() }
        return ["settings": (try? String(decoding: encoder.encode(settings), as: UTF8.self)) ?? "\(settings)",
                "windows": hex(windows), "initialWeights": initial == nil ? "seeded" : hex(start)]
    }
}
