import Foundation
import TradewindModels
import TradewindOptimizer

/// An optimize job's `request` as `POST /api/jobs` takes it: the `optimize` command's options in one object —
/// `OptimizationRequest`'s fields, the fold-training fields of the ML strategies (`FoldTraining`: `train_epochs`,
/// `train_batch_size`, `train_seed`, `train_widths`, `train_window`; same defaults, checks and messages as the
/// command's `--train-*`) and `keep_fold_models`. Stored as the job's request, so a restarted job, and every
/// `tradewind worker` computing its symbols, retrains with the same settings.
public struct OptimizeJobRequest: Sendable, Equatable, Codable {
    public var optimization: OptimizationRequest
    /// How an ML strategy's model is retrained on each in-sample window (ignored by other strategies).
    public var training: FoldTraining
    /// Keep the fold models (`home/jobs/ID/fold-models/<hash>/universal.json`, named in the results' `model`
    /// parameter) until the job is deleted, so that a result's report can re-run its best point (default true);
    /// false removes them when the job ends.
    public var keepFoldModels: Bool

    static let keepKey = "keep_fold_models"

    public init(_ optimization: OptimizationRequest, training: FoldTraining = FoldTraining(), keepFoldModels: Bool = true) {
        self.optimization = optimization
        self.training = training
        self.keepFoldModels = keepFoldModels
    }

    enum KeepKey: String, CodingKey { case keep = "keep_fold_models" }

    public init(from decoder: any Decoder) throws {
        optimization = try OptimizationRequest(from: decoder, besides: FoldTraining.Field.allCases.map(\.rawValue) + [Self.keepKey])
        training = try FoldTraining(from: decoder)
        keepFoldModels = try decoder.container(keyedBy: KeepKey.self).decodeIfPresent(Bool.self, forKey: .keep) ?? true
    }

    public func encode(to encoder: any Encoder) throws {
        try optimization.encode(to: encoder)
        try training.encode(to: encoder)
        var c = encoder.container(keyedBy: KeepKey.self)
        try c.encode(keepFoldModels, forKey: .keep)
    }

    /// The retraining of this job's ML strategy, saving fold models under `directory`.
    func retraining(directory: String) throws -> ModelRetraining {
        try training.retraining(directory: directory)
    }
}
