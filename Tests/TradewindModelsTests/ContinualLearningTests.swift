import Foundation
import Testing
import TradewindCore
import TradewindML
@testable import TradewindModels

@Suite struct ContinualLearningTests {
    /// `model` with its class head replaced so that it always predicts `direction`.
    static func alwaysPredicting(_ direction: Direction, from model: UniversalModel) throws -> UniversalModel {
        var weights = model.weights
        let w = try #require(weights["classes.weight"])
        weights["classes.weight"] = try Tensor<Float>.zeros(w.shape)
        weights["classes.bias"] = try Tensor(shape: [3], scalars: Direction.allCases.map { $0 == direction ? 10 : -10 })
        return UniversalModel(config: model.config, weights: weights)
    }

    @Test func theValidationGateRefusesAWorseModelAndAdmitsAnEqualOne() throws {
        let (data, run) = try UniversalTrainingTests.trained()
        var counts = [0, 0, 0]
        for y in data.validation.labels { counts[y] += 1 }
        let majority = Direction(rawValue: counts.indices.max { counts[$0] < counts[$1] }!)!
        let minority = Direction(rawValue: counts.indices.min { counts[$0] < counts[$1] }!)!
        #expect(Double(counts[minority.rawValue]) < 0.95 * Double(counts[majority.rawValue]))
        let current = try Self.alwaysPredicting(majority, from: run.model)
        let worse = try Self.alwaysPredicting(minority, from: run.model)
        let gate = try ValidationGate(threshold: 0.95)
        let refused = try gate.judge(candidate: worse, current: current, tables: FeatureFixture.tables(), samples: data.validation.samples)
        #expect(!refused.deploy)
        #expect(refused.currentAccuracy == Double(counts[majority.rawValue]) / Double(data.validation.count))
        #expect(refused.candidateAccuracy == Double(counts[minority.rawValue]) / Double(data.validation.count))
        let tables = try FeatureFixture.tables()
        #expect(try gate.judge(candidate: current, current: current, tables: tables, samples: data.validation.samples).deploy)
        #expect(try gate.judge(candidate: current, current: worse, tables: tables, samples: data.validation.samples).deploy)
    }

    @Test func anIncrementalUpdateServesTheCandidateOnlyWhenTheGateAdmitsIt() throws {
        let (_, run) = try UniversalTrainingTests.trained()
        let tables = try FeatureFixture.tables()
        for threshold in [0.0, 2.0] {
            let outcome = try ContinualLearning.incrementalUpdate(current: run.model, tables: tables, updateWindow: 30, epochs: 1,
                                                    gate: ValidationGate(threshold: threshold))
            #expect(outcome.decision.deploy == (threshold == 0))
            #expect(outcome.serving.weights == (threshold == 0 ? outcome.candidate.weights : run.model.weights))
            // Fine-tuned from the current weights with the current scaler.
            #expect(outcome.candidate.config.scaler == run.model.config.scaler)
            #expect(outcome.candidate.weights != run.model.weights)
        }
    }

    @Test func aFullRetrainStartsAfreshWithANewScalerAndIsGatedToo() throws {
        let (data, run) = try UniversalTrainingTests.trained()
        let outcome = try ContinualLearning.fullRetrain(current: run.model, tables: FeatureFixture.tables(), gate: ValidationGate(threshold: 0))
        #expect(outcome.decision.deploy && outcome.serving.weights == outcome.candidate.weights)
        #expect(outcome.candidate.config.scaler == data.scaler)
        #expect(outcome.candidate.config.training == run.model.config.training)
    }

    @Test func theScheduleUpdatesOnWeekdaysAfterTheCloseAndRetrainsOnSaturdayNight() throws {
        let schedule = try ContinualSchedule(dailyUpdateTime: "16:30", fullRetrainTime: "02:00", fullRetrainWeekday: 6)
        let zone = ZoneRules.newYork
        // Thursday 2024-03-07 12:00 New York → the update at 16:30 that day.
        var t = zone.instant(CivilDate(year: 2024, month: 3, day: 7)!, hour: 12, minute: 0)
        var seen: [(CivilDate, Int, ContinualSchedule.Action)] = []
        for _ in 0..<4 {
            let (next, action) = schedule.next(after: t)
            let local = zone.localNanos(fromUTC: next)
            seen.append((zone.localDate(of: next), Int(UnixTime.floorMod(local, UnixTime.nanosPerDay) / UnixTime.nanosPerMinute), action))
            t = next
        }
        #expect(seen.map(\.0) == [CivilDate(year: 2024, month: 3, day: 7)!, CivilDate(year: 2024, month: 3, day: 8)!,
                                   CivilDate(year: 2024, month: 3, day: 9)!, CivilDate(year: 2024, month: 3, day: 11)!])
        #expect(seen.map(\.1) == [990, 990, 120, 990])
        #expect(seen.map(\.2) == [.incrementalUpdate, .incrementalUpdate, .fullRetrain, .incrementalUpdate])
        #expect(throws: ModelError.invalidSetting(name: "dailyUpdateTime", value: "25:00", expected: "a time HH:MM")) {
            try ContinualSchedule(dailyUpdateTime: "25:00")
        }
    }

    @Test func aGateThresholdOutOfRangeIsATypedError() {
        #expect(throws: ModelError.invalidSetting(name: "performanceThreshold", value: "3.0", expected: "0...2")) {
            try ValidationGate(threshold: 3)
        }
    }
}

@Suite struct ModelDirectoryTests {
    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("tw-models-\(UUID().uuidString)").path
    }

    @Test func versionsAreNumberedWithParentsAndRollbackGoesBackAnyNumberOfSteps() async throws {
        let (_, run) = try UniversalTrainingTests.trained()
        let up = try ContinualLearningTests.alwaysPredicting(.up, from: run.model)
        let down = try ContinualLearningTests.alwaysPredicting(.down, from: run.model)
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let registry = try ModelDirectory(path)
        let hash = ModelRegistryEntry.datasetHash(try FeatureFixture.tables())
        await #expect(throws: ModelError.self) { try await registry.rollback("universal", steps: 1) }
        let v1 = try await registry.register(run.model, name: "universal", datasetHash: hash, activate: true)
        let v2 = try await registry.register(up, name: "universal", datasetHash: hash, activate: true)
        let v3 = try await registry.register(down, name: "universal", datasetHash: hash, activate: true)
        let numbers: [Int] = [v1.version, v2.version, v3.version]
        #expect(numbers == [1, 2, 3])
        let parents: [Int?] = [v1.parentVersion, v2.parentVersion, v3.parentVersion]
        #expect(parents == [nil, 1, 2])
        #expect(v3.sha256 == ModelArchive.sha256(try ModelArchive.archive(down)) && v3.datasetHash == hash && v3.active)
        #expect(try registry.current().weights == down.weights)
        #expect(try await registry.versions(of: "universal").map(\.version) == [3, 2, 1])
        // Two steps back: version 1 is active, and the directory's files are its.
        let back = try await registry.rollback("universal", steps: 2)
        #expect(back.version == 1 && back.active)
        #expect(try registry.current().weights == run.model.weights)
        #expect(try await registry.model("universal").record.version == 1)
        await #expect(throws: ModelError.self) { try await registry.rollback("universal", steps: 1) }
        // Any version's archive, not only the active one's.
        #expect(try await registry.model("universal", version: 2).model.weights == up.weights)
        await #expect(throws: ModelError.self) { try await registry.archive(of: "universal", version: 9) }
        await #expect(throws: ModelError.self) { try await registry.versions(of: "other") }
    }

    @Test func retentionKeepsTheNewestVersionsAndNeverTheActiveOne() async throws {
        let (_, run) = try UniversalTrainingTests.trained()
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let registry = try ModelDirectory(path, keep: 2)
        let hash = String(repeating: "a", count: 64)
        _ = try await registry.register(run.model, name: "universal", datasetHash: hash, activate: true)
        // Candidates recorded but not deployed: version 1 stays active and kept.
        for direction in [Direction.up, .down, .neutral] {
            _ = try await registry.register(try ContinualLearningTests.alwaysPredicting(direction, from: run.model), name: "universal",
                                            datasetHash: hash, activate: false)
        }
        let versions = try await registry.versions(of: "universal")
        #expect(versions.map(\.version) == [4, 3, 1])
        #expect(versions.map(\.active) == [false, false, true])
        // Only the kept versions' archives remain.
        let files = try FileManager.default.contentsOfDirectory(atPath: path + "/versions")
        #expect(Set(files) == Set(versions.map { $0.sha256 + ".zip" }))
        #expect(throws: ModelError.self) { try ModelDirectory(path, keep: 0) }
    }

    @Test func aRefusedCandidateIsRecordedWithItsReasonAndMetricsButNeverActive() async throws {
        let (_, run) = try UniversalTrainingTests.trained()
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let registry = try ModelDirectory(path, keep: 2)
        let hash = String(repeating: "a", count: 64)
        let up = try ContinualLearningTests.alwaysPredicting(.up, from: run.model)
        _ = try await registry.register(run.model, name: "universal", datasetHash: hash, activate: true)
        await #expect(throws: ModelError.self) {
            try await registry.register(up, name: "universal", datasetHash: hash, activate: true, refusal: "worse")
        }
        let refused = try await registry.register(up, name: "universal", datasetHash: hash, activate: false, refusal: "accuracy 0.1 < 0.5")
        #expect(refused.version == 2 && !refused.active && refused.refusal == "accuracy 0.1 < 0.5" && refused.parentVersion == 1)
        #expect(refused.metrics == (try ModelRegistryEntry(up)).metrics)
        let down = try ContinualLearningTests.alwaysPredicting(.down, from: run.model)
        _ = try await registry.register(down, name: "universal", datasetHash: hash, activate: true)
        // Two more refusals and a deployable version: each kind keeps its newest two.
        for reason in ["r4", "r5"] {
            _ = try await registry.register(up, name: "universal", datasetHash: hash, activate: false, refusal: reason)
        }
        let versions = try await registry.versions(of: "universal")
        #expect(versions.map(\.version) == [5, 4, 3, 1])
        #expect(versions.map(\.refusal) == ["r5", "r4", nil, nil] && versions.map(\.active) == [false, false, true, false])
        // Read back from disk, and rolled back past the refused candidates to version 1.
        #expect(try await ModelDirectory(path, keep: 2).versions(of: "universal") == versions)
        let back = try await registry.rollback("universal", steps: 1)
        #expect(back.version == 1 && back.active && back.refusal == nil)
        #expect(try registry.current().weights == run.model.weights)
    }

    @Test func aDirectoryFromBeforeTheRegistryBecomesVersionOne() async throws {
        let (_, run) = try UniversalTrainingTests.trained()
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try run.model.save(stem: UniversalModel.stem(in: path))
        let versions = try await ModelDirectory(path).versions(of: "universal")
        #expect(versions.map(\.version) == [1] && versions[0].active)
        #expect(versions[0].sha256 == ModelArchive.sha256(try ModelArchive.archive(run.model)))
    }

    @Test func theDatasetHashChangesWithAnyValueAndNotWithoutOne() throws {
        let tables = try FeatureFixture.tables()
        let hash = ModelRegistryEntry.datasetHash(tables)
        #expect(hash.count == 64 && hash == ModelRegistryEntry.datasetHash(tables))
        var values = tables[0].values
        values[values.count - 1] += 1e-9
        let altered = [FeatureTable(symbol: tables[0].symbol, time: tables[0].time, close: tables[0].close, values: values)]
            + tables.dropFirst()
        #expect(ModelRegistryEntry.datasetHash(altered) != hash)
    }
}
