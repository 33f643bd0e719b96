import TradewindCore

/// Per-feature z-scores, fit on the training period only and clipped at ±`clip` σ.
public struct FeatureScaler: Sendable, Equatable, Codable {
    public let mean: [Double]
    /// Population standard deviations; a constant feature gets 1 (it scales to 0).
    public let standardDeviation: [Double]
    public let clip: Double

    public init(mean: [Double], standardDeviation: [Double], clip: Double) {
        self.mean = mean
        self.standardDeviation = standardDeviation
        self.clip = clip
    }

    /// Fits on every defined feature row of `tables` at or before `through`: no later row is read.
    public static func fit(_ tables: [FeatureTable], through: UnixNanos, clip: Double = 5) throws(ModelError) -> FeatureScaler {
        let w = FeatureTable.width
        var n = 0
        var sum = [Double](repeating: 0, count: w), sumSquares = [Double](repeating: 0, count: w)
        // Two passes (mean, then squared deviations) keep the variance accurate for large-valued features.
        for t in tables {
            for row in UniversalFeature.warmUp..<max(UniversalFeature.warmUp, t.count) where t.time[row] <= through {
                for f in 0..<w { sum[f] += t.values[row * w + f] }
                n += 1
            }
        }
        guard n >= 2 else { throw .notEnoughData(detail: "\(n) feature rows in the training period; the scaler needs at least 2") }
        let mean = sum.map { $0 / Double(n) }
        for t in tables {
            for row in UniversalFeature.warmUp..<max(UniversalFeature.warmUp, t.count) where t.time[row] <= through {
                for f in 0..<w {
                    let d = t.values[row * w + f] - mean[f]
                    sumSquares[f] += d * d
                }
            }
        }
        let sd = sumSquares.map { s -> Double in
            let v = (s / Double(n)).squareRoot()
            return v > 0 && v.isFinite ? v : 1
        }
        return FeatureScaler(mean: mean, standardDeviation: sd, clip: clip)
    }

    /// The first `rows` rows (all by default) of `table` as clipped z-scores in Float, row-major like the table
    /// (NaN rows stay NaN).
    public func transform(_ table: FeatureTable, rows: Int? = nil) -> [Float] {
        let w = FeatureTable.width
        let n = min(table.count, rows ?? table.count) * w
        var out = [Float](repeating: .nan, count: n)
        for i in 0..<n { out[i] = scale(table.values[i], feature: i % w) }
        return out
    }

    /// One value of feature index `feature` as a clipped z-score (NaN stays NaN).
    @inline(__always) public func scale(_ value: Double, feature: Int) -> Float {
        let z = (value - mean[feature]) / standardDeviation[feature]
        return z.isNaN ? .nan : Float(min(clip, max(-clip, z)))
    }
}
