/// `ml-topk`'s decision at one interval boundary, apart from the engine so each rule can be checked on its own
/// (`MLTopK` applies it and sizes the orders).
struct MLTopKRules: Sendable, Equatable {
    /// Names in the target (the best-ranked eligible names) at most.
    var k: Int
    /// Positions held at most after a decision.
    var maxPositions: Int
    /// P(UP) a name needs to be eligible.
    var minProbability: Double
    /// Bars a position is kept at least.
    var minHold: Int
    /// Bars after a sale before the name may be bought again.
    var cooldown: Int

    /// One scored name: its symbol index, P(UP) and score (P(UP) − P(DOWN)).
    struct Candidate: Sendable, Equatable {
        var symbol: Int, pUp: Double, score: Double
    }

    /// One symbol's state at the decision.
    struct Holding: Sendable, Equatable {
        /// Whether the symbol is held.
        var held = false
        /// Whether the symbol has a bar now (a position is only sold on a bar of its own).
        var hasBar = true
        /// The bar count of its last entry and last exit (nil: never sold).
        var enteredAt = 0, exitedAt: Int?
    }

    /// What to do: the names to sell, and the names to hold afterwards (those kept, then those to buy).
    struct Decision: Sendable, Equatable {
        /// The eligible names, best score first (ties: lower symbol index first).
        var ranked: [Int] = []
        /// The `k` best of `ranked`.
        var target: [Int] = []
        var exits: [Int] = []
        var kept: [Int] = []
        var entries: [Int] = []
        /// The names held after the decision: kept, then entries.
        var held: [Int] { kept + entries }
        /// For each name of `held`, whether it may be bought more of: target names only. A name kept outside the
        /// target (its minimum hold not over, or no bar of its own now) is never topped up, only trimmed.
        var mayAdd: [Bool] { held.map(target.contains) }
    }

    /// The decision at bar count `bar` from the candidates (the names with a full feature window) and every
    /// symbol's holding:
    /// - eligible: P(UP) ≥ `minProbability`, and held or sold at least `cooldown` bars ago;
    /// - target: the `k` best-scored eligible names;
    /// - a held name outside the target is sold once held `minHold` bars (on a bar of its own), else kept;
    /// - target names not held are bought, best first, while the holdings stay within `maxPositions`.
    func decide(bar: Int, candidates: [Candidate], holdings: [Holding]) -> Decision {
        var decision = Decision()
        decision.ranked = candidates.filter { c in
            let h = holdings[c.symbol]
            return c.pUp >= minProbability && (h.held || h.exitedAt.map { bar - $0 >= cooldown } ?? true)
        }.sorted { $0.score != $1.score ? $0.score > $1.score : $0.symbol < $1.symbol }.map(\.symbol)
        let target = Array(decision.ranked.prefix(k))
        decision.target = target
        for (s, h) in holdings.enumerated() where h.held {
            if !target.contains(s) && bar - h.enteredAt >= minHold && h.hasBar {
                decision.exits.append(s)
            } else {
                decision.kept.append(s)
            }
        }
        for s in target where !holdings[s].held && decision.kept.count + decision.entries.count < maxPositions {
            decision.entries.append(s)
        }
        return decision
    }

    /// The trades that bring the held names to equal weights of `equity`: for each name (`values`: its position's
    /// value now, 0 for a name to buy), the value to buy (> 0) or sell (< 0), 0 for a name within `tolerance` of
    /// its target (|value − target| ≤ tolerance × target, so small drifts cause no churn) or without a bar now
    /// (`priced` false: it cannot be valued or traded). A name whose `mayAdd` is false (kept outside the target)
    /// is only ever sold down to its target, never bought.
    static func rebalance(equity: Double, values: [Double], priced: [Bool], mayAdd: [Bool]? = nil, tolerance: Double) -> [Double] {
        guard !values.isEmpty, equity > 0 else { return values.map { _ in 0 } }
        let target = equity / Double(values.count)
        return values.indices.map { i in
            guard priced[i] else { return 0 }
            let gap = target - values[i]
            if gap > 0, let mayAdd, !mayAdd[i] { return 0 }
            return values[i] == 0 || abs(gap) > tolerance * target ? gap : 0
        }
    }
}
