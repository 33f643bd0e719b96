import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import HummingbirdWSTesting
import Testing
import TradewindModels
@testable import TradewindServer

/// The model registry's routes and training jobs, on a tiny network (widths 4,2,2,4,2) and one symbol, so a
/// training run takes about a second.
@Suite("Server models and training")
struct ModelRouteTests {
    static let tiny = #"{"symbols":["KO"],"epochs":2,"widths":[4,2,2,4,2],"performance_threshold":0}"#

    /// Polls a job until it ends (at most 60 s).
    static func finished(_ id: Int, client: any TestClientProtocol) async throws -> String {
        for _ in 0..<600 {
            let status = try await client.send(.get, "/api/jobs/\(id)").json["status"] as? String ?? ""
            if ["succeeded", "failed", "cancelled"].contains(status) { return status }
            try await Task.sleep(for: .milliseconds(100))
        }
        return "timed out"
    }

    @Test func aTrainingJobStreamsEpochsRegistersAVersionAndServesItsDownloadAndHash() async throws {
        let server = try await TestServer.make()
        try await server.application().test(.live) { client in
            let messages = try await LiveProgressTests.messages(of: #"{"kind":"training","request":\#(Self.tiny)}"#, client: client)
            let types = messages.map(\.0)
            #expect(types.last == "job.finished")
            let epochs = messages.filter { $0.0 == "training.epoch" }.map(\.1)
            #expect(epochs.contains { $0["epoch"] as? Int == 2 && $0["validation_accuracy"] is Double && $0["loss"] is Double })
            #expect(epochs.last?["status"] as? String == "completed" && epochs.last?["version"] as? Int == 1)

            let status = try await client.send(.get, "/api/training-status/universal").json
            #expect(status["status"] as? String == "completed" && status["epoch"] as? Int == 2 && status["epochs"] as? Int == 2)
            #expect(status["accuracy"] is Double && status["loss"] is Double)

            let hash = try await client.send(.get, "/api/models/universal/hash")
            #expect(hash.status == .ok && hash.json["version"] as? Int == 1)
            let download = try await client.execute(uri: "/api/models/universal/download", method: .get) { $0 }
            #expect(download.status == .ok && download.headers[.contentType] == "application/zip")
            let bytes = Data(buffer: download.body)
            #expect(SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined() == hash.json["sha256"] as? String)
            let model = try ModelArchive.model(from: bytes)
            #expect(model.config.symbols == ["KO"] && model.config.epochsRun == 2)

            let listed = try await client.send(.get, "/api/models").json
            #expect(listed["total"] as? Int == 1)
            let metrics = try await client.send(.get, "/metrics").text
            #expect(metrics.contains(#"tradewind_training_epochs_total{model="universal"} 2"#))
            #expect(metrics.contains(#"tradewind_training_runs_total{model="universal",outcome="completed"} 1"#))
            #expect(metrics.contains(#"tradewind_training_validation_accuracy{model="universal"}"#))
        }
    }

    @Test func trainAllAddsAVersionWithItsParentAndRollbackRestoresTheOlderOne() async throws {
        let server = try await TestServer.make()
        try await server.application().test(.live) { client in
            #expect(try await client.send(.get, "/api/training-status/universal").json["status"] as? String == "idle")
            for expected in [1, 2] {
                let job = try await client.send(.post, "/api/train-all", body: Self.tiny)
                #expect(job.status == .created && job.json["kind"] as? String == "training")
                #expect(try await Self.finished(try #require(job.json["id"] as? Int), client: client) == "succeeded")
                #expect(try await client.send(.get, "/api/models/universal").json["version"] as? Int == expected)
            }
            let versions = try await client.send(.get, "/api/models/universal/versions").json
            let items = try #require(versions["items"] as? [[String: Any]])
            #expect(items.map { $0["version"] as? Int } == [2, 1])
            #expect(items.first?["parent_version"] as? Int == 1 && (items.first?["dataset_hash"] as? String)?.count == 64)
            let first = try await client.send(.get, "/api/models/universal/hash?version=1").json["sha256"] as? String

            let back = try await client.send(.post, "/api/models/universal/rollback", body: #"{"steps":1}"#)
            #expect(back.status == .ok && back.json["version"] as? Int == 1 && back.json["active"] as? Bool == true)
            #expect(try await client.send(.get, "/api/models/universal/hash").json["sha256"] as? String == first)
            let tooFar = try await client.send(.post, "/api/models/universal/rollback", body: #"{"steps":1}"#)
            #expect(tooFar.status == .badRequest && tooFar.json["field"] as? String == "steps")

            // An incremental update fine-tunes the active version (v1) into v3.
            let update = try await client.send(.post, "/api/train-all",
                                               body: #"{"symbols":["KO"],"epochs":1,"mode":"incremental","performance_threshold":0}"#)
            #expect(try await Self.finished(try #require(update.json["id"] as? Int), client: client) == "succeeded")
            let v3 = try await client.send(.get, "/api/models/universal").json
            #expect(v3["version"] as? Int == 3 && v3["parent_version"] as? Int == 1)
        }
    }

    @Test func aCandidateTheGateRefusesIsListedWithItsReasonAndNeverActive() async throws {
        let server = try await TestServer.make()
        try await server.application().test(.live) { client in
            let first = try await client.send(.post, "/api/train-all", body: Self.tiny)
            #expect(try await Self.finished(try #require(first.json["id"] as? Int), client: client) == "succeeded")
            // Twice the active version's accuracy is required: the gate refuses the candidate.
            let refused = try await client.send(.post, "/api/train-all",
                                                body: #"{"symbols":["KO"],"epochs":2,"widths":[4,2,2,4,2],"performance_threshold":2}"#)
            #expect(try await Self.finished(try #require(refused.json["id"] as? Int), client: client) == "succeeded")
            let status = try await client.send(.get, "/api/training-status/universal").json
            #expect(status["status"] as? String == "refused")
            let items = try #require(try await client.send(.get, "/api/models/universal/versions").json["items"] as? [[String: Any]])
            #expect(items.map { $0["version"] as? Int } == [2, 1])
            #expect(items[0]["active"] as? Bool == false && items[1]["active"] as? Bool == true)
            #expect((items[0]["refusal"] as? String)?.hasPrefix("refused by the validation gate") == true)
            #expect(items[1]["refusal"] is NSNull && (items[0]["metrics"] as? [String: Any])?["accuracy"] is Double)
            #expect(try await client.send(.get, "/api/models/universal").json["version"] as? Int == 1)
            // Rollback passes over it: no older deployable version than v1.
            let back = try await client.send(.post, "/api/models/universal/rollback", body: #"{"steps":1}"#)
            #expect(back.status == .badRequest)
        }
    }

    @Test func badModelRequestsAreFourHundredsNamingTheField() async throws {
        let server = try await TestServer.make()
        try await server.application().test(.router) { client in
            let unknown = try await client.send(.post, "/api/train-all", body: #"{"epoch":3}"#)
            #expect(unknown.status == .badRequest && unknown.json["field"] as? String == "epoch")
            let widths = try await client.send(.post, "/api/jobs", body: #"{"kind":"training","request":{"widths":[1,2]}}"#)
            #expect(widths.status == .badRequest && widths.json["field"] as? String == "widths")
            let mode = try await client.send(.post, "/api/train-all", body: #"{"mode":"sometimes"}"#)
            #expect(mode.status == .badRequest && mode.json["field"] as? String == "mode")
            let data = try await client.send(.post, "/api/train-all", body: #"{"data":"sample:nope"}"#)
            #expect(data.status == .badRequest && data.text.contains("nope"))
            #expect(try await client.send(.get, "/api/models/universal/hash").status == .notFound)
            #expect(try await client.send(.get, "/api/models/universal/download?version=0").status == .badRequest)
            #expect(try await client.send(.get, "/api/models/bad%20name/hash").status == .badRequest)
            #expect(try await client.send(.post, "/api/models/universal/rollback").status == .notFound)
        }
    }
}
