import Foundation
import Synchronization
import TradewindML

/// A model's training as `GET /api/training-status/{name}` reports it (the AI trading server's fields: status,
/// epoch, loss, accuracy), and as the `training.progress` and `training.epoch` WebSocket messages carry it.
struct TrainingStatus: Codable, Sendable, Equatable {
    /// `idle` (never trained since the server started), `checking-rollback` (a scheduled job's automatic rollback
    /// check, before it trains), `training`, `completed` (deployed), `refused` (the validation gate kept the active
    /// version), `failed`, `cancelled`.
    var name: String
    var status: String
    var jobID: Int64?
    /// 1-based epoch in progress or last finished.
    var epoch: Int = 0
    var epochs: Int = 0
    var batch: Int = 0
    var batches: Int = 0
    /// The last batch's training loss during an epoch; the epoch's mean at its end.
    var loss: Double?
    var accuracy: Double?
    var validationLoss: Double?
    var validationAccuracy: Double?
    var learningRate: Double?
    var etaSeconds: Double?
    /// The version the run registered (nil until it finishes).
    var version: Int?
    var message: String?

    enum CodingKeys: String, CodingKey {
        case name, status, epoch, epochs, batch, batches, loss, accuracy, version, message
        case jobID = "job_id", validationLoss = "validation_loss", validationAccuracy = "validation_accuracy"
        case learningRate = "learning_rate", etaSeconds = "eta_seconds"
    }
}

/// Every model's latest training status, and the training metrics `/metrics` shows.
final class TrainingBoard: Sendable {
    struct Counts: Sendable { var epochs = 0, batches = 0, runs: [String: Int] = [:] }
    let statuses = Mutex<[String: TrainingStatus]>([:])
    let counts = Mutex<[String: Counts]>([:])
    let published = Mutex<[String: ContinuousClock.Instant]>([:])

    /// Whether a batch's progress is due on the WebSocket: at most ten messages a second per model.
    func due(_ name: String) -> Bool {
        let now = ContinuousClock.now
        return published.withLock { last in
            if let t = last[name], now - t < .milliseconds(100) { return false }
            last[name] = now
            return true
        }
    }

    func status(_ name: String) -> TrainingStatus { statuses.withLock { $0[name] } ?? TrainingStatus(name: name, status: "idle") }

    /// A training job's automatic rollback check began (`checking-rollback`).
    func checkingRollback(_ name: String, job: Int64) {
        statuses.withLock {
            $0[name] = TrainingStatus(name: name, status: "checking-rollback", jobID: job,
                                      message: "scoring the active version against the one it replaced on the newest data")
        }
    }

    /// Training began; `message` (the automatic rollback check's line, if one ran) stays until a later one.
    func start(_ name: String, job: Int64, epochs: Int, message: String? = nil) {
        statuses.withLock { $0[name] = TrainingStatus(name: name, status: "training", jobID: job, epochs: epochs, message: message) }
    }

    /// Applies a trainer event; returns the status after it.
    func apply(_ name: String, _ event: TrainingEvent) -> TrainingStatus {
        let s = statuses.withLock { all -> TrainingStatus in
            var s = all[name] ?? TrainingStatus(name: name, status: "training")
            switch event {
            case let .batchEnded(p):
                (s.epoch, s.epochs, s.batch, s.batches, s.loss, s.etaSeconds) = (p.epoch + 1, p.epochs, p.batch + 1, p.batches, p.loss, p.eta)
            case let .epochEnded(r):
                s.epoch = r.epoch + 1
                s.loss = r.trainingLoss
                s.accuracy = r.metrics["accuracy"]
                s.validationLoss = r.validationLoss
                s.validationAccuracy = r.validationMetrics["accuracy"]
                s.learningRate = r.learningRate
            case let .stoppedEarly(best, _):
                s.message = "stopped early; the best epoch (\(best + 1)) is kept"
            }
            all[name] = s
            return s
        }
        counts.withLock {
            if case .epochEnded = event { $0[name, default: Counts()].epochs += 1 }
            if case .batchEnded = event { $0[name, default: Counts()].batches += 1 }
        }
        return s
    }

    /// Ends the run: `outcome` is completed, refused, failed or cancelled.
    func finish(_ name: String, outcome: String, version: Int?, message: String?) {
        statuses.withLock {
            var s = $0[name] ?? TrainingStatus(name: name, status: outcome)
            (s.status, s.version, s.message, s.etaSeconds) = (outcome, version, message, nil)
            $0[name] = s
        }
        counts.withLock { $0[name, default: Counts()].runs[outcome, default: 0] += 1 }
    }

    /// The training metrics in Prometheus' text format: epochs and batches trained, runs by outcome, and the latest
    /// losses and accuracies, per model.
    func exposition() -> String {
        let (all, totals) = (statuses.withLock { $0 }, counts.withLock { $0 })
        guard !all.isEmpty else { return "" }
        var lines: [String] = []
        func family(_ name: String, _ type: String, _ help: String, _ samples: [(String, Double)]) {
            guard !samples.isEmpty else { return }
            lines.append("# HELP \(name) \(help)")
            lines.append("# TYPE \(name) \(type)")
            for (labels, value) in samples { lines.append("\(name){\(labels)} \(value)") }
        }
        let names = all.keys.sorted()
        let label = { (n: String) in "model=\"\(n)\"" }
        family("tradewind_training_epochs_total", "counter", "Training epochs finished.", names.map { (label($0), Double(totals[$0]?.epochs ?? 0)) })
        family("tradewind_training_batches_total", "counter", "Training batches finished.", names.map { (label($0), Double(totals[$0]?.batches ?? 0)) })
        family("tradewind_training_runs_total", "counter", "Training runs ended, by outcome.", names.flatMap { n in
            (totals[n]?.runs ?? [:]).sorted { $0.key < $1.key }.map { (label(n) + ",outcome=\"\($0.key)\"", Double($0.value)) }
        })
        family("tradewind_training_running", "gauge", "1 while the model trains.", names.map { (label($0), all[$0]?.status == "training" ? 1 : 0) })
        for (metric, help, value) in [
            ("tradewind_training_loss", "The latest training loss.", { (s: TrainingStatus) in s.loss }),
            ("tradewind_training_accuracy", "The latest epoch's training accuracy.", { $0.accuracy }),
            ("tradewind_training_validation_loss", "The latest epoch's validation loss.", { $0.validationLoss }),
            ("tradewind_training_validation_accuracy", "The latest epoch's validation accuracy.", { $0.validationAccuracy }),
        ] as [(String, String, (TrainingStatus) -> Double?)] {
            family(metric, "gauge", help, names.compactMap { n in all[n].flatMap(value).flatMap { $0.isFinite ? (label(n), $0) : nil } })
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
