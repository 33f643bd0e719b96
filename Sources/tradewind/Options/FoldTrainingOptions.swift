import ArgumentParser
import Foundation
import TradewindML
import TradewindModels

/// `tradewind optimize`'s options for the ML strategies (`ml-signal`, `ml-topk`): how the universal model is
/// retrained on each in-sample window (`ModelRetraining`), when no model is given.
struct FoldTrainingOptions: ParsableArguments {
    @Option(help: "ML strategies: epochs each in-sample window's model trains.") var trainEpochs = 80
    @Option(help: "ML strategies: training batch size.") var trainBatchSize = 64
    @Option(help: "ML strategies: seed of the initial weights, shuffles and dropout.") var trainSeed: UInt64 = 42
    @Option(help: "ML strategies: layer widths (BiGRU 1, BiGRU 2, attention, dense 1, dense 2).") var trainWidths = "128,64,64,128,64"
    @Option(help: "ML strategies: window length (bars).") var trainWindow = 60
    @Option(help: "ML strategies: where each fitted model is saved and kept, as DIR/<hash>/universal.json (default: a folder of this run's in the temporary directory, removed at the end).")
    var foldModels: String?

    /// The settings that decide a retrained model, for a resume file's job identity.
    var identity: String {
        "train_epochs=\(trainEpochs),train_batch_size=\(trainBatchSize),train_seed=\(trainSeed),train_widths=\(trainWidths),train_window=\(trainWindow)"
    }

    /// Removes `retraining`'s models when they went to this run's own temporary folder (no `--fold-models`).
    func removeTemporaryModels(of retraining: ModelRetraining) {
        if foldModels == nil { try? FileManager.default.removeItem(atPath: retraining.directory) }
    }

    /// The retraining these options describe.
    func retraining() throws -> ModelRetraining {
        let settings = UniversalTrainingSettings(epochs: trainEpochs, batchSize: trainBatchSize, seed: trainSeed,
                                                 architecture: try ModelWidths.architecture(trainWidths, flag: "--train-widths"))
        let directory = foldModels ?? FileManager.default.temporaryDirectory.appendingPathComponent("tradewind-fold-models-\(UUID().uuidString)").path
        return ModelRetraining(settings: settings, dataset: DatasetConfiguration(window: trainWindow), directory: directory)
    }
}

/// The `--widths` text of the ML commands: five comma-separated layer widths.
enum ModelWidths {
    static func architecture(_ text: String, flag: String = "--widths") throws -> UniversalBiGRU.Architecture {
        let w = text.split(separator: ",").compactMap { Int($0) }
        guard w.count == 5 else { throw ValidationError("\(flag) \(text): expected five comma-separated integers") }
        return .init(firstRecurrent: w[0], secondRecurrent: w[1], attentionUnits: w[2], firstDense: w[3], secondDense: w[4])
    }
}
