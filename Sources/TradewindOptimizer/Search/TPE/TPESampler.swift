import TradewindCore
import TradewindData
import Foundation

/// Settings of the TPE sampler; the defaults are Optuna's (`TPESampler` in optuna 5.0), `multivariate`
/// included (Optuna 5 models the dimensions jointly by default for single-objective studies), plus
/// `distinctPoints`, which Optuna lacks: on a finite space no trial is spent on a point already asked.
/// `tradewind bench tpe --study` compares settings, and Optuna, on many series.
public struct TPEConfiguration: Sendable, Hashable {
    /// Trials drawn uniformly at random before the estimators take over (counted in told trials).
    public var startupTrials = 10
    /// Candidates drawn from the "good" density per trial; the best ratio wins.
    public var eiCandidates = 24
    /// Weight of the prior kernel in both estimators.
    public var priorWeight = 1.0
    /// Clip bandwidths from below to range/min(100, n+2).
    public var considerMagicClip = true
    /// Let the range ends widen the outermost kernels.
    public var considerEndpoints = false
    /// Model the dimensions jointly (one kernel index per candidate) instead of one by one.
    public var multivariate = true
    /// "Good" trials: ceil(gammaFraction · n), at most gammaCap (Optuna: 0.1 and 25).
    public var gammaFraction = 0.1
    public var gammaCap = 25
    /// Rounds of `eiCandidates` draws tried when constraints reject every candidate, before
    /// falling back to uniform feasible draws.
    public var constraintRounds = 64
    /// Uniform draws tried per trial, at the end, before `.constraintsTooRestrictive`.
    public var maxUniformAttempts = 100_000
    /// On a finite space (every searched dimension stepped, a level list or a choice), never spend a trial on a
    /// point already asked: the best-scoring candidate not yet asked wins, and when every feasible candidate of
    /// `TPESampler.roundsBeforeExploring` rounds was asked before, a uniform draw among the points not yet asked is
    /// used. Once no unasked feasible point is found, points repeat (a budget larger than the space).
    public var distinctPoints = true
    /// On a finite space avoiding repeats (`distinctPoints`): the fraction of the budget, at its end, spent walking the
    /// grid neighbourhoods of the best modes found (a local refinement: see `TPESampler`); 0 turns it off.
    public var refinementFraction = 0.2

    public init() {}

    /// The trials of the refinement phase for a budget: ⌊refinementFraction · budget⌋.
    public func refinementTrials(budget: Int) -> Int { Int((refinementFraction * Double(budget)).rounded(.down)) }

    /// The size of the "good" group for `n` told trials.
    public func goodCount(_ n: Int) -> Int { min(Int((gammaFraction * Double(n)).rounded(.up)), gammaCap) }
}

/// A Tree-structured Parzen Estimator sampler in the manner of Optuna's.
///
/// After `startupTrials` uniform draws, each new trial splits the told trials by objective into
/// the best `γ(n)` ("below", good) and the rest ("above"), fits a Parzen estimator to each (see
/// `ParzenEstimator`), draws `eiCandidates` candidates from the good density and keeps the one
/// that maximises log l(x) − log g(x). Working scales: level indices for stepped ranges and level
/// lists (affine in the values, so equivalent to Optuna's stepped distributions), the value or its
/// logarithm for continuous ranges, the choice index for choices; fixed values are not searched.
///
/// Multivariate (default): candidates share one kernel across dimensions and are scored by the
/// joint densities. Univariate: each dimension picks its own best candidate independently, as
/// Optuna's independent TPE does.
///
/// Finite spaces (`distinctPoints`, default): a point already asked (told or pending) never wins;
/// the best-scoring new candidate does, and when `roundsBeforeExploring` rounds of candidates were
/// all asked before (the good density's mass lies on known points), a uniform draw among the
/// points not yet asked is used. A repeated trial would only return a known objective.
///
/// Refinement (finite spaces, `refinementFraction`, default the last 20 % of the budget): the trials walk the grid
/// neighbourhoods of the best modes told so far, best mode first, moving to the next mode once one is a local optimum
/// of the grid (`TPERefinement.swift`). TPE's density finds the basins; a narrow peak of one to three grid points is
/// then climbed, and a second basin is tried, rather than left to chance draws.
///
/// Constraints (known before evaluation) are handled by rejection: only candidates satisfying
/// them can win. If the univariate per-dimension choice violates a constraint, candidates are
/// scored jointly (sum of per-dimension scores) among the feasible ones; if a round of candidates
/// has no feasible one, another round is drawn (up to `constraintRounds`), then a uniform feasible
/// draw is used. Trials told NaN (infeasible results, e.g. too few trades) join the "above" group
/// unless the good group would otherwise be short, as Optuna treats infeasible trials.
///
/// Batches: trials asked but not yet told are placed in the "above" group (Optuna's constant
/// liar), so a batch does not collapse onto one point. Each trial draws from its own generator
/// stream (seed, trial number): for a fixed seed and batch size the trial sequence is
/// deterministic, whatever the number of threads evaluating it.
public struct TPESampler: SearchMethod, Sendable {
    public let space: ParameterSpace
    public let constraints: ConstraintSet
    public let direction: ObjectiveDirection
    public let configuration: TPEConfiguration
    public let budget: Int
    public let seed: UInt64

    /// Indices of the searched (non-fixed) dimensions, and their working-scale descriptions.
    let searched: [Int]
    let tpeDims: [TPEDimension]

    struct Record: Sendable {
        let number: Int
        let x: [Double]     // working scale, searched dimensions only
        var loss: Double?   // nil while pending; NaN when infeasible
    }
    var records: [Record] = []
    var indexOfNumber: [Int: Int] = [:]
    /// Normal tails reused across trials (a pure cache: results do not depend on it).
    var tailCache = TailCache()
    /// Working-scale points asked so far (finite spaces with `distinctPoints` only).
    var askedPoints: Set<[Double]> = []
    /// True when every searched dimension has finitely many values and `distinctPoints` is on.
    let avoidsRepeats: Bool
    /// Set once a search for an unasked feasible point failed: from then on points may repeat.
    var exhausted = false
    /// Told trials with a finite loss, ascending by (loss, number): kept sorted on `tell`.
    var ranked: [(loss: Double, number: Int, record: Int)] = []
    public private(set) var asked = 0
    public private(set) var told = 0

    public init(space: ParameterSpace, constraints: ConstraintSet = .none, direction: ObjectiveDirection,
                budget: Int, seed: UInt64, configuration: TPEConfiguration = TPEConfiguration()) throws(OptimizerError) {
        guard budget >= 1 else { throw .invalidArgument(name: "trial budget", value: String(budget), valid: "an integer ≥ 1") }
        guard configuration.eiCandidates >= 1 else {
            throw .invalidArgument(name: "EI candidates", value: String(configuration.eiCandidates), valid: "an integer ≥ 1")
        }
        guard configuration.startupTrials >= 0, configuration.priorWeight >= 0, configuration.gammaFraction > 0, configuration.gammaCap >= 1,
              (0...1).contains(configuration.refinementFraction) else {
            throw .invalidArgument(name: "TPE configuration", value: "\(configuration)",
                                   valid: "startupTrials ≥ 0, priorWeight ≥ 0, gammaFraction > 0, gammaCap ≥ 1, refinementFraction in 0…1")
        }
        self.space = space
        self.constraints = constraints
        self.direction = direction
        self.configuration = configuration
        self.budget = budget
        self.seed = seed
        var searched: [Int] = []
        var dims: [TPEDimension] = []
        for (i, d) in space.dimensions.enumerated() {
            switch d.domain {
            case .fixed: continue
            case let .continuous(low, high, logScale):
                dims.append(logScale ? .numeric(low: log(low), high: log(high), discrete: false, levels: 0)
                                     : .numeric(low: low, high: high, discrete: false, levels: 0))
            case .choices:
                dims.append(.categorical(count: d.levelCount!))
            case .stepped, .levels:
                let n = d.levelCount!
                dims.append(.numeric(low: -0.5, high: Double(n) - 0.5, discrete: true, levels: n))
            }
            searched.append(i)
        }
        self.searched = searched
        self.tpeDims = dims
        avoidsRepeats = configuration.distinctPoints && !searched.isEmpty && dims.allSatisfy(\.isDiscrete)
    }

    // MARK: Scale conversion

    func working(_ p: ParameterPoint) -> [Double] {
        searched.map { i in
            if case let .continuous(_, _, logScale) = space.dimensions[i].domain, logScale { return log(p.coordinates[i]) }
            return p.coordinates[i]
        }
    }

    func point(fromWorking x: [Double]) -> ParameterPoint {
        var c = [Double](repeating: 0, count: space.count)
        for (j, i) in searched.enumerated() {
            if case let .continuous(low, high, logScale) = space.dimensions[i].domain {
                c[i] = logScale ? min(max(exp(x[j]), low), high) : x[j]
            } else {
                c[i] = x[j]
            }
        }
        return ParameterPoint(coordinates: c)
    }

    /// True when the working-scale point `x` satisfies the constraints (no allocation).
    func feasible(_ x: [Double]) -> Bool {
        if constraints.isEmpty { return true }
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: space.count) { c in
            c.initialize(repeating: 0)
            for (j, i) in searched.enumerated() {
                if case let .continuous(low, high, true) = space.dimensions[i].domain {
                    c[i] = min(max(exp(x[j]), low), high)
                } else {
                    c[i] = x[j]
                }
            }
            return constraints.isSatisfied(coordinates: UnsafeBufferPointer(c))
        }
    }

    // MARK: Ask / tell

    public mutating func ask(_ count: Int) throws(OptimizerError) -> [Trial] {
        var out: [Trial] = []
        while out.count < count && asked < budget {
            let number = asked
            var rng = Xoshiro256StarStar(seed: seed, stream: UInt64(number))
            let p: ParameterPoint
            if told < configuration.startupTrials || searched.isEmpty {
                if let fresh = unaskedUniformDraw(&rng) {
                    p = fresh
                } else {
                    p = try RandomSearch.feasibleDraw(space: space, constraints: constraints, rng: &rng,
                                                      maxAttempts: configuration.maxUniformAttempts)
                }
            } else if refines(trial: number), let x = refinementPoint(&rng) {
                p = point(fromWorking: x)
            } else {
                p = try sampleByEstimators(&rng)
            }
            let x = working(p)
            if avoidsRepeats { askedPoints.insert(x) }
            indexOfNumber[number] = records.count
            records.append(Record(number: number, x: x, loss: nil))
            out.append(Trial(number: number, point: p))
            asked += 1
        }
        return out
    }

    public mutating func tell(_ number: Int, value: Double) {
        guard let i = indexOfNumber[number], records[i].loss == nil else { return }
        let loss = value.isNaN ? Double.nan : direction.loss(value)
        records[i].loss = loss
        told += 1
        if !loss.isNaN {
            var lo = 0, hi = ranked.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if (ranked[mid].loss, ranked[mid].number) < (loss, number) { lo = mid + 1 } else { hi = mid }
            }
            ranked.insert((loss, number, i), at: lo)
        }
    }

    /// Splits records into (good, rest) by loss, ties by trial number; pending and NaN records go
    /// to the rest unless the good group would be short of γ(n). Both groups in trial-number order.
    func split() -> (below: [[Double]], above: [[Double]]) {
        let nBelow = configuration.goodCount(told)
        var isBelow = [Bool](repeating: false, count: records.count)
        var taken = 0
        for r in ranked.prefix(nBelow) {
            isBelow[r.record] = true
            taken += 1
        }
        if taken < nBelow {
            for (i, r) in records.enumerated() where taken < nBelow && r.loss?.isNaN == true {
                isBelow[i] = true
                taken += 1
            }
        }
        var below: [[Double]] = [], above: [[Double]] = []
        below.reserveCapacity(taken)
        above.reserveCapacity(records.count - taken)
        for (i, r) in records.enumerated() {  // records are in trial-number order
            if isBelow[i] { below.append(r.x) } else { above.append(r.x) }
        }
        return (below, above)
    }

    mutating func sampleByEstimators(_ rng: inout Xoshiro256StarStar) throws(OptimizerError) -> ParameterPoint {
        let (belowObs, aboveObs) = split()
        let c = configuration
        let l = ParzenEstimator(observations: belowObs, dims: tpeDims, priorWeight: c.priorWeight,
                                considerMagicClip: c.considerMagicClip, considerEndpoints: c.considerEndpoints, tailCache: tailCache)
        let g = ParzenEstimator(observations: aboveObs, dims: tpeDims, priorWeight: c.priorWeight,
                                considerMagicClip: c.considerMagicClip, considerEndpoints: c.considerEndpoints, tailCache: tailCache)
        defer {
            tailCache.absorb(l)
            tailCache.absorb(g)
        }
        let d = tpeDims.count
        let m = c.eiCandidates
        // The best feasible candidate seen, asked before or not: the answer when no unasked point is found.
        var repeated: (x: [Double], score: Double)?
        var roundsAllAsked = 0
        for round in 0..<max(c.constraintRounds, 1) {
            var candidates = [[Double]](repeating: [Double](repeating: 0, count: d), count: m)
            var scores = [Double](repeating: 0, count: m)
            if c.multivariate {
                for j in 0..<m {
                    let k = l.drawKernel(&rng)
                    for i in 0..<d { candidates[j][i] = l.sample(dimension: i, kernel: k, &rng) }
                }
                let ll = l.jointLogDensities(candidates), gg = g.jointLogDensities(candidates)
                for j in 0..<m { scores[j] = ll[j] - gg[j] }
            } else {
                // Dimension by dimension, as Optuna's independent sampler.
                var perDim = [[Double]](repeating: [Double](repeating: 0, count: m), count: d)
                for i in 0..<d {
                    for j in 0..<m {
                        let k = l.drawKernel(&rng)
                        candidates[j][i] = l.sample(dimension: i, kernel: k, &rng)
                    }
                    let xs = candidates.map { $0[i] }
                    let ll = l.marginalLogDensities(dimension: i, values: xs), gg = g.marginalLogDensities(dimension: i, values: xs)
                    for j in 0..<m { perDim[i][j] = ll[j] - gg[j] }
                }
                if round == 0 {
                    var best = [Double](repeating: 0, count: d)
                    for i in 0..<d { best[i] = candidates[TPESampler.argmax(perDim[i])][i] }
                    if feasible(best) && !wasAsked(best) { return point(fromWorking: best) }
                }
                for j in 0..<m {
                    var s = 0.0
                    for i in 0..<d { s += perDim[i][j] }
                    scores[j] = s
                }
            }
            var bestJ = -1, bestAskedJ = -1
            for j in 0..<m where feasible(candidates[j]) {
                if wasAsked(candidates[j]) {
                    if bestAskedJ < 0 || TPESampler.better(scores[j], than: scores[bestAskedJ]) { bestAskedJ = j }
                } else if bestJ < 0 || TPESampler.better(scores[j], than: scores[bestJ]) {
                    bestJ = j
                }
            }
            if bestJ >= 0 { return point(fromWorking: candidates[bestJ]) }
            if bestAskedJ >= 0 {
                if repeated == nil || TPESampler.better(scores[bestAskedJ], than: repeated!.score) {
                    repeated = (candidates[bestAskedJ], scores[bestAskedJ])
                }
                // The good density's mass lies on points already asked: explore instead of redrawing it.
                roundsAllAsked += 1
                if roundsAllAsked >= TPESampler.roundsBeforeExploring { break }
            }
        }
        if let fresh = unaskedUniformDraw(&rng) { return fresh }
        if let repeated { return point(fromWorking: repeated.x) }
        return try RandomSearch.feasibleDraw(space: space, constraints: constraints, rng: &rng, maxAttempts: c.maxUniformAttempts)
    }

    /// Rounds of candidates that were all asked before, after which a uniform unasked point is drawn.
    static let roundsBeforeExploring = 4

    /// True when repeats are avoided and the working-scale point `x` was asked before.
    func wasAsked(_ x: [Double]) -> Bool { avoidsRepeats && !exhausted && askedPoints.contains(x) }

    /// A uniform feasible draw not asked before (finite spaces avoiding repeats; nil otherwise, or when
    /// `maxUniformAttempts` draws found none, e.g. once the budget exceeds the feasible points: then `exhausted`).
    mutating func unaskedUniformDraw(_ rng: inout Xoshiro256StarStar) -> ParameterPoint? {
        guard avoidsRepeats, !exhausted else { return nil }
        if let size = try? space.gridSize(), askedPoints.count >= size {
            exhausted = true
            return nil
        }
        var c = [Double](repeating: 0, count: space.count)
        for _ in 0..<configuration.maxUniformAttempts {
            UniformDraw.fill(&c, space: space, rng: &rng)
            let p = ParameterPoint(coordinates: c)
            let x = working(p)
            if feasible(x) && !askedPoints.contains(x) { return p }
        }
        exhausted = true
        return nil
    }

    /// True when score `a` beats `b` (NaN never beats a number).
    static func better(_ a: Double, than b: Double) -> Bool { a > b || (b.isNaN && !a.isNaN) }

    /// The first index of the largest value (NaN never wins unless all are NaN).
    static func argmax(_ v: [Double]) -> Int {
        var b = 0
        for j in 1..<v.count where v[j] > v[b] || (v[b].isNaN && !v[j].isNaN) { b = j }
        return b
    }
}
