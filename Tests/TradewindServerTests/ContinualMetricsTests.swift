import Foundation
import HummingbirdTesting
import Testing
import TradewindCore
import TradewindModels
import TradewindStore
@testable import TradewindServer

/// Continual learning's metrics, scraped from `/metrics` of a real server (live HTTP): versions deployed, gate
/// refusals, automatic rollbacks, the active version's validation accuracy and the last update time.
@Suite("Server continual-learning metrics")
struct ContinualMetricsTests {
    /// The value of the first sample of `metric` with `labels` in a Prometheus text exposition.
    static func value(_ metric: String, _ labels: String, in text: String) -> Double? {
        let prefix = "\(metric){\(labels)} "
        return text.split(separator: "\n").first { $0.hasPrefix(prefix) }.flatMap { Double($0.dropFirst(prefix.count)) }
    }

    @Test func deploymentsRefusalsAndAnAutomaticRollbackShowOnMetrics() async throws {
        let server = try await TestServer.make()
        try await server.application().test(.live) { client in
            let model = #"model="universal""#
            // v1 deployed.
            let first = try await client.send(.post, "/api/train-all", body: ModelRouteTests.tiny)
            #expect(try await ModelRouteTests.finished(try #require(first.json["id"] as? Int), client: client) == "succeeded")
            var metrics = try await client.send(.get, "/metrics").text
            #expect(Self.value("tradewind_model_versions_deployed_total", model, in: metrics) == 1)
            let v1 = try await client.send(.get, "/api/models/universal").json
            let accuracy = try #require((v1["metrics"] as? [String: Any])?["accuracy"] as? Double)
            #expect(Self.value("tradewind_model_active_validation_accuracy", model, in: metrics) == accuracy)
            let updated = try #require(Self.value("tradewind_model_last_update_timestamp_seconds", model, in: metrics))
            #expect(abs(updated - Date().timeIntervalSince1970) < 600)

            // A candidate refused by the gate (twice the active accuracy required).
            let refused = try await client.send(.post, "/api/train-all",
                                                body: #"{"symbols":["KO"],"epochs":1,"widths":[4,2,2,4,2],"performance_threshold":2}"#)
            #expect(try await ModelRouteTests.finished(try #require(refused.json["id"] as? Int), client: client) == "succeeded")
            metrics = try await client.send(.get, "/metrics").text
            #expect(Self.value("tradewind_model_gate_refusals_total", model, in: metrics) == 1)
            #expect(Self.value("tradewind_model_versions_deployed_total", model, in: metrics) == 1)

            // v3 always predicts KO's out-of-sample majority direction, v4 (active) its minority one: the next
            // scheduled-style job rolls v4 back to v3 before it trains.
            let state = server.state
            let registry = StoreModelRegistry(store: state.store)
            let trained = try await registry.model("universal").model
            let market = try state.loader.load("sample:sp500-50", symbols: ["KO"], zone: .newYork, adjust: .raw, threads: .single)
            let tables = try UniversalFeatures.compute(market, symbols: ["KO"])
            let c = trained.config
            let samples = Set(AutomaticRollback.samples(tables, window: c.dataset.window, after: c.trainingThrough))
            #expect(Set(samples.map { tables[$0.symbol].time[$0.row] }).count >= JobScheduler.rollbackMinimumDates)
            let all = UniversalDataset.windows(tables, scaler: c.scaler, configuration: c.dataset, outcomeRequired: true)
            var counts = [0, 0, 0]
            for (i, s) in all.samples.enumerated() where samples.contains(s) { counts[all.labels[i]] += 1 }
            let most = counts.indices.max { counts[$0] < counts[$1] }!, least = counts.indices.min { counts[$0] < counts[$1] }!
            #expect(Double(counts[least]) < 0.95 * Double(counts[most]))
            let hash = ModelRegistryEntry.datasetHash(tables)
            _ = try await registry.register(try StoreAutomaticRollbackTests.alwaysPredicting(Direction(rawValue: most)!, from: trained),
                                            name: "universal", datasetHash: hash, activate: true)
            _ = try await registry.register(try StoreAutomaticRollbackTests.alwaysPredicting(Direction(rawValue: least)!, from: trained),
                                            name: "universal", datasetHash: hash, activate: true)
            let update = try await client.send(.post, "/api/train-all", body: #"""
                {"symbols":["KO"],"epochs":1,"mode":"incremental","performance_threshold":0.95,"automatic_rollback":true}
                """#)
            let id = try #require(update.json["id"] as? Int)
            #expect(try await ModelRouteTests.finished(id, client: client) == "succeeded")
            let log = try #require(try await client.send(.get, "/api/jobs/\(id)/log").json["items"] as? [[String: Any]])
            #expect(log.contains { ($0["message"] as? String)?.contains("rolled back from v4 to v3") == true })
            metrics = try await client.send(.get, "/metrics").text
            #expect(Self.value("tradewind_model_automatic_rollbacks_total", model, in: metrics) == 1)
            // The update then fine-tuned v3: v5 is deployed or refused, and its parent is v3.
            let versions = try #require(try await client.send(.get, "/api/models/universal/versions").json["items"] as? [[String: Any]])
            #expect(versions.first?["version"] as? Int == 5 && versions.first?["parent_version"] as? Int == 3)
        }
    }
}
