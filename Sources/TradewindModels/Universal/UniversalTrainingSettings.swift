import TradewindML

/// How the universal model trains; the defaults are the AI trading server's: cross-entropy (weight 1) + Huber
/// (weight 0.3), Adam 5e-4, batch 64, up to 80 epochs, early stopping after 15 epochs without a better
/// validation loss (best weights restored), ReduceLROnPlateau (factor 0.5, patience 7).
public struct UniversalTrainingSettings: Sendable, Equatable, Codable {
    public var epochs: Int
    public var batchSize: Int
    public var learningRate: Double
    public var huberWeight: Float
    public var earlyStoppingPatience: Int
    public var plateauFactor: Double
    public var plateauPatience: Int
    /// Seeds the initial weights, the shuffles and dropout.
    public var seed: UInt64
    public var architecture: UniversalBiGRU.Architecture

    public init(epochs: Int = 80, batchSize: Int = 64, learningRate: Double = 5e-4, huberWeight: Float = 0.3,
                earlyStoppingPatience: Int = 15, plateauFactor: Double = 0.5, plateauPatience: Int = 7, seed: UInt64 = 42,
                architecture: UniversalBiGRU.Architecture = UniversalBiGRU.Architecture()) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.huberWeight = huberWeight
        self.earlyStoppingPatience = earlyStoppingPatience
        self.plateauFactor = plateauFactor
        self.plateauPatience = plateauPatience
        self.seed = seed
        self.architecture = architecture
    }

    /// The epochs, batch sizes and layer widths (units) a run accepts: the one source of these limits for every
    /// request that sets them (`FoldTraining`, the server's training request).
    public static let epochRange = 1...10_000
    public static let batchSizeRange = 1...65_536
    public static let layerWidthRange = 1...4096

    func validate() throws(ModelError) {
        guard Self.epochRange.contains(epochs) else { throw .invalidSetting(name: "epochs", value: "\(epochs)", expected: "\(Self.epochRange)") }
        guard Self.batchSizeRange.contains(batchSize) else {
            throw .invalidSetting(name: "batchSize", value: "\(batchSize)", expected: "\(Self.batchSizeRange)")
        }
        guard learningRate.isFinite && learningRate > 0 else {
            throw .invalidSetting(name: "learningRate", value: "\(learningRate)", expected: "a finite rate > 0")
        }
        guard huberWeight.isFinite && huberWeight >= 0 else {
            throw .invalidSetting(name: "huberWeight", value: "\(huberWeight)", expected: "a finite weight ≥ 0")
        }
        let a = architecture
        for (name, v) in [("firstRecurrent", a.firstRecurrent), ("secondRecurrent", a.secondRecurrent),
                          ("attentionUnits", a.attentionUnits), ("firstDense", a.firstDense), ("secondDense", a.secondDense)]
        where !Self.layerWidthRange.contains(v) {
            throw .invalidSetting(name: "architecture.\(name)", value: "\(v)", expected: "\(Self.layerWidthRange) units")
        }
    }
}
