import TradewindCore

/// The final refinement phase of `TPESampler` on a finite space (`TPEConfiguration.refinementFraction`).
///
/// The last trials of the budget walk the grid neighbourhoods of the best local modes found so far: a told point is a
/// mode when no told neighbour has a lower loss. Modes are taken best first; the first one with a feasible neighbour
/// not yet asked gives the trial one of those neighbours (drawn with the trial's generator). A better neighbour then
/// becomes a mode itself (a hill climb); once a mode's neighbourhood is all asked it is a local optimum of the grid and
/// the walk moves on to the next mode — the second-best peak — so one seed does not stay on a single peak.
///
/// Neighbours: every point within one level in each stepped dimension (or level list), any value of a choice
/// dimension; when that product exceeds `TPESampler.maxNeighbourhood` points, only the points that change a single
/// dimension. Points already asked (told or pending) are never asked again, so a batch spreads over the neighbours.
extension TPESampler {
    /// Neighbourhoods larger than this (3^6 − 1 with six stepped dimensions) are walked along the axes only.
    static let maxNeighbourhood = 728

    /// True when trial `number` falls in the refinement phase: a finite space avoiding repeats, past the startup
    /// trials, among the last `refinementTrials(budget:)` of the budget.
    func refines(trial number: Int) -> Bool {
        avoidsRepeats && !exhausted && told >= configuration.startupTrials
            && number >= budget - configuration.refinementTrials(budget: budget)
    }

    /// The working-scale point of a refinement trial, or nil when no mode has an unasked feasible neighbour (the
    /// estimators then choose).
    func refinementPoint(_ rng: inout Xoshiro256StarStar) -> [Double]? {
        var lossAt: [[Double]: Double] = [:]
        lossAt.reserveCapacity(ranked.count)
        for r in ranked where lossAt[records[r.record].x] == nil { lossAt[records[r.record].x] = r.loss }
        var fresh: [[Double]] = []
        for r in ranked {
            let x = records[r.record].x
            guard let own = lossAt[x], own == r.loss else { continue }  // a repeat of a point with a better told loss
            var isMode = true
            fresh.removeAll(keepingCapacity: true)
            forEachNeighbour(of: x) { y in
                if let ly = lossAt[y] {
                    if ly < own { isMode = false }
                } else if !askedPoints.contains(y) && feasible(y) {
                    fresh.append(y)
                }
                return isMode
            }
            if isMode && !fresh.isEmpty { return fresh[rng.index(fresh.count)] }
        }
        return nil
    }

    /// Calls `body` with each grid neighbour of the working-scale point `x` (never `x` itself), in a fixed order,
    /// until it returns false.
    func forEachNeighbour(of x: [Double], _ body: ([Double]) -> Bool) {
        var values: [[Double]] = []
        values.reserveCapacity(tpeDims.count)
        var product = 1
        for (i, dim) in tpeDims.enumerated() {
            switch dim {
            case let .numeric(_, _, _, levels):
                values.append([x[i] - 1, x[i], x[i] + 1].filter { $0 >= 0 && $0 < Double(levels) })
            case let .categorical(count):
                values.append((0..<count).map(Double.init))
            }
            if product - 1 <= TPESampler.maxNeighbourhood { product *= values[i].count }  // stops growing past the cap
        }
        var y = x
        if product - 1 > TPESampler.maxNeighbourhood {
            for i in values.indices {
                for v in values[i] where v != x[i] {
                    y[i] = v
                    if !body(y) { return }
                }
                y[i] = x[i]
            }
            return
        }
        var digit = [Int](repeating: 0, count: values.count)
        while true {
            for i in values.indices { y[i] = values[i][digit[i]] }
            if y != x && !body(y) { return }
            var i = 0
            while i < digit.count {
                digit[i] += 1
                if digit[i] < values[i].count { break }
                digit[i] = 0
                i += 1
            }
            if i == digit.count { return }
        }
    }
}
