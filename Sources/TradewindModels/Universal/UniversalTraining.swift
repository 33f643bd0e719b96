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
    public static func train(_ data: PreparedDataset, settings: UniversalTrainingSettings = UniversalTrainingSettings(),
                             initial: StateDict<Float>? = nil, cancellation: CancellationFlag? = nil,
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
            result = try Trainer(model: network, configuration: configuration)
                .fit(from: start, data: data.training, validation: data.validation, optimizer: &adam,
                     cancellation: cancellation, callback: callback)
        } catch { throw .ml(error) }
        let best = result.restoredEpoch.map { result.history[$0] } ?? result.history.last
        let times = (0..<data.training.count).map { data.training.time(of: $0) }
        let config = UniversalModelConfig(
            dataset: data.configuration, scaler: data.scaler, architecture: settings.architecture, objective: objective,
            training: settings, symbols: data.training.symbols, trainingFrom: times.min() ?? 0,
            trainingThrough: data.trainingEnd, validationLoss: best?.validationLoss,
            validationMetrics: best?.validationMetrics ?? [:], epochsRun: result.history.count)
        return UniversalTrainingRun(model: UniversalModel(config: config, weights: result.weights), history: result.history)
    }
}
