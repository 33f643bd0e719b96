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

    /// Scores both models on `validation` and decides.
    public func judge(candidate: UniversalModel, current: UniversalModel, on validation: WindowSet) throws(ModelError) -> Decision {
        let c = try UniversalEvaluation.evaluate(candidate, on: validation).accuracy
        let now = try UniversalEvaluation.evaluate(current, on: validation).accuracy
        return Decision(deploy: c >= threshold * now, candidateAccuracy: c, currentAccuracy: now, required: threshold * now)
    }
}
