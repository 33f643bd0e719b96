import TradewindCore
import TradewindIndicators

/// The universal model applied bar by bar, as the ML strategies trade on it: per symbol, the streamed features
/// of each new bar, scaled with the model's training-period scaler, in a ring of the last `window` rows. Its
/// predictions are `UniversalModel.predict`'s for the same bars (`ml predict`).
public struct UniversalSignalStream: Sendable {
    public let model: UniversalModel
    public let symbols: [String]
    var features: [FeatureStream]
    /// Each symbol's last `window` scaled rows, oldest first once full.
    var rows: [[Float]]
    var filled: [Int]
    var lastTime: [UnixNanos]

    public init(model: UniversalModel, symbols: [String]) {
        self.model = model
        self.symbols = symbols
        features = Array(repeating: FeatureStream(), count: symbols.count)
        rows = Array(repeating: [], count: symbols.count)
        filled = Array(repeating: 0, count: symbols.count)
        lastTime = Array(repeating: 0, count: symbols.count)
    }

    /// Feeds symbol `s`'s next bar at `time`.
    public mutating func update(_ s: Int, bar: OHLCV, time: UnixNanos) throws(ModelError) {
        lastTime[s] = time
        guard let values = try features[s].update(bar, symbol: symbols[s]) else { return }
        let scaler = model.config.scaler, width = FeatureTable.width, window = model.config.dataset.window
        if rows[s].count == window * width { rows[s].removeFirst(width) }
        for f in 0..<width { rows[s].append(scaler.scale(values[f], feature: f)) }
        filled[s] = rows[s].count / width
    }

    /// Whether symbol `s` has a full window of features.
    public func isReady(_ s: Int) -> Bool { filled[s] == model.config.dataset.window }

    /// Predictions for the symbols `indices` (each must be ready) at their latest bars, batched in one pass.
    public func predict(_ indices: [Int]) throws(ModelError) -> [UniversalPrediction] {
        guard !indices.isEmpty else { return [] }
        let window = model.config.dataset.window
        if let s = indices.first(where: { !isReady($0) }) {
            throw .notEnoughData(detail: "\(symbols[s]) has \(filled[s]) of \(window) feature rows")
        }
        let set = WindowSet(symbols: indices.map { symbols[$0] }, times: indices.map { Array(repeating: lastTime[$0], count: window) },
                            scaled: indices.map { rows[$0] }, window: window,
                            samples: indices.indices.map { WindowSample(symbol: $0, row: window - 1) },
                            labels: indices.map { _ in Direction.neutral.rawValue }, targets: indices.map { _ in 0 })
        let (p, changes) = try model.outputs(set)
        return indices.indices.map { i in
            UniversalPrediction(symbol: symbols[indices[i]], time: lastTime[indices[i]],
                                probabilities: Array(p[(i * 3)..<(i * 3 + 3)]), predictedChange: changes[i])
        }
    }
}
