import Foundation

/// Where training stands after a batch: enough for a progress bar with an ETA.
public struct TrainingProgress: Sendable, Equatable, Codable {
    public let epoch: Int, epochs: Int, batch: Int, batches: Int
    /// The batch's loss.
    public let loss: Double
    /// Seconds since training started.
    public let elapsed: Double
    /// Estimated seconds to the last epoch's end at the pace so far.
    public let eta: Double
}

/// One finished epoch.
public struct EpochRecord: Sendable, Equatable, Codable {
    public let epoch: Int
    /// Mean training loss over the epoch's batches (sample-weighted).
    public let trainingLoss: Double
    /// Mean validation loss, nil without validation data.
    public let validationLoss: Double?
    /// The model's metrics averaged over the epoch's training samples (as each batch was trained).
    public let metrics: [String: Double]
    /// The same metrics on the validation data, empty without it.
    public let validationMetrics: [String: Double]
    /// The learning rate at the epoch's end.
    public let learningRate: Double
    public let seconds: Double
}

/// What the trainer reports to its callback; Codable, so the server's WebSocket can forward it as JSON.
public enum TrainingEvent: Sendable, Equatable, Codable {
    case batchEnded(TrainingProgress)
    case epochEnded(EpochRecord)
    case stoppedEarly(bestEpoch: Int, bestLoss: Double)
}

/// Formats progress as one line, e.g. "epoch 2/10 batch 30/120 loss 0.4123 eta 41s".
public func describe(_ p: TrainingProgress) -> String {
    "epoch \(p.epoch + 1)/\(p.epochs) batch \(p.batch + 1)/\(p.batches) loss \(String(format: "%.4f", p.loss)) eta \(Int(p.eta.rounded()))s"
}
