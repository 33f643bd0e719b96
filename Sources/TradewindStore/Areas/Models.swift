import Foundation
import TradewindCore

/// One stored version of a trained model (the model registry): its identity (the SHA-256 of its archive), the
/// version it was derived from, the data it trained on, its validation metrics, and whether it is the one served.
public struct StoredModelVersion: Sendable, Equatable {
    public var name: String
    /// 1, 2, 3, … per name; never reused.
    public var version: Int
    /// Lowercase hex SHA-256 of the archive's bytes.
    public var sha256: String
    public var parentVersion: Int?
    /// Lowercase hex SHA-256 of the training data.
    public var datasetHash: String
    /// The model's configuration, a JSON object (opaque to the store).
    public var config: String
    /// Validation metrics, a JSON object of numbers.
    public var metrics: String
    /// The first and last decision dates it trained on.
    public var trainingFrom: UnixNanos
    public var trainingThrough: UnixNanos
    /// The archive's size in bytes.
    public var bytes: Int
    public var active: Bool
    public var createdAt: UnixNanos
    /// Why the validation gate refused this candidate (nil: not refused); a refused version is never active.
    public var refusal: String? = nil
}

extension StoredModelVersion {
    /// What a model name may be: 1 to 100 ASCII letters, digits, '-', '_' and '.' (it appears in paths and metric labels).
    public static let nameRule = "1 to 100 of A-Z, a-z, 0-9, '-', '_', '.'"

    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 100
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") }
    }
}

/// A model version to store: everything but the number, the parent and the time, which the store assigns.
public struct NewModelVersion: Sendable {
    public var name: String
    public var archive: Data
    public var sha256: String
    public var datasetHash: String
    public var config: String
    public var metrics: String
    public var trainingFrom: UnixNanos
    public var trainingThrough: UnixNanos
    /// Why the validation gate refused it (nil: not refused).
    public var refusal: String?

    public init(name: String, archive: Data, sha256: String, datasetHash: String, config: String, metrics: String,
                trainingFrom: UnixNanos, trainingThrough: UnixNanos, refusal: String? = nil) {
        self.name = name
        self.archive = archive
        self.sha256 = sha256
        self.datasetHash = datasetHash
        self.config = config
        self.metrics = metrics
        self.trainingFrom = trainingFrom
        self.trainingThrough = trainingThrough
        self.refusal = refusal
    }
}

/// The model-registry area: versions per model name with their archives (in the database, so a PostgreSQL store
/// serves them to every machine), one active version per name, retention and rollback.
public protocol ModelVersionStore: Sendable {
    /// Stores the next version of `model.name`; its parent is the active version. When `activate`, it becomes the
    /// active one (`invalidArgument` for a refused candidate, which is never active). Then keeps only the newest
    /// `keep` versions not refused (the active one is never removed) and the newest `keep` refused ones.
    func addModelVersion(_ model: NewModelVersion, activate: Bool, keep: Int) async throws -> StoredModelVersion
    /// `addModelVersion`, fenced on a running job's holder: stored (activated, retention applied) in one transaction
    /// that locks the job's row first and writes only while `hold.owner` holds the running job — `JobTakenOver`
    /// otherwise, with nothing written (another server took the job over after its lease expired, or it ended). What
    /// a training job registers its model with: no window between its holder check and the insert.
    func addModelVersion(_ model: NewModelVersion, activate: Bool, keep: Int, heldBy hold: JobHold) async throws -> StoredModelVersion
    /// The model names that have versions, sorted.
    func modelNames() async throws -> [String]
    /// Versions of `name`, newest first.
    func modelVersions(_ name: String, page: PageRequest) async throws -> Page<StoredModelVersion>
    /// One version (nil: the active one); nil when there is none.
    func modelVersion(_ name: String, version: Int?) async throws -> StoredModelVersion?
    /// A version's archive bytes (nil: the active version's); nil when there is none.
    func modelArchive(_ name: String, version: Int?) async throws -> Data?
    /// Makes `version` the active one (`notFound` when it is not stored, `conflict` when it was refused).
    func activateModelVersion(_ name: String, version: Int) async throws -> StoredModelVersion
    /// Activates the version `steps` places older than the active one among the stored versions that were not
    /// refused (`invalidArgument` naming `steps` when there are not that many).
    func rollbackModel(_ name: String, steps: Int) async throws -> StoredModelVersion
    /// Activates `version` (not refused) only while `expectedActive` is the active version of `name`: one
    /// transaction that first locks the name's rows, so a deploy or rollback running meanwhile either committed
    /// before (and this changes nothing) or waits for it. Nil when another version is active.
    func activateModelVersion(_ name: String, version: Int, ifActive expectedActive: Int) async throws -> StoredModelVersion?
}

extension StoreMigrations {
    static let modelVersionsV1 = StoreMigration(id: "010-model-versions", statements: [
        """
        CREATE TABLE model_versions (name TEXT NOT NULL, version BIGINT NOT NULL, sha256 TEXT NOT NULL, parent_version BIGINT,
            dataset_hash TEXT NOT NULL, config TEXT NOT NULL, metrics TEXT NOT NULL, training_from BIGINT NOT NULL,
            training_through BIGINT NOT NULL, bytes BIGINT NOT NULL, active BIGINT NOT NULL DEFAULT 0,
            created_at BIGINT NOT NULL, archive TEXT NOT NULL, PRIMARY KEY (name, version))
        """,
    ])
}

extension SQLStore {
    static let modelColumns = """
        name, version, sha256, parent_version, dataset_hash, config, metrics, training_from, training_through, bytes, active, created_at,
        refusal
        """

    static func modelVersion(_ r: SQLRow) -> StoredModelVersion {
        StoredModelVersion(name: r.string(0) ?? "", version: r.int(1) ?? 0, sha256: r.string(2) ?? "", parentVersion: r.int(3),
                           datasetHash: r.string(4) ?? "", config: r.string(5) ?? "{}", metrics: r.string(6) ?? "{}",
                           trainingFrom: r.int64(7) ?? 0, trainingThrough: r.int64(8) ?? 0, bytes: r.int(9) ?? 0,
                           active: r.bool(10), createdAt: r.int64(11) ?? 0, refusal: r.string(12))
    }

    static func checkModelName(_ name: String) throws {
        guard StoredModelVersion.isValidName(name) else {
            throw StoreError.invalidArgument(field: "name", value: "'\(name)'", valid: StoredModelVersion.nameRule)
        }
    }

    /// `version = ?` for a number, `active = 1` for nil.
    static func versionFilter(_ version: Int?) -> (String, [SQLValue]) {
        version.map { ("version = ?", [.int($0)]) } ?? ("active = 1", [])
    }

    public func addModelVersion(_ model: NewModelVersion, activate: Bool, keep: Int) async throws -> StoredModelVersion {
        try await addModelVersion(model, activate: activate, keep: keep, fence: nil)
    }

    public func addModelVersion(_ model: NewModelVersion, activate: Bool, keep: Int, heldBy hold: JobHold) async throws -> StoredModelVersion {
        try await addModelVersion(model, activate: activate, keep: keep, fence: hold)
    }

    /// Both `addModelVersion`s: unfenced when `hold` is nil. Fenced, the job's row is locked first (`lockingHeld`) and
    /// every write is conditional on the holder; the last statement's row says whether it held.
    func addModelVersion(_ model: NewModelVersion, activate: Bool, keep: Int, fence hold: JobHold?) async throws -> StoredModelVersion {
        try Self.checkModelName(model.name)
        guard (1...1000).contains(keep) else {
            throw StoreError.invalidArgument(field: "keep", value: String(keep), valid: "an integer from 1 to 1000")
        }
        guard model.sha256.count == 64, model.datasetHash.count == 64 else {
            throw StoreError.invalidArgument(field: "sha256", value: "'\(model.sha256)'", valid: "64 hex digits")
        }
        if activate, model.refusal != nil {
            throw StoreError.invalidArgument(field: "activate", value: "true", valid: "false for a refused candidate (never active)")
        }
        let name = SQLValue.text(model.name)
        // Fenced: `AND <held>` on every write, and the held flag beside the answer (`held` binds its arguments).
        let held = hold.map { Self.held($0.jobID, by: $0.owner) }
        let onlyHeld = held.map { " AND " + $0.sql } ?? ""
        let heldArguments = held?.arguments ?? []
        var statements = hold.map { [Self.lockingHeld($0.jobID, by: $0.owner)] } ?? []
        // The next version is computed in a scalar subquery, so that a fenced insert whose condition fails inserts no
        // row (an aggregate over the table's rows would answer one row even when none matched).
        statements.append(SQLStatement("""
            INSERT INTO model_versions (name, version, sha256, parent_version, dataset_hash, config, metrics, training_from,
                training_through, bytes, active, created_at, archive, refusal)
            SELECT ?, (SELECT COALESCE(MAX(version), 0) + 1 FROM model_versions WHERE name = ?), ?,
                (SELECT version FROM model_versions WHERE name = ? AND active = 1),
                ?, ?, ?, ?, ?, ?, 0, ?, ?, ? WHERE 1 = 1\(onlyHeld)
            """, [name, name, .text(model.sha256), name, .text(model.datasetHash), .text(model.config), .text(model.metrics),
                  .integer(model.trainingFrom), .integer(model.trainingThrough), .int(model.archive.count),
                  .integer(StoreClock.now()), .text(model.archive.base64EncodedString()), model.refusal.map(SQLValue.text) ?? .null]
                + heldArguments))
        if activate {
            statements.append(SQLStatement("""
                UPDATE model_versions SET active = CASE WHEN version = (SELECT MAX(version) FROM model_versions WHERE name = ?)
                THEN 1 ELSE 0 END WHERE name = ?\(onlyHeld)
                """, [name, name] + heldArguments))
        }
        statements.append(SQLStatement("""
            DELETE FROM model_versions WHERE name = ? AND active = 0
                AND version NOT IN (SELECT version FROM model_versions WHERE name = ? AND refusal IS NULL ORDER BY version DESC LIMIT ?)
                AND version NOT IN (SELECT version FROM model_versions WHERE name = ? AND refusal IS NOT NULL ORDER BY version DESC LIMIT ?)\(onlyHeld)
            """, [name, name, .int(keep), name, .int(keep)] + heldArguments))
        let heldColumn = held.map { ", CASE WHEN \($0.sql) THEN 1 ELSE 0 END" } ?? ""
        statements.append(SQLStatement("""
            SELECT \(Self.modelColumns)\(heldColumn) FROM model_versions WHERE name = ? ORDER BY version DESC LIMIT 1
            """, heldArguments + [name]))
        let rows = try await transaction("models", statements)
        if let hold {
            // No row: the name has no version, so none was inserted: not held.
            guard let row = rows.first, row.int(13) == 1 else { throw JobTakenOver(jobID: hold.jobID, owner: hold.owner) }
            return Self.modelVersion(row)
        }
        guard let row = rows.first else { throw StoreError.notFound(kind: "model version", id: model.name) }
        return Self.modelVersion(row)
    }

    public func modelNames() async throws -> [String] {
        try await read("models", "SELECT DISTINCT name FROM model_versions ORDER BY name").compactMap { $0.string(0) }
    }

    public func modelVersions(_ name: String, page: PageRequest) async throws -> Page<StoredModelVersion> {
        let total = try await count("models", "SELECT COUNT(*) FROM model_versions WHERE name = ?", [.text(name)])
        let rows = try await read("models", """
            SELECT \(Self.modelColumns) FROM model_versions WHERE name = ? ORDER BY version DESC LIMIT ? OFFSET ?
            """, [.text(name), .int(page.limit), .int(page.offset)])
        return Page(items: rows.map(Self.modelVersion), total: total, limit: page.limit, offset: page.offset)
    }

    public func modelVersion(_ name: String, version: Int?) async throws -> StoredModelVersion? {
        let (filter, arguments) = Self.versionFilter(version)
        return try await read("models", "SELECT \(Self.modelColumns) FROM model_versions WHERE name = ? AND \(filter)",
                              [.text(name)] + arguments).first.map(Self.modelVersion)
    }

    public func modelArchive(_ name: String, version: Int?) async throws -> Data? {
        let (filter, arguments) = Self.versionFilter(version)
        guard let text = try await read("models", "SELECT archive FROM model_versions WHERE name = ? AND \(filter)",
                                        [.text(name)] + arguments).first?.string(0) else { return nil }
        guard let data = Data(base64Encoded: text) else {
            throw StoreError.conflict(kind: "model", id: "\(name) \(version.map(String.init) ?? "active")",
                                      reason: "its stored archive is not base64; store the version again")
        }
        return data
    }

    public func activateModelVersion(_ name: String, version: Int) async throws -> StoredModelVersion {
        if let refused = try await modelVersion(name, version: version), let reason = refused.refusal {
            throw StoreError.conflict(kind: "model version", id: "\(name) \(version)",
                                      reason: "the validation gate refused it (\(reason)); activate a version it admitted")
        }
        let rows = try await transaction("models", [
            SQLStatement("""
                UPDATE model_versions SET active = CASE WHEN version = ? THEN 1 ELSE 0 END
                WHERE name = ? AND EXISTS (SELECT 1 FROM model_versions WHERE name = ? AND version = ? AND refusal IS NULL)
                """, [.int(version), .text(name), .text(name), .int(version)]),
            SQLStatement("SELECT \(Self.modelColumns) FROM model_versions WHERE name = ? AND version = ?", [.text(name), .int(version)]),
        ])
        guard let row = rows.first else { throw StoreError.notFound(kind: "model version", id: "\(name) \(version)") }
        return Self.modelVersion(row)
    }

    public func activateModelVersion(_ name: String, version: Int, ifActive expectedActive: Int) async throws -> StoredModelVersion? {
        try Self.checkModelName(name)
        let rows = try await transaction("models", [
            // Locks every stored version of the name (PostgreSQL; SQLite has one writer): the statements after it
            // read what committed before, and a deploy's activation waits for this transaction.
            SQLStatement("UPDATE model_versions SET active = active WHERE name = ?", [.text(name)]),
            SQLStatement("""
                UPDATE model_versions SET active = CASE WHEN version = ? THEN 1 ELSE 0 END
                WHERE name = ? AND EXISTS (SELECT 1 FROM model_versions WHERE name = ? AND version = ? AND refusal IS NULL)
                  AND EXISTS (SELECT 1 FROM model_versions WHERE name = ? AND version = ? AND active = 1)
                """, [.int(version), .text(name), .text(name), .int(version), .text(name), .int(expectedActive)]),
            SQLStatement("SELECT \(Self.modelColumns) FROM model_versions WHERE name = ? AND version = ?", [.text(name), .int(version)]),
        ])
        guard let row = rows.first else { throw StoreError.notFound(kind: "model version", id: "\(name) \(version)") }
        let record = Self.modelVersion(row)
        return record.active ? record : nil
    }

    public func rollbackModel(_ name: String, steps: Int) async throws -> StoredModelVersion {
        let versions = try await read("models", "SELECT version, active FROM model_versions WHERE name = ? AND refusal IS NULL ORDER BY version DESC",
                                      [.text(name)])
        guard let current = versions.firstIndex(where: { $0.bool(1) }) else {
            throw StoreError.notFound(kind: "active model version", id: name)
        }
        let older = versions.count - current - 1
        guard steps >= 1, steps <= older else {
            throw StoreError.invalidArgument(field: "steps", value: String(steps),
                                             valid: older == 0 ? "none: \(name) keeps no older version" : "1...\(older)")
        }
        return try await activateModelVersion(name, version: versions[current + steps].int(0) ?? 0)
    }
}
