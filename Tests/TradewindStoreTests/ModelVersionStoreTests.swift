import Foundation
import Testing
import TradewindStore

/// The model registry's area, the same on SQLite and PostgreSQL.
@Suite("Store model versions (both backends)")
struct ModelVersionStoreTests {
    static func version(_ name: String, archive: String, accuracy: Double = 0.5) -> NewModelVersion {
        NewModelVersion(name: name, archive: Data(archive.utf8), sha256: String(repeating: String(archive.prefix(1)), count: 64),
                        datasetHash: String(repeating: "d", count: 64), config: #"{"model":"universal-bigru"}"#,
                        metrics: #"{"accuracy":\#(accuracy)}"#, trainingFrom: 1_000, trainingThrough: 2_000)
    }

    @Test(arguments: StoreBackend.allCases)
    func aRefusedCandidateIsStoredWithItsReasonListedAndNeverActivated(_ backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        defer { Task { await store.close() } }
        var refusedVersion = Self.version("universal", archive: "r-bytes", accuracy: 0.1)
        refusedVersion.refusal = "accuracy 0.1 < 0.5 required"
        await #expect(throws: StoreError.self) { try await store.addModelVersion(refusedVersion, activate: true, keep: 2) }
        _ = try await store.addModelVersion(Self.version("universal", archive: "a-bytes"), activate: true, keep: 2)
        let refused = try await store.addModelVersion(refusedVersion, activate: false, keep: 2)
        #expect(refused.version == 2 && !refused.active && refused.refusal == "accuracy 0.1 < 0.5 required")
        #expect(refused.metrics == #"{"accuracy":0.1}"# && refused.parentVersion == 1)
        _ = try await store.addModelVersion(Self.version("universal", archive: "b-bytes"), activate: true, keep: 2)
        for _ in 0..<2 { _ = try await store.addModelVersion(refusedVersion, activate: false, keep: 2) }
        // Each kind keeps its newest two: the refusals do not push out version 1.
        let versions = try await store.modelVersions("universal", page: PageRequest(limit: 10)).items
        #expect(versions.map(\.version) == [5, 4, 3, 1])
        #expect(versions.map { $0.refusal != nil } == [true, true, false, false])
        await #expect(throws: StoreError.self) { try await store.activateModelVersion("universal", version: 5) }
        #expect(try await store.modelVersion("universal", version: nil)?.version == 3)
        // Rollback passes over refused versions.
        #expect(try await store.rollbackModel("universal", steps: 1).version == 1)
        await #expect(throws: StoreError.self) { try await store.rollbackModel("universal", steps: 1) }
    }

    @Test(arguments: StoreBackend.allCases)
    func versionsAreNumberedPerNameWithParentsArchivesAndOneActive(_ backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        defer { Task { await store.close() } }
        #expect(try await store.modelVersion("universal", version: nil) == nil)
        let v1 = try await store.addModelVersion(Self.version("universal", archive: "a-bytes"), activate: true, keep: 7)
        let v2 = try await store.addModelVersion(Self.version("universal", archive: "b-bytes"), activate: true, keep: 7)
        let refused = try await store.addModelVersion(Self.version("universal", archive: "c-bytes"), activate: false, keep: 7)
        let other = try await store.addModelVersion(Self.version("small", archive: "e-bytes"), activate: true, keep: 7)
        let numbers: [Int] = [v1.version, v2.version, refused.version, other.version]
        #expect(numbers == [1, 2, 3, 1])
        let parents: [Int?] = [v1.parentVersion, v2.parentVersion, refused.parentVersion, other.parentVersion]
        #expect(parents == [nil, 1, 2, nil])
        #expect(v2.active && !refused.active && other.active)
        #expect(v2.sha256 == String(repeating: "b", count: 64) && v2.bytes == 7 && v2.trainingThrough == 2_000)
        #expect(v2.metrics == #"{"accuracy":0.5}"#)
        #expect(try await store.modelVersion("universal", version: nil)?.version == 2)
        #expect(try await store.modelVersion("universal", version: 1)?.active == false)
        #expect(try await store.modelArchive("universal", version: nil) == Data("b-bytes".utf8))
        #expect(try await store.modelArchive("universal", version: 3) == Data("c-bytes".utf8))
        #expect(try await store.modelArchive("universal", version: 9) == nil)
        #expect(try await store.modelNames() == ["small", "universal"])
        let page = try await store.modelVersions("universal", page: PageRequest(limit: 2))
        #expect(page.items.map(\.version) == [3, 2] && page.total == 3)
        await #expect(throws: StoreError.self) {
            try await store.addModelVersion(Self.version("bad name", archive: "x"), activate: true, keep: 7)
        }
        await #expect(throws: StoreError.self) {
            try await store.addModelVersion(Self.version("universal", archive: "x"), activate: true, keep: 0)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func rollbackGoesBackAnyNumberOfStepsAndRetentionKeepsTheActiveVersion(_ backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        defer { Task { await store.close() } }
        for archive in ["a", "b", "c", "d"] {
            _ = try await store.addModelVersion(Self.version("universal", archive: archive), activate: true, keep: 7)
        }
        await #expect(throws: StoreError.invalidArgument(field: "steps", value: "4", valid: "1...3")) {
            try await store.rollbackModel("universal", steps: 4)
        }
        let back = try await store.rollbackModel("universal", steps: 3)
        #expect(back.version == 1 && back.active)
        #expect(try await store.modelVersion("universal", version: nil)?.version == 1)
        await #expect(throws: StoreError.self) { try await store.rollbackModel("universal", steps: 1) }
        await #expect(throws: StoreError.notFound(kind: "active model version", id: "none")) {
            try await store.rollbackModel("none", steps: 1)
        }
        // Keep 2: the two newest and the active version 1 remain; versions 2 to 4 go (a new one is 5).
        let v5 = try await store.addModelVersion(Self.version("universal", archive: "e"), activate: false, keep: 2)
        #expect(v5.version == 5 && v5.parentVersion == 1)
        let kept = try await store.modelVersions("universal", page: PageRequest()).items
        #expect(kept.map(\.version) == [5, 4, 1])
        #expect(kept.map(\.active) == [false, false, true])
        // Numbers are never reused after a removal.
        let v6 = try await store.addModelVersion(Self.version("universal", archive: "f"), activate: true, keep: 2)
        #expect(v6.version == 6 && v6.active)
        #expect(try await store.modelVersions("universal", page: PageRequest()).items.map(\.version) == [6, 5])
        await #expect(throws: StoreError.notFound(kind: "model version", id: "universal 1")) {
            try await store.activateModelVersion("universal", version: 1)
        }
    }
}
