import Foundation
import TradewindCore
import TradewindML

/// Everything besides the weights that a trained universal model needs to predict again, saved as its JSON
/// configuration: the features' names, the dataset settings, the training-period scaler, the architecture and
/// objective, the symbols and dates it trained on, and its validation metrics.
public struct UniversalModelConfig: Sendable, Equatable, Codable {
    public var model = "universal-bigru"
    public var features: [String] = UniversalFeature.allCases.map(\.name)
    public var dataset: DatasetConfiguration
    public var scaler: FeatureScaler
    public var architecture: UniversalBiGRU.Architecture
    public var objective: UniversalBiGRU.Objective
    public var training: UniversalTrainingSettings
    public var symbols: [String]
    /// The first and last decision dates of the training samples.
    public var trainingFrom: UnixNanos
    public var trainingThrough: UnixNanos
    /// The restored (best) epoch's validation loss and metrics.
    public var validationLoss: Double?
    public var validationMetrics: [String: Double]
    public var epochsRun: Int
    /// The newest decision date of every window the model saw, validation included (nil in models written before
    /// it was recorded: read `trainingThrough` then). Data after it is out of sample for the model in every sense:
    /// neither trained on nor used to pick its epoch or pass the validation gate.
    public var dataThrough: UnixNanos? = nil

    /// `dataThrough`, or `trainingThrough` for a model written before it was recorded.
    public var seenThrough: UnixNanos { dataThrough ?? trainingThrough }
}

/// One prediction: the class probabilities for the next day and the predicted % change, for a symbol at the
/// close of `time`.
public struct UniversalPrediction: Sendable, Equatable, Codable {
    public let symbol: String
    public let time: UnixNanos
    /// P(DOWN), P(NEUTRAL), P(UP).
    public let probabilities: [Double]
    public let predictedChange: Double

    public var direction: Direction {
        Direction(rawValue: probabilities.indices.max { probabilities[$0] < probabilities[$1] }!)!
    }
}

/// A trained universal model: configuration and weights. Saved as `<stem>.json` + `<stem>.safetensors`.
public struct UniversalModel: Sendable {
    public let config: UniversalModelConfig
    public let weights: StateDict<Float>

    public init(config: UniversalModelConfig, weights: StateDict<Float>) {
        self.config = config
        self.weights = weights
    }

    /// The network this model's weights belong to.
    public var network: UniversalBiGRU {
        UniversalBiGRU(steps: config.dataset.window, features: FeatureTable.width, architecture: config.architecture,
                       objective: config.objective)
    }

    /// The standard file stem in a model directory.
    public static func stem(in directory: String) -> String { directory + "/universal" }

    public func save(stem: String) throws(ModelError) {
        do { try ModelFiles.save(weights: weights, config: config, stem: stem) } catch { throw .ml(error) }
    }

    /// Loads a model saved by `save`, checking every weight's name and shape against the configuration.
    public static func load(stem: String) throws(ModelError) -> UniversalModel {
        let config: UniversalModelConfig
        do { config = try ModelFiles.loadConfig(UniversalModelConfig.self, stem: stem) } catch { throw .ml(error) }
        guard config.features == UniversalFeature.allCases.map(\.name) else {
            throw .invalidSetting(name: "\(stem).json features", value: config.features.joined(separator: ","),
                                  expected: "the 18 universal features in order")
        }
        let shapes = UniversalModel(config: config, weights: StateDict()).network.weightShapes
        do { return UniversalModel(config: config, weights: try SafeTensors.load(stem + ".safetensors", expecting: shapes, as: Float.self)) } catch {
            throw .ml(error)
        }
    }

    /// Raw head outputs for `windows`: class probabilities [n, 3] and predicted changes [n].
    public func outputs(_ windows: WindowSet, batchSize: Int = 256) throws(ModelError) -> (probabilities: [Double], changes: [Double]) {
        guard windows.count > 0 else { return ([], []) }
        do {
            let heads = try Inference.predict(network, weights: weights, data: windows, batchSize: batchSize)
            let probabilities = Variable(heads[0]).softmax().value.scalars.map(Double.init)
            return (probabilities, heads[1].scalars.map(Double.init))
        } catch { throw .ml(error) }
    }

    /// Predictions for every window of `tables` ending at or after `from` (all when nil), in symbol then time
    /// order. The scaler is the one fit at training time.
    public func predict(_ tables: [FeatureTable], from: UnixNanos? = nil) throws(ModelError) -> [UniversalPrediction] {
        let windows = UniversalDataset.windows(tables, scaler: config.scaler, configuration: config.dataset, from: from)
        let (p, changes) = try outputs(windows)
        return (0..<windows.count).map { i in
            UniversalPrediction(symbol: windows.symbols[windows.samples[i].symbol], time: windows.time(of: i),
                                probabilities: Array(p[(i * 3)..<(i * 3 + 3)]), predictedChange: changes[i])
        }
    }
}
