import Foundation
import Testing
import TradewindCore
import TradewindML
@testable import TradewindModels

/// Automatic rollback on the file registry (the store's registry runs the same scenarios in TradewindServerTests'
/// `StoreAutomaticRollbackTests`): a model that always predicts the out-of-sample majority direction is the healthy
/// version, one that always predicts the minority direction the degraded one.
@Suite struct AutomaticRollbackTests {
    /// The fixture's tables, the trained model and its always-majority and always-minority variants, with their
    /// accuracies on the windows after the training range.
    struct Scenario {
        let tables: [FeatureTable]
        let majority: UniversalModel, minority: UniversalModel
        let majorityAccuracy: Double, minorityAccuracy: Double
        let samples: Int
        /// The distinct decision dates of those windows.
        let dates: Int
        let hash: String
    }

    /// `model` as one whose data ended with its training range (the scenarios score the windows after it; a trained
    /// model's validation windows come after that and are never scored).
    static func seenThroughItsTrainingRange(_ model: UniversalModel) -> UniversalModel {
        var config = model.config
        config.dataThrough = config.trainingThrough
        return UniversalModel(config: config, weights: model.weights)
    }

    static func scenario() throws -> Scenario {
        let (_, run) = try UniversalTrainingTests.trained()
        let tables = try FeatureFixture.tables()
        let c = run.model.config
        let samples = AutomaticRollback.samples(tables, window: c.dataset.window, after: c.trainingThrough)
        let labels = UniversalDataset.windowSet(tables, scaler: c.scaler, samples: samples, configuration: c.dataset).labels
        var counts = [0, 0, 0]
        for y in labels { counts[y] += 1 }
        let most = counts.indices.max { counts[$0] < counts[$1] }!, least = counts.indices.min { counts[$0] < counts[$1] }!
        #expect(Double(counts[least]) < 0.95 * Double(counts[most]))
        return Scenario(
            tables: tables,
            majority: seenThroughItsTrainingRange(try ContinualLearningTests.alwaysPredicting(Direction(rawValue: most)!, from: run.model)),
            minority: seenThroughItsTrainingRange(try ContinualLearningTests.alwaysPredicting(Direction(rawValue: least)!, from: run.model)),
            majorityAccuracy: Double(counts[most]) / Double(samples.count), minorityAccuracy: Double(counts[least]) / Double(samples.count),
            samples: samples.count, dates: Set(samples.map { tables[$0.symbol].time[$0.row] }).count,
            hash: ModelRegistryEntry.datasetHash(tables))
    }

    /// v1 healthy, v2 a refused candidate, v3 degraded and active: the check rolls back past the refused v2 to v3's
    /// parent v1, and the next check (v1 has no parent) leaves v1 active.
    static func aDegradedVersionIsRolledBack(_ registry: any ModelRegistry) async throws {
        let s = try scenario()
        let gate = try ValidationGate(threshold: 0.95)
        _ = try await registry.register(s.majority, name: "universal", datasetHash: s.hash, activate: true)
        _ = try await registry.register(s.minority, name: "universal", datasetHash: s.hash, activate: false, refusal: "worse")
        let v3 = try await registry.register(s.minority, name: "universal", datasetHash: s.hash, activate: true)
        #expect(v3.version == 3 && v3.parentVersion == 1)
        let check = try await registry.checkRollback("universal", tables: s.tables, gate: gate, minimumDates: 1)
        #expect(check.verdict == .rolledBack && check.active == 3 && check.previous == 1 && check.samples == s.samples)
        #expect(check.decision?.candidateAccuracy == s.minorityAccuracy && check.decision?.currentAccuracy == s.majorityAccuracy)
        #expect(check.decision?.deploy == false)
        #expect(check.message.contains("rolled back from v3 to v1") && check.message.contains(String(format: "%.4f", s.minorityAccuracy))
            && check.message.contains(String(format: "%.4f", s.majorityAccuracy)))
        let now = try await registry.model("universal")
        #expect(now.record.version == 1 && now.model.weights == s.majority.weights)
        let again = try await registry.checkRollback("universal", tables: s.tables, gate: gate, minimumDates: 1)
        #expect(again.verdict == .skipped && again.previous == nil)
        #expect(try await registry.model("universal").record.version == 1)
    }

    /// v1 degraded, v2 healthy and active: v2 is kept.
    static func aHealthyVersionIsKept(_ registry: any ModelRegistry) async throws {
        let s = try scenario()
        _ = try await registry.register(s.minority, name: "universal", datasetHash: s.hash, activate: true)
        _ = try await registry.register(s.majority, name: "universal", datasetHash: s.hash, activate: true)
        let check = try await registry.checkRollback("universal", tables: s.tables, gate: ValidationGate(threshold: 0.95), minimumDates: 1)
        #expect(check.verdict == .kept && check.active == 2 && check.previous == 1)
        #expect(check.decision?.candidateAccuracy == s.majorityAccuracy && check.decision?.deploy == true)
        #expect(check.message.contains("kept v2"))
        #expect(try await registry.model("universal").record.version == 2)
    }

    /// No active version, a version without a parent, too few new windows: nothing happens.
    static func withoutAPreviousVersionNothingHappens(_ registry: any ModelRegistry) async throws {
        let s = try scenario()
        let gate = try ValidationGate(threshold: 0.95)
        #expect(try await registry.checkRollback("universal", tables: s.tables, gate: gate).verdict == .skipped)
        _ = try await registry.register(s.majority, name: "universal", datasetHash: s.hash, activate: true)
        let alone = try await registry.checkRollback("universal", tables: s.tables, gate: gate, minimumDates: 1)
        #expect(alone.verdict == .skipped && alone.active == 1 && alone.previous == nil && alone.decision == nil)
        // A degraded v2, but its windows after both training ranges span fewer dates than asked for: it stays. The
        // minimum counts dates, not windows: the fixture's symbols share their dates, so there are more windows
        // than the dates asked for.
        _ = try await registry.register(s.minority, name: "universal", datasetHash: s.hash, activate: true)
        #expect(s.samples > s.dates + 1)
        let few = try await registry.checkRollback("universal", tables: s.tables, gate: gate, minimumDates: s.dates + 1)
        #expect(few.verdict == .skipped && few.samples == s.samples && few.dates == s.dates && few.decision == nil && few.previous == 1)
        #expect(few.message.contains("\(s.samples) windows on \(s.dates) dates"), "\(few.message)")
        #expect(try await registry.model("universal").record.version == 2)
    }

    /// keep 1: the degraded v2's parent is no longer kept, so it stays (a rollback never reaches past retention).
    static func neverPastTheRetentionWindow(_ registry: any ModelRegistry) async throws {
        #expect(registry.keep == 1)
        let s = try scenario()
        _ = try await registry.register(s.majority, name: "universal", datasetHash: s.hash, activate: true)
        _ = try await registry.register(s.minority, name: "universal", datasetHash: s.hash, activate: true)
        let check = try await registry.checkRollback("universal", tables: s.tables, gate: ValidationGate(threshold: 0.95), minimumDates: 1)
        #expect(check.verdict == .skipped && check.active == 2 && check.message.contains("no longer kept"))
        #expect(try await registry.model("universal").record.version == 2)
    }

    static func directory() -> String { ModelDirectoryTests.temporaryPath() }

    @Test func aDegradedActiveVersionIsRolledBackToItsParent() async throws {
        let path = Self.directory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await Self.aDegradedVersionIsRolledBack(ModelDirectory(path))
        #expect(try ModelDirectory(path).current().weights == (try Self.scenario()).majority.weights)
    }

    @Test func aHealthyActiveVersionIsKept() async throws {
        let path = Self.directory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await Self.aHealthyVersionIsKept(ModelDirectory(path))
    }

    @Test func withoutAPreviousVersionOrEnoughNewDataNothingHappens() async throws {
        let path = Self.directory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await Self.withoutAPreviousVersionNothingHappens(ModelDirectory(path))
    }

    @Test func aRollbackNeverReachesPastTheRetentionWindow() async throws {
        let path = Self.directory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await Self.neverPastTheRetentionWindow(ModelDirectory(path, keep: 1))
    }

    @Test func windowsEitherVersionWasValidatedOnAreNotScored() async throws {
        let (_, run) = try UniversalTrainingTests.trained()
        let s = try Self.scenario()
        let validatedThrough = try #require(run.model.config.dataThrough)
        #expect(validatedThrough > run.model.config.trainingThrough, "the trained model's validation windows follow its training range")
        let later = AutomaticRollback.samples(s.tables, window: run.model.config.dataset.window, after: validatedThrough)
        #expect(later.count < s.samples)
        // The degraded version saw its validation windows: only the windows after them are scored.
        let path = Self.directory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let registry = try ModelDirectory(path)
        let degraded = UniversalModel(config: run.model.config, weights: s.minority.weights)
        _ = try await registry.register(s.majority, name: "universal", datasetHash: s.hash, activate: true)
        _ = try await registry.register(degraded, name: "universal", datasetHash: s.hash, activate: true)
        let check = try await registry.checkRollback("universal", tables: s.tables, gate: try ValidationGate(threshold: 0.95),
                                                     minimumDates: 1)
        #expect(check.samples == later.count)
    }

    @Test func theModelDirectoryActivatesByCompareAndSet() async throws {
        let s = try Self.scenario()
        let path = Self.directory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let registry = try ModelDirectory(path)
        _ = try await registry.register(s.majority, name: "universal", datasetHash: s.hash, activate: true)
        _ = try await registry.register(s.minority, name: "universal", datasetHash: s.hash, activate: true)
        // A check that scored v1 while v2 was deployed changes nothing.
        #expect(try await registry.activate("universal", version: 1, ifActive: 1) == nil)
        #expect(try await registry.model("universal").record.version == 2)
        let activated = try #require(try await registry.activate("universal", version: 1, ifActive: 2))
        #expect(activated.version == 1 && activated.active)
        #expect(try ModelDirectory(path).current().weights == s.majority.weights)
    }

    @Test func onlyWindowsAfterTheTrainingRangeAreScored() throws {
        let s = try Self.scenario()
        let through = s.majority.config.trainingThrough
        let chosen = AutomaticRollback.samples(s.tables, window: s.majority.config.dataset.window, after: through)
        #expect(!chosen.isEmpty && chosen.allSatisfy { s.tables[$0.symbol].time[$0.row] > through && $0.row + 1 < s.tables[$0.symbol].count })
    }
}
