import TradewindCore
import TradewindML

/// Continual learning (the GPU trading system's scheme): a daily incremental update after the close and a
/// scheduled full retrain, each producing a candidate that the validation gate deploys or refuses (the current
/// model then keeps serving: automatic rollback).
public enum ContinualLearning {
    /// The outcome of a step: the candidate (a child of the current model) and the gate's decision.
    public struct Outcome: Sendable {
        public let candidate: UniversalModel
        public let decision: ValidationGate.Decision
        /// The model to serve next: the candidate when deployed, else the current one.
        public let serving: UniversalModel
    }

    /// Fine-tunes `current` for `epochs` epochs on the windows of the last `updateWindow` training dates (the
    /// current model's split settings: the newest dates validate, after the purge gap), starting from its weights
    /// and keeping its scaler so the network's inputs keep their meaning.
    /// `cancellation`, `checkpoint` and `callback` are the trainer's (`UniversalTraining.train`).
    public static func incrementalUpdate(current: UniversalModel, tables: [FeatureTable], updateWindow: Int = 60, epochs: Int = 5,
                                         gate: ValidationGate, cancellation: CancellationFlag? = nil,
                                         checkpoint: TrainingCheckpointMedium? = nil,
                                         callback: (TrainingEvent) -> Void = { _ in }) throws(ModelError) -> Outcome {
        guard updateWindow >= 1 else { throw .invalidSetting(name: "updateWindow", value: "\(updateWindow)", expected: "≥ 1 date") }
        let c = current.config
        let prepared = try UniversalDataset.prepare(tables, configuration: c.dataset)
        let dates = Set((0..<prepared.training.count).map { prepared.training.time(of: $0) }).sorted()
        let first = dates[max(0, dates.count - updateWindow)]
        let recent = (0..<prepared.training.count).filter { prepared.training.time(of: $0) >= first }.map { prepared.training.samples[$0] }
        let training = UniversalDataset.windowSet(tables, scaler: c.scaler, samples: recent, configuration: c.dataset)
        let validation = UniversalDataset.windowSet(tables, scaler: c.scaler, samples: prepared.validation.samples, configuration: c.dataset)
        let data = PreparedDataset(training: training, validation: validation, scaler: c.scaler,
                                   classWeights: c.objective.classWeights ?? Direction.balancedWeights(training.labels),
                                   configuration: c.dataset, trainingEnd: prepared.trainingEnd)
        var settings = c.training
        settings.epochs = epochs
        let run = try UniversalTraining.train(data, settings: settings, initial: current.weights, cancellation: cancellation,
                                             checkpoint: checkpoint, callback: callback)
        return try decide(run.model, current: current, tables: tables, validation: prepared.validation.samples, gate: gate)
    }

    /// Retrains from fresh weights on all of `tables` with the current model's dataset and training settings
    /// (a new scaler fit on the new training period).
    public static func fullRetrain(current: UniversalModel, tables: [FeatureTable], gate: ValidationGate) throws(ModelError) -> Outcome {
        let prepared = try UniversalDataset.prepare(tables, configuration: current.config.dataset)
        let run = try UniversalTraining.train(prepared, settings: current.config.training)
        return try decide(run.model, current: current, tables: tables, validation: prepared.validation.samples, gate: gate)
    }

    static func decide(_ candidate: UniversalModel, current: UniversalModel, tables: [FeatureTable], validation: [WindowSample],
                       gate: ValidationGate) throws(ModelError) -> Outcome {
        let decision = try gate.judge(candidate: candidate, current: current, tables: tables, samples: validation)
        return Outcome(candidate: candidate, decision: decision, serving: decision.deploy ? candidate : current)
    }
}
