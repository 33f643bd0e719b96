import Foundation
import Testing
import TradewindCore
import TradewindML
import TradewindModels
import TradewindStore
@testable import TradewindServer

/// Automatic rollback on the store's registry (SQLite; the file registry runs the same scenarios in
/// TradewindModelsTests' `AutomaticRollbackTests`): a model that always predicts the out-of-sample majority
/// direction is the healthy version, one that always predicts the minority direction the degraded one.
@Suite("Server automatic rollback on the store registry")
struct StoreAutomaticRollbackTests {
    struct Scenario: Sendable {
        let tables: [FeatureTable]
        let majority: UniversalModel, minority: UniversalModel
        let majorityAccuracy: Double, minorityAccuracy: Double
        let samples: Int
        let hash: String
    }

    /// Tests/Fixtures/models/universal_features.json's bars (real daily bars of a few symbols).
    struct Fixture: Decodable {
        struct Series: Decodable {
            let symbol: String
            let dates: [String]
            let open: [Double], high: [Double], low: [Double], close: [Double], volume: [Double]
        }
        let series: [Series]
    }

    static func tables() throws -> [FeatureTable] {
        var url = URL(fileURLWithPath: #filePath)
        while url.lastPathComponent != "Tests" { url.deleteLastPathComponent() }
        let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url.appendingPathComponent("Fixtures/models/universal_features.json")))
        return try fixture.series.map { s in
            try UniversalFeatures.compute(BarSeries(symbol: s.symbol, interval: .daily,
                                                    time: s.dates.map { UnixTime.midnightUTC(CivilDate(iso: $0)!) },
                                                    open: s.open, high: s.high, low: s.low, close: s.close, volume: s.volume))
        }
    }

    static func alwaysPredicting(_ direction: Direction, from model: UniversalModel) throws -> UniversalModel {
        var weights = model.weights
        let w = try #require(weights["classes.weight"])
        weights["classes.weight"] = try Tensor<Float>.zeros(w.shape)
        weights["classes.bias"] = try Tensor(shape: [3], scalars: Direction.allCases.map { $0 == direction ? 10 : -10 })
        // As one whose data ended with its training range: the scenario scores the windows after it.
        var config = model.config
        config.dataThrough = config.trainingThrough
        return UniversalModel(config: config, weights: weights)
    }

    static let shared = Result { () throws -> Scenario in
        let tables = try Self.tables()
        let data = try UniversalDataset.prepare(tables)
        let settings = UniversalTrainingSettings(
            epochs: 1, batchSize: 64, seed: 7,
            architecture: UniversalBiGRU.Architecture(firstRecurrent: 4, secondRecurrent: 2, attentionUnits: 2, firstDense: 4, secondDense: 2))
        let model = try UniversalTraining.train(data, settings: settings).model
        let c = model.config
        let samples = AutomaticRollback.samples(tables, window: c.dataset.window, after: c.trainingThrough)
        let labels = UniversalDataset.windows(tables, scaler: c.scaler, configuration: c.dataset, outcomeRequired: true)
        // The labels of the windows after the training range (the windows are in symbol then time order, as `samples`).
        let chosen = Set(samples)
        var counts = [0, 0, 0]
        for (i, s) in labels.samples.enumerated() where chosen.contains(s) { counts[labels.labels[i]] += 1 }
        let most = counts.indices.max { counts[$0] < counts[$1] }!, least = counts.indices.min { counts[$0] < counts[$1] }!
        return Scenario(tables: tables,
                        majority: try alwaysPredicting(Direction(rawValue: most)!, from: model),
                        minority: try alwaysPredicting(Direction(rawValue: least)!, from: model),
                        majorityAccuracy: Double(counts[most]) / Double(samples.count),
                        minorityAccuracy: Double(counts[least]) / Double(samples.count),
                        samples: samples.count, hash: ModelRegistryEntry.datasetHash(tables))
    }

    static func scenario() throws -> Scenario { try shared.get() }

    static func registry(keep: Int = 7) async throws -> (StoreModelRegistry, SQLStore) {
        let store = try await SQLStore.open((try TestServer.home() as NSString).appendingPathComponent("tradewind.sqlite"))
        return (try StoreModelRegistry(store: store, keep: keep), store)
    }

    @Test func aDegradedActiveVersionIsRolledBackToItsParent() async throws {
        let s = try Self.scenario()
        #expect(s.minorityAccuracy < 0.95 * s.majorityAccuracy)
        let (registry, store) = try await Self.registry()
        defer { Task { await store.close() } }
        let gate = try ValidationGate(threshold: 0.95)
        _ = try await registry.register(s.majority, name: "universal", datasetHash: s.hash, activate: true)
        _ = try await registry.register(s.minority, name: "universal", datasetHash: s.hash, activate: false, refusal: "worse")
        _ = try await registry.register(s.minority, name: "universal", datasetHash: s.hash, activate: true)
        let check = try await registry.checkRollback("universal", tables: s.tables, gate: gate, minimumDates: 1)
        #expect(check.verdict == .rolledBack && check.active == 3 && check.previous == 1 && check.samples == s.samples)
        #expect(check.decision?.candidateAccuracy == s.minorityAccuracy && check.decision?.currentAccuracy == s.majorityAccuracy)
        #expect(check.message.contains("rolled back from v3 to v1"))
        let now = try await registry.model("universal")
        #expect(now.record.version == 1 && now.model.weights == s.majority.weights)
        #expect(try await registry.checkRollback("universal", tables: s.tables, gate: gate, minimumDates: 1).verdict == .skipped)
    }

    @Test func aHealthyActiveVersionIsKept() async throws {
        let s = try Self.scenario()
        let (registry, store) = try await Self.registry()
        defer { Task { await store.close() } }
        _ = try await registry.register(s.minority, name: "universal", datasetHash: s.hash, activate: true)
        _ = try await registry.register(s.majority, name: "universal", datasetHash: s.hash, activate: true)
        let check = try await registry.checkRollback("universal", tables: s.tables, gate: ValidationGate(threshold: 0.95), minimumDates: 1)
        #expect(check.verdict == .kept && check.active == 2 && check.previous == 1 && check.decision?.deploy == true)
        #expect(try await registry.model("universal").record.version == 2)
    }

    @Test func withoutAPreviousVersionNothingHappensAndNeverPastRetention() async throws {
        let s = try Self.scenario()
        let gate = try ValidationGate(threshold: 0.95)
        let (registry, store) = try await Self.registry(keep: 1)
        defer { Task { await store.close() } }
        #expect(try await registry.checkRollback("universal", tables: s.tables, gate: gate).verdict == .skipped)
        _ = try await registry.register(s.majority, name: "universal", datasetHash: s.hash, activate: true)
        let alone = try await registry.checkRollback("universal", tables: s.tables, gate: gate, minimumDates: 1)
        #expect(alone.verdict == .skipped && alone.previous == nil)
        // keep 1: the degraded v2's parent is gone, so v2 stays.
        _ = try await registry.register(s.minority, name: "universal", datasetHash: s.hash, activate: true)
        let pruned = try await registry.checkRollback("universal", tables: s.tables, gate: gate, minimumDates: 1)
        #expect(pruned.verdict == .skipped && pruned.message.contains("no longer kept"))
        #expect(try await registry.model("universal").record.version == 2)
    }
}
