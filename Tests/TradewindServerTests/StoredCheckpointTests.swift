import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TradewindStore
@testable import TradewindServer

/// A training job's stored checkpoint that is damaged is refused with the reason in the job's log, removed, and the
/// job trains from its first epoch — never a trap, never a half-read checkpoint.
@Suite("Server training job with a damaged stored checkpoint")
struct StoredCheckpointTests {
    @Test func aDamagedStoredCheckpointIsRefusedLoggedRemovedAndTheJobStartsOver() async throws {
        let server = try await TestServer.make { $0.workers = 1 }
        let store = try #require(server.store as? SQLStore)
        // A job a server that died had checkpointed after epoch 1; then a byte of the row changed.
        let body = #"{"kind":"training","request":\#(ModelRouteTests.tiny)}"#
        let submission = try JSONDecoder().decode(JobSubmission.self, from: Data(body.utf8))
        let job = try await store.createJob(kind: .training, request: try JSON.string(submission))
        let ghost = "ghost-host 1 dead"
        _ = try #require(try await store.claimNextJob(owner: ghost, lease: 30))
        #expect(try await store.saveJobCheckpoint(job.id, owner: ghost, epoch: 1, bytes: Data(repeating: 7, count: 1000)))
        _ = try await store.database.write(SQLStatement("UPDATE job_checkpoints SET bytes = ? WHERE job_id = ?",
                                                        [.blob(Data(repeating: 8, count: 1000)), .integer(job.id)]))
        #expect(try await store.releaseJob(job.id, owner: ghost))

        try await server.application().test(.live) { client in
            #expect(try await ModelRouteTests.finished(Int(job.id), client: client) == "succeeded")
            let log = try await client.send(.get, "/api/jobs/\(job.id)/log?limit=1000").json["items"] as? [[String: Any]] ?? []
            let messages = log.compactMap { $0["message"] as? String }
            #expect(messages.contains { $0.contains("the stored checkpoint of job \(job.id) (epoch 1) is damaged")
                && $0.hasSuffix("it is removed and training starts over from epoch 1") }, "\(messages)")
            #expect(!messages.contains { $0.hasPrefix("resuming training") })
            // Both epochs trained here and checkpointed, then the checkpoint went with the finished job.
            #expect(messages.filter { $0.hasPrefix("checkpoint after epoch ") }.count == 2, "\(messages)")
            #expect(try await store.jobCheckpoint(job.id) == nil)
        }
    }
}
