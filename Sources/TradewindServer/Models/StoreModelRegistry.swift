import Foundation
import TradewindModels
import TradewindStore

/// The store's implementation of `ModelRegistry` (SQLite or PostgreSQL): versions, archives, the active version,
/// retention and rollback in the store's model-registry area. The server and the command line's `--database` use it.
public struct StoreModelRegistry: ModelRegistry {
    public let store: any ModelVersionStore
    public let keep: Int

    /// A registry that keeps 7 versions per name (the GPU trading system's default `max_versions`).
    public init(store: any ModelVersionStore) {
        self.store = store
        keep = 7
    }

    /// - Parameters: `keep` 1...1000 versions per name.
    public init(store: any ModelVersionStore, keep: Int) throws(ModelError) {
        guard (1...1000).contains(keep) else { throw .invalidSetting(name: "keep", value: "\(keep)", expected: "1...1000 versions") }
        self.store = store
        self.keep = keep
    }

    public func register(_ model: UniversalModel, name: String, datasetHash: String, activate: Bool,
                         refusal: String?) async throws -> ModelVersionRecord {
        Self.record(try await store.addModelVersion(try Self.version(model, name: name, datasetHash: datasetHash, refusal: refusal),
                                                    activate: activate, keep: keep))
    }

    /// `register`, for a running job: the version is stored only while `hold.owner` holds the job, checked in the
    /// insert's own transaction under the job's row lock (`ModelVersionStore.addModelVersion(…heldBy:)`); a run that
    /// lost its job (another server took it over and registers its own model) gets `JobTakenOver` and stores nothing.
    public func register(_ model: UniversalModel, name: String, datasetHash: String, activate: Bool, refusal: String? = nil,
                         heldBy hold: JobHold) async throws -> ModelVersionRecord {
        Self.record(try await store.addModelVersion(try Self.version(model, name: name, datasetHash: datasetHash, refusal: refusal),
                                                    activate: activate, keep: keep, heldBy: hold))
    }

    /// The version row `model` is stored as.
    static func version(_ model: UniversalModel, name: String, datasetHash: String, refusal: String?) throws -> NewModelVersion {
        let entry = try ModelRegistryEntry(model)
        return NewModelVersion(name: name, archive: entry.archive, sha256: entry.sha256, datasetHash: datasetHash,
                               config: entry.configJSON, metrics: (try? JSON.string(entry.metrics)) ?? "{}",
                               trainingFrom: model.config.trainingFrom, trainingThrough: model.config.trainingThrough, refusal: refusal)
    }

    public func versions(of name: String) async throws -> [ModelVersionRecord] {
        try await store.modelVersions(name, page: PageRequest(limit: PageRequest.maximumLimit)).items.map(Self.record)
    }

    public func archive(of name: String, version: Int?) async throws -> (record: ModelVersionRecord, archive: Data) {
        guard let stored = try await store.modelVersion(name, version: version),
              let archive = try await store.modelArchive(name, version: stored.version) else {
            throw Self.missing(name, version: version)
        }
        return (Self.record(stored), archive)
    }

    public func rollback(_ name: String, steps: Int) async throws -> ModelVersionRecord {
        Self.record(try await store.rollbackModel(name, steps: steps))
    }

    public func activate(_ name: String, version: Int, ifActive expectedActive: Int) async throws -> ModelVersionRecord? {
        try await store.activateModelVersion(name, version: version, ifActive: expectedActive).map(Self.record)
    }

    static func record(_ s: StoredModelVersion) -> ModelVersionRecord {
        let metrics = (try? JSONDecoder().decode([String: Double].self, from: Data(s.metrics.utf8))) ?? [:]
        return ModelVersionRecord(name: s.name, version: s.version, sha256: s.sha256, parentVersion: s.parentVersion,
                                  datasetHash: s.datasetHash, metrics: metrics, trainingFrom: s.trainingFrom,
                                  trainingThrough: s.trainingThrough, bytes: s.bytes, active: s.active, createdAt: s.createdAt,
                                  refusal: s.refusal)
    }
}
