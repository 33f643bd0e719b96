import Foundation
import Testing
import TradewindStore

/// The automatic rollback's activation: a compare-and-set on the active version, the same on SQLite and PostgreSQL.
@Suite("Store model activation by compare-and-set (both backends)")
struct ModelActivationCompareAndSetTests {
    @Test(arguments: StoreBackend.allCases)
    func theParentIsActivatedOnlyWhileTheScoredVersionIsStillActive(_ backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        defer { Task { await store.close() } }
        for archive in ["a-bytes", "b-bytes", "c-bytes"] {
            _ = try await store.addModelVersion(ModelVersionStoreTests.version("universal", archive: archive), activate: true, keep: 7)
        }
        // A rollback check scored v3 against v2; a deploy (v4) landed meanwhile: the check changes nothing.
        _ = try await store.addModelVersion(ModelVersionStoreTests.version("universal", archive: "d-bytes"), activate: true, keep: 7)
        #expect(try await store.activateModelVersion("universal", version: 2, ifActive: 3) == nil)
        #expect(try await store.modelVersion("universal", version: nil)?.version == 4)
        // While v4 is the active one, the same swap to its parent succeeds, and exactly one version is active.
        let activated = try #require(try await store.activateModelVersion("universal", version: 3, ifActive: 4))
        #expect(activated.version == 3 && activated.active)
        let active = try await store.modelVersions("universal", page: PageRequest(limit: 10)).items.filter(\.active).map(\.version)
        #expect(active == [3])
        // A refused or missing target is never activated.
        var refused = ModelVersionStoreTests.version("universal", archive: "e-bytes", accuracy: 0.1)
        refused.refusal = "accuracy 0.1 < 0.5 required"
        let stored = try await store.addModelVersion(refused, activate: false, keep: 7)
        #expect(try await store.activateModelVersion("universal", version: stored.version, ifActive: 3) == nil)
        #expect(try await store.modelVersion("universal", version: nil)?.version == 3)
        await #expect(throws: StoreError.self) { try await store.activateModelVersion("universal", version: 99, ifActive: 3) }
    }
}
