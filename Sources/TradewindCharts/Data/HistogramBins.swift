/// Equal-width binning of values for histograms.
public struct HistogramBins: Sendable, Equatable {
    /// `count + 1` ascending bin edges; bin `i` is `[edges[i], edges[i+1])`, the last bin closed.
    public let edges: [Double]
    /// Number of values in each bin.
    public let counts: [Int]
    /// Values that were not finite and therefore not binned.
    public let skipped: Int

    /// Bins the finite values into `bins` equal-width bins over their range; `nil` picks
    /// `clamp(√n, 5, 50)`. A set of identical values gets a single bin of width 1 centred on them.
    public init(values: [Double], bins: Int? = nil) {
        let finite = values.filter(\.isFinite)
        skipped = values.count - finite.count
        guard let lo = finite.min(), let hi = finite.max() else {
            edges = []
            counts = []
            return
        }
        if lo == hi {
            edges = [lo - 0.5, lo + 0.5]
            counts = [finite.count]
            return
        }
        let k = max(1, bins ?? min(50, max(5, Int(Double(finite.count).squareRoot().rounded()))))
        let width = (hi - lo) / Double(k)
        var e = (0...k).map { lo + Double($0) * width }
        e[k] = hi
        var c = [Int](repeating: 0, count: k)
        for v in finite {
            let i = min(Int((v - lo) / width), k - 1)
            c[i] += 1
        }
        edges = e
        counts = c
    }
}
