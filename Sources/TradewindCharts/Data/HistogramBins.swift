import Foundation

/// Equal-width binning of values for histograms.
public struct HistogramBins: Sendable, Equatable {
    /// `count + 1` ascending bin edges; bin `i` is `[edges[i], edges[i+1])`, the last bin closed.
    public let edges: [Double]
    /// Number of values in each bin.
    public let counts: [Int]
    /// Values that were not finite and therefore not binned.
    public let skipped: Int

    /// Bins the finite values into equal-width bins whose width is a 1-2-5 step, aligned to
    /// multiples of that width (so 0 is always an edge), about `bins` of them; `nil` aims at
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
        let target = max(1, bins ?? min(50, max(5, Int(Double(finite.count).squareRoot().rounded()))))
        let width = NiceTicks.step(span: hi - lo, target: target)
        let first = (lo / width).rounded(.down)
        var k = Int((hi / width).rounded(.down) - first) + 1
        // `hi` on an edge closes the last bin instead of opening a new one.
        if first + Double(k - 1) == hi / width && k > 1 { k -= 1 }
        let scale = pow(10, Double(NumberText.decimals(forStep: width)))
        let e = (0...k).map { ((first + Double($0)) * width * scale).rounded() / scale }
        var c = [Int](repeating: 0, count: k)
        for v in finite {
            let i = min(max(Int((v / width).rounded(.down) - first), 0), k - 1)
            c[i] += 1
        }
        edges = e
        counts = c
    }
}
