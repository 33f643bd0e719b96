import TradewindCore
import TradewindML

/// Continual learning's daily step (the GPU trading system's incremental update after the close): fine-tune the
/// current model on the newest `updateWindow` dates, starting from its weights and keeping its scaler, then let
/// the validation gate decide on the dates after them.
public enum IncrementalUpdate {
    /// The outcome: the candidate (the current model's child) and the gate's decision.
    public struct Outcome: Sendable {
        public let candidate: UniversalModel
        public let decision: ValidationGate.Decision
        /// The model to serve next: the candidate when deployed, else the current one (automatic rollback).
        public let serving: UniversalModel
    }

    /// Fine-tunes `current` for `epochs` epochs on the windows of the last `updateWindow` dates before the
    /// validation period (the newest `validationFraction` of dates, after the purge gap); the gate compares
    /// candidate and current on that validation period.
    public static func run(current: UniversalModel, tables: [FeatureTable], updateWindow: Int = 60, epochs: Int = 5,
                           gate: ValidationGate) throws(ModelError) -> Outcome {
        guard updateWindow >= 1 else { throw .invalidSetting(name: "updateWindow", value: "\(updateWindow)", expected: "≥ 1 date") }
        let prepared = try UniversalDataset.prepare(tables, configuration: current.config.dataset)
        // The newest `updateWindow` training dates, scaled with the current model's scaler (not refit: the
        // network's inputs keep their meaning).
        let dates = Set((0..<prepared.training.count).map { prepared.training.time(of: $0) }).sorted()
        let first = dates[max(0, dates.count - updateWindow)]
        let recent = (0..<prepared.training.count).filter { prepared.training.time(of: $0) >= first }
        let rescaled = UniversalDataset.windowSet(tables, scaler: current.config.scaler,
                                                  samples: recent.map { prepared.training.samples[$0] }, configuration: current.config.dataset)
        let validation = UniversalDataset.windowSet(tables, scaler: current.config.scaler, samples: prepared.validation.samples,
                                                    configuration: current.config.dataset)
        let data = PreparedDataset(training: rescaled, validation: validation, scaler: current.config.scaler,
                                   classWeights: current.config.objective.classWeights ?? Direction.balancedWeights(rescaled.labels),
                                   configuration: current.config.dataset, trainingEnd: prepared.trainingEnd)
        var settings = current.config.training
        settings.epochs = epochs
        let run = try UniversalTraining.train(data, settings: settings, initial: current.weights)
        let decision = try gate.judge(candidate: run.model, current: current, on: validation)
        return Outcome(candidate: run.model, decision: decision, serving: decision.deploy ? run.model : current)
    }
}
