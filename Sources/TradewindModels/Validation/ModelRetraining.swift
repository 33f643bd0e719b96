import Foundation
import TradewindCore
import TradewindOptimizer
import TradewindStrategies

/// The universal model retrained on each in-sample window: the `InSampleFit` of `ml-signal` and `ml-topk`. Features,
/// labels, class weights and the scaler come from the in-sample bars alone (nothing after their last bar exists for
/// the training), and the model is saved content-addressed: `directory/<first 16 hex digits of its archive's
/// SHA-256>/universal.json`, so equal bars and settings give the same path, and a path names its weights.
/// `tradewind optimize` (through `SymbolOptimizer`) and `ModelWalkForward` both train each fold's model here.
public struct ModelRetraining: InSampleFit {
    public let settings: UniversalTrainingSettings
    public let dataset: DatasetConfiguration
    /// Where the fitted models are saved (created when missing).
    public let directory: String

    public init(settings: UniversalTrainingSettings, dataset: DatasetConfiguration = DatasetConfiguration(), directory: String) {
        self.settings = settings
        self.dataset = dataset
        self.directory = directory
    }

    /// The ML strategies' model file.
    public var parameters: [String] { ["model"] }

    public func fit(_ inSample: MarketDataset, cancellation: CancellationFlag?) throws -> [String: String] {
        let model = try train(inSample, cancellation: cancellation)
        // A model cut short by cancellation is not kept.
        if cancellation?.isCancelled == true { return [:] }
        return ["model": try save(model)]
    }

    /// The model trained on `inSample`'s bars only; training stops at the next batch once `cancellation` is set.
    public func train(_ inSample: MarketDataset, cancellation: CancellationFlag? = nil) throws -> UniversalModel {
        let prepared = try UniversalDataset.prepare(UniversalFeatures.compute(inSample), configuration: dataset)
        return try UniversalTraining.train(prepared, settings: settings, cancellation: cancellation).model
    }

    /// Saves `model` under `directory` by its archive's SHA-256 (kept when already there) and returns the path of
    /// its `universal.json`, the strategies' `model` parameter.
    public func save(_ model: UniversalModel) throws(ModelError) -> String {
        let hash = ModelArchive.sha256(try ModelArchive.archive(model))
        let target = directory + "/" + hash.prefix(16)
        let stem = UniversalModel.stem(in: target)
        if !FileManager.default.fileExists(atPath: stem + ".json") {
            // Written beside, then moved in whole: a concurrent job never reads half a model.
            let scratch = directory + "/.partial-" + UUID().uuidString
            try ModelArchive.makeDirectory(scratch)
            defer { try? FileManager.default.removeItem(atPath: scratch) }
            try model.save(stem: UniversalModel.stem(in: scratch))
            do { try FileManager.default.moveItem(atPath: scratch, toPath: target) } catch {
                guard FileManager.default.fileExists(atPath: stem + ".json") else {
                    throw .invalidSetting(name: "model directory", value: directory, expected: "a writable directory (\(error.localizedDescription))")
                }
            }
        }
        return stem + ".json"
    }

    /// `job` with this retraining as its in-sample fit when its strategy is an ML strategy (`ml-signal`, `ml-topk`)
    /// whose model is not given; `job` unchanged for other strategies, and for a given model without validation.
    /// A given model is refused with `--split` or `--walk-forward`: it was trained on bars the validation tests.
    public func attach(to job: OptimizationJob) throws(ModelError) -> OptimizationJob {
        guard [MLSignal.name, MLTopK.name].contains(job.strategy.name), let i = job.space.index(of: "model") else { return job }
        let dimension = job.space.dimensions[i]
        let given = !dimension.isFixed || job.space.values(of: job.space.gridPoint(0))[i].value.description != ""
        if given {
            if case .none = job.validation { return job }
            throw .invalidSetting(name: "model", value: dimension.isFixed ? job.space.values(of: job.space.gridPoint(0))[i].value.description : "searched",
                                  expected: "no model with --split or --walk-forward: each in-sample window trains its own")
        }
        var out = job
        out.inSampleFit = self
        return out
    }
}
