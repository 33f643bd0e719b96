import Testing
import TradewindCore
import TradewindData
import TradewindOptimizer
import TradewindStrategies
@testable import TradewindModels

/// `FoldTraining`, the one definition of `optimize`'s `--train-*` options and a server job's `train_*` fields:
/// defaults, checks naming the field, and the job identity a resume compares.
@Suite struct FoldTrainingTests {
    @Test func theDefaultsAreTheUniversalModelsAndItsDatasets() throws {
        let retraining = try FoldTraining().retraining(directory: "/tmp/x")
        #expect(retraining.settings == UniversalTrainingSettings())
        #expect(retraining.dataset == DatasetConfiguration())
        #expect(retraining.identity == "train_epochs=80,train_batch_size=64,train_seed=42,train_widths=128,64,64,128,64,train_window=60")
    }

    @Test func eachSettingOutOfRangeIsRefusedNamingItsField() {
        let cases: [(FoldTraining, String, String)] = [
            (FoldTraining(epochs: 0), "train_epochs", "1...10000"),
            (FoldTraining(batchSize: 70_000), "train_batch_size", "1...65536"),
            (FoldTraining(widths: "4,2,2,4"), "train_widths", "five comma-separated layer widths of 1...4096 units"),
            (FoldTraining(widths: "4,2,2,4,0"), "train_widths", "five comma-separated layer widths of 1...4096 units"),
            (FoldTraining(widths: "4,2,x,4,2"), "train_widths", "five comma-separated layer widths of 1...4096 units"),
            (FoldTraining(window: 1001), "train_window", "1...1000 bars"),
        ]
        for (training, field, valid) in cases {
            #expect(throws: OptimizerError.invalidArgument(name: field, value: Self.value(training, field), valid: valid)) {
                try training.retraining(directory: "/tmp/x")
            }
        }
    }

    static func value(_ t: FoldTraining, _ field: String) -> String {
        switch FoldTraining.Field(rawValue: field)! {
        case .epochs: return "\(t.epochs)"
        case .batchSize: return "\(t.batchSize)"
        case .seed: return "\(t.seed)"
        case .widths: return t.widths
        case .window: return "\(t.window)"
        }
    }

    @Test func onlyAnMLJobsIdentityCarriesTheTrainingSettings() throws {
        let bars = try ModelStrategyTests.market().series[0]
        let retraining = try FoldTraining(epochs: 3, widths: "4,2,2,4,2", window: 20).retraining(directory: "/tmp/x")
        func prepared(_ strategy: String) throws -> PreparedOptimization {
            try OptimizationRequest(strategy: strategy, data: "x", walkForward: "folds=2")
                .plan(catalog: ModelStrategies.catalog, zone: .newYork).prepared(for: MarketDataset([bars]))
        }
        let ml = try prepared("ml-signal")
        let retrained = try ml.retrained(by: retraining)
        #expect(retrained.job.inSampleFit != nil)
        #expect(retrained.key == ml.key + "|train_epochs=3,train_batch_size=64,train_seed=42,train_widths=4,2,2,4,2,train_window=20")
        let other = try prepared("sma-cross")
        #expect(try other.retrained(by: retraining).key == other.key)
        #expect(try other.retrained(by: retraining).job.inSampleFit == nil)
    }
}
