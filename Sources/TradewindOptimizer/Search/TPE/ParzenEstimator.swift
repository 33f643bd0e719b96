import Foundation

/// One TPE search dimension in its working scale: numeric (a level index for discrete
/// dimensions, the value or its logarithm for continuous ones) or categorical.
enum TPEDimension: Sendable {
    /// Kernels live on `[low, high]`; `discrete` means values are integers (level indices) and a
    /// value's mass is that of `[x − ½, x + ½]`, as Optuna does for stepped distributions.
    case numeric(low: Double, high: Double, discrete: Bool, levels: Int)
    case categorical(count: Int)
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
    let logNormalisers: [[Double]]
    /// Per categorical dimension: log probabilities, kernel-major (`k·count + c`).
    let categoricalLogP: [[Double]]
    let categoricalCumP: [[Double]]

    /// `observations[j]` is the j-th observation (in trial-number order) in working scale.
    init(observations: [[Double]], dims: [TPEDimension], priorWeight: Double, considerMagicClip: Bool, considerEndpoints: Bool) {
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

        var mus: [[Double]] = [], sigmas: [[Double]] = [], norms: [[Double]] = []
        var catLogP: [[Double]] = [], catCumP: [[Double]] = []
        for (d, dim) in dims.enumerated() {
            switch dim {
            case let .numeric(low, high, _, _):
                let obs = observations.map { $0[d] }
                var sig = [Double](repeating: 0, count: n)
                if n > 0 {
                    let order = obs.indices.sorted { obs[$0] < obs[$1] || (obs[$0] == obs[$1] && $0 < $1) }
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
                norms.append(zip(m, sig).map { NormalDistribution.logMass((low - $0) / $1, (high - $0) / $1) })
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
                mus.append([]); sigmas.append([]); norms.append([])
            }
        }
        self.mus = mus
        self.sigmas = sigmas
        self.logNormalisers = norms
        self.categoricalLogP = catLogP
        self.categoricalCumP = catCumP
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
    func drawKernel(_ rng: inout Xoshiro256) -> Int {
        let u = rng.uniform()
        var lo = 0, hi = kernelCount - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumulativeWeights[mid] > u { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }

    /// A draw of dimension `d` from kernel `k`: a truncated normal by inversion (rounded to the
    /// nearest level for discrete dimensions), or a categorical draw.
    func sample(dimension d: Int, kernel k: Int, _ rng: inout Xoshiro256) -> Double {
        switch dims[d] {
        case let .numeric(low, high, discrete, levels):
            let mu = mus[d][k], sigma = sigmas[d][k]
            let x = TruncatedNormal.draw(mu: mu, sigma: sigma, low: low, high: high, u: rng.uniform())
            if discrete { return min(max(x.rounded(.toNearestOrEven), 0), Double(levels - 1)) }
            return x
        case let .categorical(count):
            let u = rng.uniform()
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
                return NormalDistribution.logMass((x - 0.5 - mu) / sigma, (x + 0.5 - mu) / sigma) - logNormalisers[d][k]
            }
            let z = (x - mu) / sigma
            return -0.5 * z * z - log(sigma) - 0.5 * log(2 * Double.pi) - logNormalisers[d][k]
        case let .categorical(count):
            return categoricalLogP[d][k * count + Int(x)]
        }
    }

    /// log of the joint mixture density at `x` (all dimensions share the kernel).
    func jointLogPdf(_ x: [Double]) -> Double {
        var terms = [Double](repeating: 0, count: kernelCount)
        for k in 0..<kernelCount {
            var s = logWeights[k]
            for d in dims.indices { s += kernelLogPdf(dimension: d, kernel: k, x[d]) }
            terms[k] = s
        }
        return ParzenEstimator.logSumExp(terms)
    }

    /// log of dimension `d`'s marginal mixture density at `x`.
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
