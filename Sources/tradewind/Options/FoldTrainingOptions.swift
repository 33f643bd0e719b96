import ArgumentParser
import Foundation
import TradewindML
import TradewindModels
import TradewindOptimizer

/// `tradewind optimize`'s options for the ML strategies (`ml-signal`, `ml-topk`): how the universal model is
/// retrained on each in-sample window, when no model is given. Parsing only: the settings, their defaults and checks
/// are `FoldTraining`'s (a server job's `train_*` fields are the same).
struct FoldTrainingOptions: ParsableArguments {
    @Option(help: "ML strategies: epochs each in-sample window's model trains.") var trainEpochs = FoldTraining().epochs
    @Option(help: "ML strategies: training batch size.") var trainBatchSize = FoldTraining().batchSize
    @Option(help: "ML strategies: seed of the initial weights, shuffles and dropout.") var trainSeed = FoldTraining().seed
    @Option(help: "ML strategies: layer widths (BiGRU 1, BiGRU 2, attention, dense 1, dense 2).") var trainWidths = FoldTraining().widths
    @Option(help: "ML strategies: window length (bars).") var trainWindow = FoldTraining().window
    @Option(help: "ML strategies: where each fitted model is saved and kept, as DIR/<hash>/universal.json (default: a folder of this run's in the temporary directory, removed at the end).")
    var foldModels: String?

    /// The settings as the library states them.
    var training: FoldTraining {
        FoldTraining(epochs: trainEpochs, batchSize: trainBatchSize, seed: trainSeed, widths: trainWidths, window: trainWindow)
    }

    /// Removes `retraining`'s models when they went to this run's own temporary folder (no `--fold-models`).
    func removeTemporaryModels(of retraining: ModelRetraining) {
        if foldModels == nil { try? FileManager.default.removeItem(atPath: retraining.directory) }
    }

    /// The retraining these options describe; a setting out of range is said with its flag.
    func retraining() throws -> ModelRetraining {
        let directory = foldModels ?? FileManager.default.temporaryDirectory.appendingPathComponent("tradewind-fold-models-\(UUID().uuidString)").path
        do {
            return try training.retraining(directory: directory)
        } catch {
            throw Self.flagged(error) { "--" + $0.replacingOccurrences(of: "_", with: "-") }
        }
    }

    /// A `FoldTraining` error said with the flag `flag(field)`.
    static func flagged(_ error: OptimizerError, flag: (String) -> String) -> any Error {
        guard case let .invalidArgument(name, value, valid) = error else { return error }
        return ValidationError("\(flag(name)) \(value): expected \(valid)")
    }
}

/// The `--widths` text of the ML commands: five comma-separated layer widths (`FoldTraining.architecture`).
enum ModelWidths {
    static func architecture(_ text: String, flag: String = "--widths") throws -> UniversalBiGRU.Architecture {
        do {
            return try FoldTraining.architecture(text, field: flag)
        } catch {
            throw FoldTrainingOptions.flagged(error) { $0 }
        }
    }
}
