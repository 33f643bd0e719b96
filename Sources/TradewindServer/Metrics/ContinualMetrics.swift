import CoreMetrics
import Foundation
import Prometheus
import Synchronization
import TradewindCore
import TradewindModels

/// Continual learning's metrics on `/metrics`, per model (label `model`):
/// - `tradewind_model_versions_deployed_total`: versions a training job made active;
/// - `tradewind_model_gate_refusals_total`: candidates the validation gate refused;
/// - `tradewind_model_automatic_rollbacks_total`: automatic rollbacks (`AutomaticRollback`);
/// - `tradewind_model_active_validation_accuracy`: the active version's validation accuracy, as its record lists it;
/// - `tradewind_model_last_update_timestamp_seconds`: when a training job last deployed or refused a version, or
///   a rollback (automatic or `POST /api/models/{name}/rollback`) last changed the active one (Unix seconds).
extension ServerMetrics {
    func modelCounter(_ label: String, _ model: String) -> CoreMetrics.Counter {
        modelCounters.withLock { all in
            if let hit = all[label + " " + model] { return hit }
            let made = CoreMetrics.Counter(label: label, dimensions: [("model", model)], factory: factory)
            all[label + " " + model] = made
            return made
        }
    }

    func modelGauge(_ label: String, _ model: String) -> CoreMetrics.Gauge {
        modelGauges.withLock { all in
            if let hit = all[label + " " + model] { return hit }
            let made = CoreMetrics.Gauge(label: label, dimensions: [("model", model)], factory: factory)
            all[label + " " + model] = made
            return made
        }
    }

    /// A training job made `record` the active version.
    func versionDeployed(_ record: ModelVersionRecord) {
        modelCounter("tradewind_model_versions_deployed_total", record.name).increment()
        activeVersion(record)
    }

    /// The validation gate refused a candidate of `model`.
    func gateRefused(_ model: String) {
        modelCounter("tradewind_model_gate_refusals_total", model).increment()
        updated(model)
    }

    /// An automatic rollback made `record` the active version.
    func rolledBack(to record: ModelVersionRecord) {
        modelCounter("tradewind_model_automatic_rollbacks_total", record.name).increment()
        activeVersion(record)
    }

    func activeVersion(_ record: ModelVersionRecord) {
        if let accuracy = record.metrics["accuracy"], accuracy.isFinite {
            modelGauge("tradewind_model_active_validation_accuracy", record.name).record(accuracy)
        }
        updated(record.name)
    }

    func updated(_ model: String) {
        modelGauge("tradewind_model_last_update_timestamp_seconds", model).record(Date().timeIntervalSince1970)
    }
}
