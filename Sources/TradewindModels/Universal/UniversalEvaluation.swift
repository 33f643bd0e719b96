/// How a universal model does on labelled windows, next to naive baselines: always the training set's most
/// frequent class, and a predicted change of 0.
public struct UniversalEvaluation: Sendable, Equatable, Codable {
    public let samples: Int
    public let accuracy: Double
    /// Per class (DOWN, NEUTRAL, UP): of the predictions of that class, the share right (0 when never predicted).
    public let precision: [Double]
    /// Per class: of the samples of that class, the share predicted as it (0 when absent).
    public let recall: [Double]
    /// confusion[actual][predicted] counts.
    public let confusion: [[Int]]
    /// Mean absolute error of the predicted % change.
    public let meanAbsoluteError: Double
    /// Information coefficient: Spearman rank correlation of the predicted and the actual change.
    public let informationCoefficient: Double
    /// The accuracy of always predicting `baselineClass`.
    public let baselineAccuracy: Double
    public let baselineClass: Direction
    /// The mean absolute error of predicting no change.
    public let baselineMeanAbsoluteError: Double

    /// Scores `model` on `windows` (which must carry outcomes: `UniversalDataset.prepare`'s sides).
    public static func evaluate(_ model: UniversalModel, on windows: WindowSet) throws(ModelError) -> UniversalEvaluation {
        guard windows.count > 0 else { throw .notEnoughData(detail: "no labelled windows to evaluate") }
        let (p, changes) = try model.outputs(windows)
        let n = windows.count
        var confusion = [[Int]](repeating: [0, 0, 0], count: 3)
        for i in 0..<n {
            let row = p[(i * 3)..<(i * 3 + 3)]
            confusion[windows.labels[i]][row.firstIndex(of: row.max()!)! - i * 3] += 1
        }
        let right = (0..<3).reduce(0) { $0 + confusion[$1][$1] }
        let precision = (0..<3).map { c -> Double in
            let predicted = (0..<3).reduce(0) { $0 + confusion[$1][c] }
            return predicted == 0 ? 0 : Double(confusion[c][c]) / Double(predicted)
        }
        let recall = (0..<3).map { c -> Double in
            let actual = confusion[c].reduce(0, +)
            return actual == 0 ? 0 : Double(confusion[c][c]) / Double(actual)
        }
        let actual = windows.targets.map(Double.init)
        let mae = zip(changes, actual).reduce(0) { $0 + abs($1.0 - $1.1) } / Double(n)
        // The training set's most frequent class has the smallest balanced weight.
        let weights = model.config.objective.classWeights ?? [1, 1, 1]
        let majority = (0..<3).filter { weights[$0] > 0 }.min { weights[$0] < weights[$1] } ?? Direction.neutral.rawValue
        return UniversalEvaluation(
            samples: n, accuracy: Double(right) / Double(n), precision: precision, recall: recall, confusion: confusion,
            meanAbsoluteError: mae, informationCoefficient: spearman(changes, actual),
            baselineAccuracy: Double(confusion[majority].reduce(0, +)) / Double(n), baselineClass: Direction(rawValue: majority)!,
            baselineMeanAbsoluteError: actual.reduce(0) { $0 + abs($1) } / Double(n))
    }

    /// Scores `model` on every window of `tables` after its training period whose outcome is known.
    public static func outOfSample(_ model: UniversalModel, _ tables: [FeatureTable]) throws(ModelError) -> UniversalEvaluation {
        let c = model.config
        return try evaluate(model, on: UniversalDataset.windows(tables, scaler: c.scaler, configuration: c.dataset,
                                                                from: c.trainingThrough + 1, outcomeRequired: true))
    }

    /// Spearman's rank correlation (average ranks for ties); 0 when either side is constant.
    static func spearman(_ a: [Double], _ b: [Double]) -> Double {
        func ranks(_ x: [Double]) -> [Double] {
            let order = x.indices.sorted { x[$0] < x[$1] }
            var r = [Double](repeating: 0, count: x.count)
            var i = 0
            while i < order.count {
                var j = i
                while j + 1 < order.count && x[order[j + 1]] == x[order[i]] { j += 1 }
                for k in i...j { r[order[k]] = Double(i + j) / 2 }
                i = j + 1
            }
            return r
        }
        let (ra, rb) = (ranks(a), ranks(b))
        let n = Double(a.count)
        let (ma, mb) = (ra.reduce(0, +) / n, rb.reduce(0, +) / n)
        var (sab, saa, sbb) = (0.0, 0.0, 0.0)
        for i in 0..<a.count {
            sab += (ra[i] - ma) * (rb[i] - mb)
            saa += (ra[i] - ma) * (ra[i] - ma)
            sbb += (rb[i] - mb) * (rb[i] - mb)
        }
        return saa == 0 || sbb == 0 ? 0 : sab / (saa * sbb).squareRoot()
    }
}
