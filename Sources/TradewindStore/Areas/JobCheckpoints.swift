import Crypto
import Foundation
import TradewindCore

/// A job's stored checkpoint: what it resumes from (a training job's last finished epoch).
public struct JobCheckpoint: Sendable, Equatable {
    public var jobID: Int64
    /// The epochs (or steps) the checkpoint has finished.
    public var epoch: Int
    /// The checkpoint's bytes (a training checkpoint: one safetensors file), checked against `sha256` when read.
    public var bytes: Data
    /// Lowercase hex SHA-256 of `bytes`.
    public var sha256: String
    public var writtenAt: UnixNanos
}

/// What refuses a stored checkpoint: its bytes do not hash to the SHA-256 stored with them (a damaged row).
public struct CorruptJobCheckpoint: Error, Equatable, Sendable, CustomStringConvertible {
    public var jobID: Int64
    public var epoch: Int
    public var stored: String
    public var computed: String

    public var description: String {
        "the stored checkpoint of job \(jobID) (epoch \(epoch)) is damaged: its bytes hash to sha256 \(computed), "
            + "not the \(stored) stored with them"
    }
}

/// The job-checkpoints area: one checkpoint per job, in the database itself, so that whichever server resumes the job
/// (on a shared PostgreSQL, another machine) finds it. Each write replaces the previous one in one transaction; the
/// row goes when the job is deleted.
public protocol JobCheckpointStore: Sendable {
    /// Stores `bytes` as job `id`'s checkpoint after `epoch`, replacing the one before, with its SHA-256 — only
    /// while `owner` holds the running job (`JobLeases.swift`); false when it does not (the job was taken over:
    /// nothing is written, so a server that lost a job never overwrites the new holder's checkpoint).
    func saveJobCheckpoint(_ id: Int64, owner: String, epoch: Int, bytes: Data) async throws -> Bool
    /// Job `id`'s checkpoint, nil when it has none; throws `CorruptJobCheckpoint` when its bytes do not match their
    /// SHA-256.
    func jobCheckpoint(_ id: Int64) async throws -> JobCheckpoint?
    /// Removes job `id`'s checkpoint (the job ended, or its checkpoint was refused).
    func deleteJobCheckpoint(_ id: Int64) async throws
}

extension StoreMigrations {
    /// Training checkpoints in the store, and the jobs' holders and leases by which servers on one database hand
    /// jobs over (`JobLeases.swift`).
    static let jobCheckpointsAndLeases = StoreMigration(id: "016-job-checkpoints-and-leases", statements: [
        "ALTER TABLE jobs ADD COLUMN owner TEXT",
        "ALTER TABLE jobs ADD COLUMN lease_until BIGINT",
        """
        CREATE TABLE job_checkpoints (job_id BIGINT PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
            epoch BIGINT NOT NULL, bytes {blob} NOT NULL, sha256 TEXT NOT NULL, written_at BIGINT NOT NULL)
        """,
    ])
}

extension SQLStore {
    /// Lowercase hex SHA-256 of `bytes`.
    static func sha256Hex(_ bytes: Data) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    public func saveJobCheckpoint(_ id: Int64, owner: String, epoch: Int, bytes: Data) async throws -> Bool {
        guard epoch >= 0 else { throw StoreError.invalidArgument(field: "epoch", value: String(epoch), valid: "0 or more") }
        let rows = try await transaction("checkpoints", [
            SQLStatement("""
                INSERT INTO job_checkpoints (job_id, epoch, bytes, sha256, written_at)
                SELECT id, ?, ?, ?, ? FROM jobs WHERE id = ? AND owner = ? AND status = 'running'
                ON CONFLICT (job_id) DO UPDATE SET epoch = excluded.epoch, bytes = excluded.bytes, sha256 = excluded.sha256,
                    written_at = excluded.written_at
                """, [.int(epoch), .blob(bytes), .text(Self.sha256Hex(bytes)), .integer(StoreClock.now()), .integer(id), .text(owner)]),
            Self.holding(id, by: owner),
        ])
        return (rows.first?.int(0) ?? 0) > 0
    }

    public func jobCheckpoint(_ id: Int64) async throws -> JobCheckpoint? {
        guard let row = try await read("checkpoints", """
            SELECT job_id, epoch, bytes, sha256, written_at FROM job_checkpoints WHERE job_id = ?
            """, [.integer(id)]).first else { return nil }
        let checkpoint = JobCheckpoint(jobID: row.int64(0) ?? id, epoch: row.int(1) ?? 0, bytes: row.blob(2) ?? Data(),
                                       sha256: row.string(3) ?? "", writtenAt: row.int64(4) ?? 0)
        let computed = Self.sha256Hex(checkpoint.bytes)
        guard computed == checkpoint.sha256 else {
            throw CorruptJobCheckpoint(jobID: id, epoch: checkpoint.epoch, stored: checkpoint.sha256, computed: computed)
        }
        return checkpoint
    }

    public func deleteJobCheckpoint(_ id: Int64) async throws {
        try await write("checkpoints", "DELETE FROM job_checkpoints WHERE job_id = ?", [.integer(id)])
    }
}
