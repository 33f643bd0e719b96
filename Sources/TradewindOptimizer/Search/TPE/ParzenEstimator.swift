import TradewindCore
import TradewindData
import Foundation

/// One TPE search dimension in its working scale: numeric (a level index for discrete
/// dimensions, the value or its logarithm for continuous ones) or categorical.
enum TPEDimension: Sendable {
    /// Kernels live on `[low, high]`; `discrete` means values are integers (level indices) and a
    /// value's mass is that of `[x − ½, x + ½]`, as Optuna does for stepped distributions.
    case numeric(low: Double, high: Double, discrete: Bool, levels: Int)
    case categorical(count: Int)

    var isDiscrete: Bool {
        if case let .numeric(_, _, discrete, _) = self { return discrete }
        return true
    }
}

/// Per bandwidth group g of a discrete dimension (kernels centred on a level with the same σ): the normal tails
/// erfc((j + ½)/(σ·√2)) at every cell boundary j, the mass such a kernel puts on the level o steps from its centre
/// (`ParzenEstimator.cellMasses`) and its inverse truncation mass for each centre level, group after group in flat
/// arrays (`g·levels + j`). Taken from the sampler's cache or computed here (then kept by `TailCache.absorb`).
/// Tails beyond `ParzenEstimator.negligibleZ` standard deviations are 0.
struct BoundaryTails {
    let levels: Int
    let sigmas: [Double]
    let tails: [Double]
    let cells: [Double]
    let inverseMasses: [Double]
    /// Groups whose tables were computed here (not found in the cache).
    let fresh: [Int]

    init(sigmas: [Double], levels: Int, seededFrom cache: TailCache?) {
        self.levels = levels
        self.sigmas = sigmas
        var tails: [Double] = [], cells: [Double] = [], inverse: [Double] = [], fresh: [Int] = []
        tails.reserveCapacity(sigmas.count * levels)
        cells.reserveCapacity(sigmas.count * levels)
        inverse.reserveCapacity(sigmas.count * levels)
        for (g, sg) in sigmas.enumerated() {
            let t: TailCache.Tables
            if let known = cache?.entries[TailCache.Key(sigma: sg.bitPattern, levels: levels)] {
                t = known
            } else {
                t = TailCache.Tables(sigma: sg, levels: levels)
                fresh.append(g)
            }
            tails.append(contentsOf: t.tails)
            cells.append(contentsOf: t.cells)
            inverse.append(contentsOf: t.inverseMasses)
        }
        self.tails = tails
        self.cells = cells
        self.inverseMasses = inverse
        self.fresh = fresh
    }

    /// Group g's tables (for the cache).
    func tables(_ g: Int) -> TailCache.Tables {
        let r = (g * levels)..<((g + 1) * levels)
        return TailCache.Tables(tails: Array(tails[r]), cells: Array(cells[r]), inverseMasses: Array(inverseMasses[r]))
    }
}

/// Boundary tables kept across trials by the sampler, per (σ, level count): bandwidths recur from trial to trial
/// (gaps between level indices are small integers), so most are computed once per search. Bounded: cleared when
/// it holds more than `maxTables` entries.
struct TailCache: Sendable {
    struct Key: Hashable, Sendable {
        let sigma: UInt64
        let levels: Int
    }
    /// One bandwidth's tables (see `BoundaryTails`).
    struct Tables: Sendable {
        let tails: [Double]
        let cells: [Double]
        let inverseMasses: [Double]

        init(tails: [Double], cells: [Double], inverseMasses: [Double]) {
            self.tails = tails
            self.cells = cells
            self.inverseMasses = inverseMasses
        }

        /// The tables of bandwidth σ over `levels` levels: tails erfc((j + ½)/(σ·√2)), cell masses, and the
        /// inverse of the mass `1 − ½t_m − ½t_(levels−1−m)` that a kernel centred on level m keeps inside the range.
        init(sigma: Double, levels: Int) {
            var t = [Double](repeating: 0, count: levels)
            for j in 0..<levels {
                let z = (Double(j) + 0.5) / sigma
                if z > ParzenEstimator.negligibleZ { break }
                t[j] = erfc(z * (1 / 2.0.squareRoot()))
            }
            tails = t
            cells = ParzenEstimator.cellMasses(tails: t)
            inverseMasses = (0..<levels).map { m in 1 / (1 - 0.5 * t[m] - 0.5 * t[levels - 1 - m]) }
        }
    }
    var entries: [Key: Tables] = [:]
    /// Doubles held by `entries` (three tables of `levels` each per entry).
    private(set) var storedDoubles = 0
    /// At most this many doubles (128 MB) are kept; the cache is cleared when more would be.
    static let maxDoubles = 1 << 24

    /// Keeps the tables an estimator computed.
    mutating func absorb(_ estimator: ParzenEstimator) {
        for memo in estimator.tails {
            guard let memo, !memo.fresh.isEmpty else { continue }
            let adding = 3 * memo.levels * memo.fresh.count
            guard adding <= TailCache.maxDoubles else { continue }
            if storedDoubles + adding > TailCache.maxDoubles {
                entries.removeAll(keepingCapacity: true)
                storedDoubles = 0
            }
            for g in memo.fresh {
                let key = Key(sigma: memo.sigmas[g].bitPattern, levels: memo.levels)
                if entries.updateValue(memo.tables(g), forKey: key) == nil { storedDoubles += 3 * memo.levels }
            }
        }
    }
}

/// A Parzen (kernel) density estimator over the search dimensions, built the way Optuna's TPE
/// builds its own: one kernel per observation plus one prior kernel, all sharing the mixture
/// weights; numeric kernels are truncated normals.
///
/// - Bandwidths: observations sorted per dimension; each kernel's σ is the larger of the gaps to
///   its neighbours (the range ends count as neighbours), except that the smallest and largest
///   observations use their inner gap only (Optuna's `consider_endpoints=False`); σ is clipped
///   to `[(high−low)/min(100, n+2), high−low]` ("magic clip", n observations).
/// - Prior kernel: μ = (low+high)/2, σ = high−low, weight `priorWeight`.
/// - Mixture weights: 1 for each observation when there are fewer than 25, else a linear ramp
///   from 1/n up to 1 over the oldest n−25 and 1 for the newest 25 (Optuna's `default_weights`),
///   then the prior weight, normalised.
/// - Categorical kernels: each observation's row puts `priorWeight/(n+1)` on every choice plus 1 on
///   its own choice, normalised; the prior row is uniform.
struct ParzenEstimator {
    let dims: [TPEDimension]
    let kernelCount: Int
    /// log mixture weight per kernel.
    let logWeights: [Double]
    /// Cumulative weights for choosing a kernel.
    let cumulativeWeights: [Double]
    /// Per numeric dimension: μ, σ and log mass of the truncation interval, kernel-major.
    let mus: [[Double]]
    let sigmas: [[Double]]
    let inverseNormalisers: [[Double]]
    /// Discrete dimensions: kernels whose μ is a level index share normal tails with every other
    /// such kernel of the same σ (offsets to cell boundaries are then half-integers): `sigmaGroup`
    /// numbers the distinct σ (−1 when μ is not an integer, e.g. the prior of an even level count).
    let sigmaGroup: [[Int]]
    let groupSigma: [[Double]]
    /// Shared boundary tails per discrete dimension (nil when not applicable).
    let tails: [BoundaryTails?]
    let categoricalP: [[Double]]
    /// Per categorical dimension: log probabilities, kernel-major (`k·count + c`).
    let categoricalLogP: [[Double]]
    let categoricalCumP: [[Double]]
    /// Mixture weights (linear scale).
    let weights: [Double]
    /// Discrete dimensions with shared tails: each kernel's μ as a level index (0 when not a level).
    let muLevels: [[Int]]

    /// `observations[j]` is the j-th observation (in trial-number order) in working scale.
    init(observations: [[Double]], dims: [TPEDimension], priorWeight: Double, considerMagicClip: Bool, considerEndpoints: Bool,
         tailCache: TailCache? = nil) {
        self.dims = dims
        let n = observations.count
        kernelCount = n + 1
        var w = ParzenEstimator.defaultWeights(n)
        w.append(n == 0 ? 1 : priorWeight)
        let total = w.reduce(0, +)
        var cum: [Double] = []
        var acc = 0.0
        for x in w {
            acc += x / total
            cum.append(acc)
        }
        cum[cum.count - 1] = 1
        logWeights = w.map { log($0 / total) }
        cumulativeWeights = cum

        var mus: [[Double]] = [], sigmas: [[Double]] = []
        var catLogP: [[Double]] = [], catCumP: [[Double]] = []
        for (d, dim) in dims.enumerated() {
            switch dim {
            case let .numeric(low, high, _, _):
                let obs = observations.map { $0[d] }
                var sig = [Double](repeating: 0, count: n)
                if n > 0 {
                    let order = ParzenEstimator.ascendingOrder(obs, integral: dim.isDiscrete)
                    let sorted = order.map { obs[$0] }
                    var sortedSig = [Double](repeating: 0, count: n)
                    for i in 0..<n {
                        let left = sorted[i] - (i == 0 ? low : sorted[i - 1])
                        let right = (i == n - 1 ? high : sorted[i + 1]) - sorted[i]
                        sortedSig[i] = max(left, right)
                    }
                    if !considerEndpoints && n >= 2 {
                        sortedSig[0] = sorted[1] - sorted[0]
                        sortedSig[n - 1] = sorted[n - 1] - sorted[n - 2]
                    }
                    let maxSigma = high - low
                    let minSigma = considerMagicClip ? (high - low) / min(100.0, 1.0 + Double(n + 1)) : 1e-12
                    for (rank, j) in order.enumerated() {
                        sig[j] = min(max(sortedSig[rank], minSigma), maxSigma)
                    }
                }
                var m = obs
                m.append(0.5 * (low + high))
                sig.append(high - low)
                mus.append(m)
                sigmas.append(sig)

                catLogP.append([])
                catCumP.append([])
            case let .categorical(count):
                var lp = [Double](repeating: 0, count: (n + 1) * count)
                var cp = lp
                for k in 0...n {
                    var row = [Double](repeating: k == n && n > 0 ? priorWeight / Double(n + 1) : (n == 0 ? 1 : priorWeight / Double(n + 1)), count: count)
                    if k < n { row[Int(observations[k][d])] += 1 }
                    let s = row.reduce(0, +)
                    var a = 0.0
                    for c in 0..<count {
                        let p = s > 0 ? row[c] / s : 1 / Double(count)
                        lp[k * count + c] = log(p)
                        a += p
                        cp[k * count + c] = a
                    }
                    cp[k * count + count - 1] = 1
                }
                catLogP.append(lp)
                catCumP.append(cp)
                mus.append([]); sigmas.append([])
            }
        }
        self.mus = mus
        self.sigmas = sigmas
        var groups: [[Int]] = [], groupSigmas: [[Double]] = []
        var inverse: [[Double]] = []
        var tailMemos: [BoundaryTails?] = []
        for (d, dim) in dims.enumerated() {
            guard case let .numeric(low, high, discrete, levels) = dim else {
                groups.append([]); groupSigmas.append([]); inverse.append([]); tailMemos.append(nil)
                continue
            }
            // Distinct σ of kernels centred on a level (a short linear list: σ takes few values).
            var g = [Int](repeating: -1, count: n + 1)
            var gs: [Double] = []
            if discrete {
                for k in 0...n {
                    let m = mus[d][k]
                    guard ParzenEstimator.isLevel(m) else { continue }
                    let sg = sigmas[d][k]
                    if let id = gs.firstIndex(of: sg) {
                        g[k] = id
                    } else if gs.count < 256 {
                        g[k] = gs.count
                        gs.append(sg)
                    }
                }
            }
            // Truncation masses: for level-centred kernels they depend on (σ, μ) only.
            let useMemo = !gs.isEmpty && gs.count * levels <= 1 << 20
            let memo = useMemo ? BoundaryTails(sigmas: gs, levels: levels, seededFrom: tailCache) : nil
            var inv = [Double](repeating: 0, count: n + 1)
            let inverseMasses = memo?.inverseMasses ?? []
            for k in 0...n {
                let m = mus[d][k], sg = sigmas[d][k]
                if memo != nil, g[k] >= 0, m >= 0, m <= Double(levels - 1) {
                    // Straddling [−½, levels−½]: 1 − ½·tail(m) − ½·tail(levels−1−m), as NormalDistribution.mass.
                    inv[k] = inverseMasses[g[k] * levels + Int(m)]
                } else {
                    inv[k] = 1 / NormalDistribution.mass((low - m) / sg, (high - m) / sg)
                }
            }
            groups.append(g)
            groupSigmas.append(gs)
            inverse.append(inv)
            tailMemos.append(memo)
        }
        self.sigmaGroup = groups
        self.groupSigma = groupSigmas
        self.inverseNormalisers = inverse
        self.tails = tailMemos
        self.categoricalP = catLogP.map { $0.map { exp($0) } }
        self.categoricalLogP = catLogP
        self.categoricalCumP = catCumP
        self.weights = logWeights.map { exp($0) }
        self.muLevels = dims.indices.map { d in
            tailMemos[d] == nil ? [] : mus[d].map { ParzenEstimator.isLevel($0) ? Int($0) : 0 }
        }
    }

    /// True when `m` is a whole number of magnitude below 10¹⁵ (a level index), without a libm rounding call (the
    /// baseline x86-64 build has no rounding instruction).
    @inline(__always)
    static func isLevel(_ m: Double) -> Bool {
        abs(m) < 1e15 && Double(Int64(m)) == m
    }

    /// The mass a discrete kernel centred on a level puts on the level o steps away, for every o, from the
    /// boundary tails t: Φ((o+½)/σ) − Φ((o−½)/σ) as `1 − ½t₀ − ½t₀` at o = 0 and `½(tₒ₋₁ − tₒ)` beyond.
    static func cellMasses(tails t: [Double]) -> [Double] {
        guard !t.isEmpty else { return [] }
        var out = [Double](repeating: 0, count: t.count)
        out[0] = 1 - 0.5 * t[0] - 0.5 * t[0]
        for o in 1..<t.count { out[o] = 0.5 * (t[o - 1] - t[o]) }
        return out
    }

    /// Indices of `values` in ascending order of value, ties by index. Level indices (small
    /// non-negative integers) sort as packed integer keys, without a comparison closure.
    static func ascendingOrder(_ values: [Double], integral: Bool) -> [Int] {
        let n = values.count
        if integral, let maxV = values.max(), values.allSatisfy({ $0 >= 0 }), maxV <= Double(4 * n + 1024) {
            // Level indices in a short range: a counting sort (stable, so ties stay in index order).
            var start = [Int](repeating: 0, count: Int(maxV) + 2)
            for v in values { start[Int(v) + 1] += 1 }
            for i in 1..<start.count { start[i] += start[i - 1] }
            var order = [Int](repeating: 0, count: n)
            for (i, v) in values.enumerated() {
                order[start[Int(v)]] = i
                start[Int(v)] += 1
            }
            return order
        }
        if integral, let maxV = values.max(), values.allSatisfy({ $0 >= 0 }), maxV * Double(n + 1) < 0x1p52 {
            var keys = values.enumerated().map { Int($0.element) * (n + 1) + $0.offset }
            keys.sort()
            return keys.map { $0 % (n + 1) }
        }
        return values.indices.sorted { values[$0] < values[$1] || (values[$0] == values[$1] && $0 < $1) }
    }

    /// Optuna's `default_weights`.
    static func defaultWeights(_ n: Int) -> [Double] {
        if n == 0 { return [] }
        if n < 25 { return [Double](repeating: 1, count: n) }
        let m = n - 25
        var w: [Double] = []
        w.reserveCapacity(n)
        for i in 0..<m {
            w.append(m == 1 ? 1.0 / Double(n) : 1.0 / Double(n) + (1 - 1.0 / Double(n)) * Double(i) / Double(m - 1))
        }
        w.append(contentsOf: [Double](repeating: 1, count: 25))
        return w
    }

    /// A kernel index drawn by the mixture weights.
    func drawKernel(_ rng: inout Xoshiro256StarStar) -> Int {
        let u = rng.unitInterval()
        var lo = 0, hi = kernelCount - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumulativeWeights[mid] > u { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }

    /// A draw of dimension `d` from kernel `k`: a truncated normal by inversion (rounded to the
    /// nearest level for discrete dimensions), or a categorical draw.
    func sample(dimension d: Int, kernel k: Int, _ rng: inout Xoshiro256StarStar) -> Double {
        switch dims[d] {
        case let .numeric(low, high, discrete, levels):
            let mu = mus[d][k], sigma = sigmas[d][k]
            let x = TruncatedNormal.draw(mu: mu, sigma: sigma, low: low, high: high, u: rng.unitInterval())
            if discrete { return min(max(x.rounded(.toNearestOrEven), 0), Double(levels - 1)) }
            return x
        case let .categorical(count):
            let u = rng.unitInterval()
            let base = k * count
            var c = 0
            while c < count - 1 && categoricalCumP[d][base + c] < u { c += 1 }
            return Double(c)
        }
    }

    /// log density of kernel `k` in dimension `d` at `x` (a log mass for discrete dimensions).
    @inline(__always)
    func kernelLogPdf(dimension d: Int, kernel k: Int, _ x: Double) -> Double {
        switch dims[d] {
        case let .numeric(_, _, discrete, _):
            let mu = mus[d][k], sigma = sigmas[d][k]
            if discrete {
                return NormalDistribution.logMass((x - 0.5 - mu) / sigma, (x + 0.5 - mu) / sigma) + log(inverseNormalisers[d][k])
            }
            let z = (x - mu) / sigma
            return -0.5 * z * z - log(sigma) - 0.5 * log(2 * Double.pi) + log(inverseNormalisers[d][k])
        case let .categorical(count):
            return categoricalLogP[d][k * count + Int(x)]
        }
    }

    /// Kernels more than this many standard deviations from a value are skipped in the linear-scale
    /// sums: their mass (< 4e-33) is far below double precision relative to the prior kernel's.
    static let negligibleZ = 12.0

    /// Kernel densities (not weighted) of dimension `d` at each of `values` (distinct):
    /// `values.count × K`, value-major. Linear scale: the prior kernel (σ = range) keeps the
    /// mixtures far from underflow.
    ///
    /// Discrete dimensions: a kernel centred on a level puts mass Φ((o+½)/σ) − Φ((o−½)/σ) on the
    /// level `o` steps away, which depends only on (σ, |o|): kernels of equal σ share the normal
    /// tails at the cell boundaries (adjacent cells share one), so each distinct (σ, boundary) is
    /// evaluated once per call.
    func kernelTable(dimension d: Int, values: [Double]) -> [Double] {
        let K = kernelCount
        let U = values.count
        var t = [Double](repeating: 0, count: U * K)
        let cut = ParzenEstimator.negligibleZ
        let s2 = 1 / 2.0.squareRoot()
        switch dims[d] {
        case let .numeric(_, _, discrete, levels):
            let mu = mus[d], sg = sigmas[d], norm = inverseNormalisers[d]
            if discrete {
                // Level-centred kernels read their group's cell masses; the others integrate their cell.
                let groupOf = sigmaGroup[d]
                let cells = tails[d]?.cells ?? []
                for (u, x) in values.enumerated() {
                    let xi = Int(x), row = u * K
                    for k in 0..<K {
                        let g = groupOf[k]
                        let p: Double
                        if !cells.isEmpty && g >= 0 {
                            p = cells[g * levels + abs(xi - muLevels[d][k])]
                        } else {
                            p = ParzenEstimator.cellMass(x - mu[k], sg[k], cut, s2)
                        }
                        t[row + k] = p * norm[k]
                    }
                }
            } else {
                let c = 1 / (2 * Double.pi).squareRoot()
                for k in 0..<K {
                    let inv = 1 / sg[k], m = mu[k], nk = norm[k]
                    for (u, x) in values.enumerated() {
                        let zz = (x - m) * inv
                        t[u * K + k] = abs(zz) > cut ? 0 : exp(-0.5 * zz * zz) * c * inv * nk
                    }
                }
            }
        case let .categorical(count):
            for (u, x) in values.enumerated() {
                let c = Int(x)
                for k in 0..<K { t[u * K + k] = categoricalP[d][k * count + c] }
            }
        }
        return t
    }

    /// Φ((off+½)/σ) − Φ((off−½)/σ), from the smaller tails; 0 beyond `cut` standard deviations.
    @inline(__always)
    static func cellMass(_ off: Double, _ sigma: Double, _ cut: Double, _ s2: Double) -> Double {
        let a = (off - 0.5) / sigma, b = (off + 0.5) / sigma
        if a > cut || b < -cut { return 0 }
        if a >= 0 {
            return 0.5 * (erfc(a * s2) - (b > cut ? 0 : erfc(b * s2)))
        } else if b <= 0 {
            return 0.5 * (erfc(-b * s2) - (a < -cut ? 0 : erfc(-a * s2)))
        } else {
            return 1 - 0.5 * (a < -cut ? 0 : erfc(-a * s2)) - 0.5 * (b > cut ? 0 : erfc(b * s2))
        }
    }

    /// log of dimension `d`'s marginal mixture density at each of `values`.
    func marginalLogDensities(dimension d: Int, values: [Double]) -> [Double] {
        let K = kernelCount
        var prod = [Double](repeating: 0, count: K)
        return prod.withUnsafeMutableBufferPointer { prod in
            values.map { x in
                for k in 0..<K { prod[k] = 1 }
                multiplyDensities(dimension: d, at: x, into: prod)
                var s = 0.0
                for k in 0..<K { s += weights[k] * prod[k] }
                return s > 0 && s.isFinite ? log(s) : marginalLogPdf(dimension: d, x)
            }
        }
    }

    /// log of the joint mixture density (one kernel shared by all dimensions) at each candidate.
    ///
    /// Per candidate, each kernel's weight is multiplied by its density in each dimension in turn and the products
    /// are summed in kernel order (linear scale; the densities are `kernelTable`'s), with no table in between.
    func jointLogDensities(_ candidates: [[Double]]) -> [Double] {
        let K = kernelCount
        var out = [Double](repeating: 0, count: candidates.count)
        var prod = [Double](repeating: 0, count: K)
        // Dimensions without cell masses (continuous, or discrete without shared tails): one table of the distinct
        // candidate values, computed once.
        var tables: [[Double]?] = dims.map { _ in nil }, rows: [[Int]] = dims.map { _ in [] }
        for d in dims.indices where !hasCells(d) {
            if case .categorical = dims[d] { continue }
            let (unique, index) = ParzenEstimator.uniqued(candidates.map { $0[d] })
            tables[d] = kernelTable(dimension: d, values: unique)
            rows[d] = index
        }
        prod.withUnsafeMutableBufferPointer { prod in
            weights.withUnsafeBufferPointer { w in
                for j in candidates.indices {
                    for k in 0..<K { prod[k] = w[k] }
                    for d in dims.indices {
                        if let t = tables[d] {
                            let row = rows[d][j] * K
                            for k in 0..<K { prod[k] *= t[row + k] }
                        } else {
                            multiplyDensities(dimension: d, at: candidates[j][d], into: prod)
                        }
                    }
                    var s = 0.0
                    for k in 0..<K { s += prod[k] }
                    out[j] = s > 0 && s.isFinite ? log(s) : jointLogPdf(candidates[j])
                }
            }
        }
        return out
    }

    /// True when dimension `d` reads cell masses in `multiplyDensities` (discrete, with shared tails).
    func hasCells(_ d: Int) -> Bool {
        if case .numeric(_, _, true, _) = dims[d] { return tails[d] != nil }
        return false
    }

    /// `prod[k] *=` kernel k's density in dimension `d` at `x` (the entry `kernelTable(dimension: d, values: [x])`
    /// would give), for every kernel. Discrete dimensions read the cell masses of each kernel's bandwidth group.
    @inline(__always)
    func multiplyDensities(dimension d: Int, at x: Double, into prod: UnsafeMutableBufferPointer<Double>) {
        let K = kernelCount
        switch dims[d] {
        case let .numeric(_, _, discrete, levels):
            if discrete, let memo = tails[d] {
                let xi = Int(x)
                let cut = ParzenEstimator.negligibleZ, s2 = 1 / 2.0.squareRoot()
                memo.cells.withUnsafeBufferPointer { cells in
                muLevels[d].withUnsafeBufferPointer { muLevel in
                sigmaGroup[d].withUnsafeBufferPointer { groupOf in
                inverseNormalisers[d].withUnsafeBufferPointer { norm in
                    for k in 0..<K {
                        let g = groupOf[k]
                        let p: Double
                        if g >= 0 {
                            var o = xi &- muLevel[k]
                            if o < 0 { o = 0 &- o }
                            p = cells[g &* levels &+ o]
                        } else {
                            p = ParzenEstimator.cellMass(x - mus[d][k], sigmas[d][k], cut, s2)
                        }
                        prod[k] *= p * norm[k]
                    }
                }}}}
            } else {
                let t = kernelTable(dimension: d, values: [x])
                for k in 0..<K { prod[k] *= t[k] }
            }
        case let .categorical(count):
            let c = Int(x)
            categoricalP[d].withUnsafeBufferPointer { p in
                for k in 0..<K { prod[k] *= p[k &* count &+ c] }
            }
        }
    }

    /// The distinct values (first-seen order) and each value's position among them.
    static func uniqued(_ values: [Double]) -> ([Double], [Int]) {
        var unique: [Double] = []
        var index: [Int] = []
        index.reserveCapacity(values.count)
        for v in values {
            if let i = unique.firstIndex(of: v) { index.append(i) } else { index.append(unique.count); unique.append(v) }
        }
        return (unique, index)
    }

    /// log of the joint mixture density at `x`, in log space (the fallback when linear sums underflow).
    func jointLogPdf(_ x: [Double]) -> Double {
        var terms = [Double](repeating: 0, count: kernelCount)
        for k in 0..<kernelCount {
            var s = logWeights[k]
            for d in dims.indices { s += kernelLogPdf(dimension: d, kernel: k, x[d]) }
            terms[k] = s
        }
        return ParzenEstimator.logSumExp(terms)
    }

    /// log of dimension `d`'s marginal mixture density at `x`, in log space.
    func marginalLogPdf(dimension d: Int, _ x: Double) -> Double {
        var terms = [Double](repeating: 0, count: kernelCount)
        for k in 0..<kernelCount { terms[k] = logWeights[k] + kernelLogPdf(dimension: d, kernel: k, x) }
        return ParzenEstimator.logSumExp(terms)
    }

    static func logSumExp(_ v: [Double]) -> Double {
        var m = -Double.infinity
        for x in v where x > m { m = x }
        if m == -.infinity { return -.infinity }
        var s = 0.0
        for x in v { s += exp(x - m) }
        return m + log(s)
    }
}

/// Draws from a normal truncated to `[low, high]` by inverting its CDF on the side of zero where
/// the tail probabilities are representable.
enum TruncatedNormal {
    static func draw(mu: Double, sigma: Double, low: Double, high: Double, u: Double) -> Double {
        var a = (low - mu) / sigma
        var b = (high - mu) / sigma
        let flip = a > 0
        if flip { (a, b) = (-b, -a) }
        // Both in the lower half now (a < 0), or straddling zero.
        let pa = NormalDistribution.cdf(a), pb = NormalDistribution.cdf(b)
        var z: Double
        if pb - pa > 0 {
            z = NormalDistribution.quantile(pa + u * (pb - pa))
            z = min(max(z, a), b)
        } else {
            z = b  // No representable mass: the end nearest the mean.
        }
        if flip { z = -z }
        return min(max(mu + sigma * z, low), high)
    }
}
