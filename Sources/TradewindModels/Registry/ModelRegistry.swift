import Crypto
import Foundation
import TradewindCore

/// One version of a named model in a registry: its identity (the SHA-256 of its archive, `ModelArchive`), the
/// version it was derived from, the data it trained on and its validation metrics.
public struct ModelVersionRecord: Sendable, Equatable, Codable {
    public var name: String
    /// 1, 2, 3, … per name; never reused.
    public var version: Int
    /// Lowercase hex SHA-256 of the version's archive.
    public var sha256: String
    /// The version that was active when this one was registered.
    public var parentVersion: Int?
    /// Lowercase hex SHA-256 of the feature tables it was trained from (`ModelRegistryEntry.datasetHash`).
    public var datasetHash: String
    /// The restored epoch's validation metrics (`accuracy`, …) and `validation_loss`.
    public var metrics: [String: Double]
    /// The first and last decision dates it trained on.
    public var trainingFrom: UnixNanos
    public var trainingThrough: UnixNanos
    /// The archive's size in bytes.
    public var bytes: Int
    /// Whether it is the version served.
    public var active: Bool
    public var createdAt: UnixNanos
    /// Why the validation gate refused this candidate (nil: not refused). A refused version is listed with its
    /// metrics but is never active: activation and rollback pass over it.
    public var refusal: String?

    public init(name: String, version: Int, sha256: String, parentVersion: Int?, datasetHash: String, metrics: [String: Double],
                trainingFrom: UnixNanos, trainingThrough: UnixNanos, bytes: Int, active: Bool, createdAt: UnixNanos,
                refusal: String? = nil) {
        self.name = name
        self.version = version
        self.sha256 = sha256
        self.parentVersion = parentVersion
        self.datasetHash = datasetHash
        self.metrics = metrics
        self.trainingFrom = trainingFrom
        self.trainingThrough = trainingThrough
        self.bytes = bytes
        self.active = active
        self.createdAt = createdAt
        self.refusal = refusal
    }
}

/// What a registry stores of a trained model: its archive and the facts a record lists.
public struct ModelRegistryEntry: Sendable {
    public let archive: Data
    public let sha256: String
    public let metrics: [String: Double]
    public let config: UniversalModelConfig

    public init(_ model: UniversalModel) throws(ModelError) {
        archive = try ModelArchive.archive(model)
        sha256 = ModelArchive.sha256(archive)
        config = model.config
        var metrics = model.config.validationMetrics
        if let loss = model.config.validationLoss, loss.isFinite { metrics["validation_loss"] = loss }
        self.metrics = metrics.filter { $0.value.isFinite }
    }

    /// The model's configuration as JSON (sorted keys).
    public var configJSON: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? String(decoding: encoder.encode(config), as: UTF8.self)) ?? "{}"
    }

    /// Lowercase hex SHA-256 of feature tables: each symbol's name, times, closes and feature values, in order.
    /// The same data gives the same hash on any machine.
    public static func datasetHash(_ tables: [FeatureTable]) -> String {
        var hasher = SHA256()
        for table in tables {
            hasher.update(data: Data(table.symbol.utf8))
            hasher.update(data: Data([0]))
            table.time.withUnsafeBytes { hasher.update(bufferPointer: $0) }
            table.close.withUnsafeBytes { hasher.update(bufferPointer: $0) }
            table.values.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}

/// Where trained models are kept, by name and version: one protocol, two implementations — `ModelDirectory`
/// (files, for the standalone command line) and the store's registry (`StoreModelRegistry` in TradewindServer,
/// SQLite or PostgreSQL, for the server and `--database`). Each keeps the newest `keep` versions that were not
/// refused (never removing the active one) and, beside them, the newest `keep` refused candidates; and rolls back
/// any number of versions, passing over refused ones.
public protocol ModelRegistry: Sendable {
    /// Versions kept per name.
    var keep: Int { get }
    /// Stores `model` as the next version of `name` (its parent: the active version); makes it the active one
    /// when `activate`; prunes to `keep`. A candidate the validation gate refused is recorded with its `refusal` (the
    /// reason), never active (`activate` must then be false: `ModelError.invalidSetting` otherwise).
    func register(_ model: UniversalModel, name: String, datasetHash: String, activate: Bool, refusal: String?) async throws -> ModelVersionRecord
    /// Versions of `name`, newest first (empty when none).
    func versions(of name: String) async throws -> [ModelVersionRecord]
    /// A version (nil: the active one) and its archive; throws `ModelError.invalidSetting` naming `version` when
    /// there is no such version.
    func archive(of name: String, version: Int?) async throws -> (record: ModelVersionRecord, archive: Data)
    /// Activates the version `steps` places older than the active one.
    func rollback(_ name: String, steps: Int) async throws -> ModelVersionRecord
    /// Activates `version` (kept, not refused) only while `expectedActive` is the active version — a compare-and-set
    /// in one step; nil, changing nothing, when another version is active by then.
    func activate(_ name: String, version: Int, ifActive expectedActive: Int) async throws -> ModelVersionRecord?
}

extension ModelRegistry {
    /// Stores `model` as the next version of `name`, not refused (`register(_:name:datasetHash:activate:refusal:)`).
    public func register(_ model: UniversalModel, name: String, datasetHash: String, activate: Bool) async throws -> ModelVersionRecord {
        try await register(model, name: name, datasetHash: datasetHash, activate: activate, refusal: nil)
    }

    /// The error for activating a refused candidate.
    public static func refusedActivation(_ record: ModelVersionRecord) -> ModelError {
        .invalidSetting(name: "activate", value: "\(record.name) v\(record.version) (\(record.refusal ?? "refused"))",
                        expected: "a version the validation gate did not refuse")
    }

    /// A version (nil: the active one) as a model.
    public func model(_ name: String, version: Int? = nil) async throws -> (record: ModelVersionRecord, model: UniversalModel) {
        let (record, archive) = try await archive(of: name, version: version)
        return (record, try ModelArchive.model(from: archive))
    }

    /// The error for a version that is not kept.
    public static func missing(_ name: String, version: Int?) -> ModelError {
        .invalidSetting(name: "version", value: "\(name) \(version.map { "v\($0)" } ?? "active")",
                        expected: "a stored version (list them with `tradewind ml versions`; train one with `tradewind ml train`)")
    }
}
