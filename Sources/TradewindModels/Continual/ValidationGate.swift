/// The continual-learning gate (the GPU trading system's `performance_threshold`): a candidate model replaces
/// the current one only if its validation accuracy is at least `threshold` times the current model's, both
/// measured on the same validation windows.
public struct ValidationGate: Sendable, Equatable, Codable {
    public let threshold: Double

    /// - Parameter threshold: 0...2 (default 0.95: a candidate may be at most 5 % worse).
    public init(threshold: Double = 0.95) throws(ModelError) {
        guard threshold.isFinite && (0...2).contains(threshold) else {
            throw .invalidSetting(name: "performanceThreshold", value: "\(threshold)", expected: "0...2")
        }
        self.threshold = threshold
    }

    /// What the gate decided, with both scores.
    public struct Decision: Sendable, Equatable, Codable {
        public let deploy: Bool
        public let candidateAccuracy: Double
        public let currentAccuracy: Double
        public let required: Double
    }

    /// Scores both models on the same validation windows (`samples` of `tables`), each scaled with its own
    /// model's scaler, and decides.
    public func judge(candidate: UniversalModel, current: UniversalModel, tables: [FeatureTable],
                      samples: [WindowSample]) throws(ModelError) -> Decision {
        func accuracy(_ m: UniversalModel) throws(ModelError) -> Double {
            let windows = UniversalDataset.windowSet(tables, scaler: m.config.scaler, samples: samples, configuration: m.config.dataset)
            return try UniversalEvaluation.evaluate(m, on: windows).accuracy
        }
        let c = try accuracy(candidate), now = try accuracy(current)
        return Decision(deploy: c >= threshold * now, candidateAccuracy: c, currentAccuracy: now, required: threshold * now)
    }

    /// A refused decision in words, as the registry records it (`ModelVersionRecord.refusal`).
    public static func refusal(_ d: Decision) -> String {
        String(format: "refused by the validation gate: accuracy %.4f < %.4f required (current %.4f)", d.candidateAccuracy, d.required,
               d.currentAccuracy)
    }
}
