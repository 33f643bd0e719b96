import TradewindCharts

/// The objective over two parameters, as a grid for the heatmap: the other parameters held at
/// their best values when enough trials ran there (a grid search), otherwise the best objective
/// over the other parameters (random and TPE searches rarely repeat values). Parameters with more
/// than `maxLevels` numeric values are binned into equal-width bins: integer parameters into
/// whole-number ranges (`5–9`), others labelled by their bins' centres.
public struct ObjectiveGrid: Sendable, Equatable {
    public var xName: String
    public var yName: String
    public var xLabels: [String]
    public var yLabels: [String]
    /// `values[y][x]`, `nil` where no trial fell.
    public var values: [[Double?]]
    /// True when the other parameters were held at their best values.
    public var othersAtBest: Bool

    public static let maxLevels = 15

    /// The grid for the axes named by `heatmapAxes` (or the first two parameters).
    public static func make(_ input: OptimizationReportInput) throws(ReportError) -> ObjectiveGrid? {
        let names = input.parameterNames
        guard names.count >= 2 else { return nil }
        let (a, b) = input.heatmapAxes ?? (names[0], names[1])
        guard let ia = names.firstIndex(of: a) else {
            throw .unknownHeatmapParameter(name: a, parameters: names)
        }
        guard let ib = names.firstIndex(of: b) else {
            throw .unknownHeatmapParameter(name: b, parameters: names)
        }
        guard ia != ib else { throw .sameHeatmapParameters(a) }
        let ok = input.trials.filter { $0.objective.isFinite && $0.parameters.count == names.count }
        let bestValues = Dictionary(input.best.parameters.map { ($0.name, $0.value) }, uniquingKeysWith: { x, _ in x })
        let atBest = ok.filter { t in
            names.indices.allSatisfy { i in i == ia || i == ib || bestValues[names[i]] == nil || bestValues[names[i]] == t.parameters[i] }
        }
        let othersAtBest = names.count == 2 || atBest.count >= 4
        let used = othersAtBest ? atBest : ok
        let xl = levels(used.map { $0.parameters[ia] })
        let yl = levels(used.map { $0.parameters[ib] })
        var grid = [[Double?]](repeating: [Double?](repeating: nil, count: xl.labels.count), count: yl.labels.count)
        for t in used {
            let x = xl.index(t.parameters[ia]), y = yl.index(t.parameters[ib])
            if let old = grid[y][x] {
                grid[y][x] = input.objective.higherIsBetter ? max(old, t.objective) : min(old, t.objective)
            } else {
                grid[y][x] = t.objective
            }
        }
        return ObjectiveGrid(xName: a, yName: b, xLabels: xl.labels, yLabels: yl.labels, values: grid, othersAtBest: othersAtBest)
    }

    struct Levels {
        var labels: [String]
        var index: (ReportParameterValue) -> Int
    }

    static func levels(_ values: [ReportParameterValue]) -> Levels {
        let distinct = Array(Set(values)).sorted()
        let numbers = distinct.compactMap(\.number)
        if distinct.count <= maxLevels || numbers.count != distinct.count {
            let pos = Dictionary(uniqueKeysWithValues: distinct.enumerated().map { ($1, $0) })
            return Levels(labels: distinct.map(\.description), index: { pos[$0] ?? 0 })
        }
        let lo = numbers.first!, hi = numbers.last!
        if numbers.allSatisfy({ $0 == $0.rounded() }) { return integerBins(lo, hi) }
        let k = binTarget
        let w = (hi - lo) / Double(k)
        let labels = (0..<k).map { NumberText.auto(lo + w * (Double($0) + 0.5)) }
        return Levels(labels: labels, index: { v in min(k - 1, max(0, Int(((v.number ?? lo) - lo) / w))) })
    }

    /// Bins for an integer parameter from `lo` to `hi`: about `binTarget` bins of a whole 1-2-5 width,
    /// aligned to multiples of it, labelled with the integers each holds (`5–9`, the first and last
    /// trimmed to the values' range, a single value as itself).
    static func integerBins(_ lo: Double, _ hi: Double) -> Levels {
        let w = max(1, NiceTicks.step(span: hi - lo + 1, target: binTarget).rounded())
        let first = (lo / w).rounded(.down) * w
        let k = Int(((hi - first) / w).rounded(.down)) + 1
        let labels = (0..<k).map { i -> String in
            let a = max(lo, first + w * Double(i)), b = min(hi, first + w * Double(i + 1) - 1)
            return a == b ? NumberText.shortest(a) : NumberText.shortest(a) + "–" + NumberText.shortest(b)
        }
        return Levels(labels: labels, index: { v in min(k - 1, max(0, Int((((v.number ?? lo) - first) / w).rounded(.down)))) })
    }

    /// About how many bins a binned parameter gets.
    static let binTarget = 10
}
