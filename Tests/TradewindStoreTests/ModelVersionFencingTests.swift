import Foundation
import Testing
import TradewindStore

/// A training job registers its model fenced on holding the job, in the insert's own transaction: once another
/// server took the job over, the former holder's register is refused with `JobTakenOver` and changes nothing of the
/// registry; the new holder's goes through. The same on SQLite and PostgreSQL.
@Suite("Store model versions fenced on the job's holder (both backends)")
struct ModelVersionFencingTests {
    @Test(arguments: StoreBackend.allCases)
    func aFormerHoldersRegisterAfterATakeoverIsRefusedAndChangesNothing(_ backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        defer { Task { await store.close() } }
        let (a, b) = (JobFencingStoreTests.a, JobFencingStoreTests.b)
        // A registers v1 while it holds the job; then B takes the job over.
        var first: StoredModelVersion?
        let job = try await JobFencingStoreTests.takenOver(store, symbols: []) { job in
            first = try await store.addModelVersion(ModelVersionStoreTests.version("universal", archive: "a-bytes"), activate: true,
                                                    keep: 1, heldBy: JobHold(jobID: job.id, owner: a))
        }
        #expect(first?.version == 1 && first?.active == true)
        let before = try await store.modelVersions("universal", page: PageRequest(limit: 10)).items

        // A, back, registers what it trained (deployed or refused, with retention that would drop v1): refused, typed,
        // and the registry is as it was. So is a first register of another name (no version of it to answer with).
        let refused = JobTakenOver(jobID: job.id, owner: a)
        await #expect(throws: refused) {
            try await store.addModelVersion(ModelVersionStoreTests.version("universal", archive: "b-bytes"), activate: true, keep: 1,
                                            heldBy: JobHold(jobID: job.id, owner: a))
        }
        var candidate = ModelVersionStoreTests.version("universal", archive: "c-bytes")
        candidate.refusal = "accuracy 0.1 < 0.5 required"
        await #expect(throws: refused) {
            try await store.addModelVersion(candidate, activate: false, keep: 1, heldBy: JobHold(jobID: job.id, owner: a))
        }
        await #expect(throws: refused) {
            try await store.addModelVersion(ModelVersionStoreTests.version("other", archive: "d-bytes"), activate: true, keep: 1,
                                            heldBy: JobHold(jobID: job.id, owner: a))
        }
        #expect(try await store.modelVersions("universal", page: PageRequest(limit: 10)).items == before)
        #expect(try await store.modelNames() == ["universal"])

        // B's register goes through: v2, active, v1 dropped by retention (keep 1).
        let second = try await store.addModelVersion(ModelVersionStoreTests.version("universal", archive: "e-bytes"), activate: true,
                                                     keep: 1, heldBy: JobHold(jobID: job.id, owner: b))
        #expect(second.version == 2 && second.active && second.parentVersion == 1)
        #expect(try await store.modelVersions("universal", page: PageRequest(limit: 10)).items.map(\.version) == [2])

        // Once B ended the job, B's register is refused too.
        try await store.finishJob(job.id, owner: b, status: .succeeded, failure: nil)
        await #expect(throws: JobTakenOver(jobID: job.id, owner: b)) {
            try await store.addModelVersion(ModelVersionStoreTests.version("universal", archive: "f-bytes"), activate: true, keep: 1,
                                            heldBy: JobHold(jobID: job.id, owner: b))
        }
        #expect(try await store.modelVersion("universal", version: nil)?.version == 2)
    }
}
