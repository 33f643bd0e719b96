import Foundation
import Testing
@testable import TradewindOptimizer

/// TPE on a finite space never spends a trial on a point it already asked (`TPEConfiguration.distinctPoints`).
@Suite struct TPEDistinctPointsTests {
    let space = try! ParameterSpecParser.parse(["fast=2:30:1", "slow=5:50:1"])

    /// A narrow peak at (6, 12): the good density collapses onto a few points, where TPE without the rule repeats.
    func peak(_ p: ParameterPoint) -> Double {
        let a = (space.numericValue(of: p, at: 0) - 6) / 2, b = (space.numericValue(of: p, at: 1) - 12) / 3
        return exp(-(a * a + b * b))
    }

    func trials(_ cfg: TPEConfiguration, budget: Int, seed: UInt64, batch: Int, in space: ParameterSpace,
                constraints: ConstraintSet, objective: (ParameterPoint) -> Double) throws -> [Trial] {
        var tpe = try TPESampler(space: space, constraints: constraints, direction: .maximize, budget: budget, seed: seed,
                                 configuration: cfg)
        var out: [Trial] = []
        while case let batch = try tpe.ask(batch), !batch.isEmpty {
            out += batch
            for t in batch { tpe.tell(t.number, value: objective(t.point)) }
        }
        return out
    }

    @Test func noPointIsAskedTwiceOnADiscreteSpace() throws {
        let cs = try ConstraintSet(["fast<slow"], space: space)
        var repeatsWithoutTheRule = 0
        for multivariate in [false, true] {
            var cfg = TPEConfiguration()
            cfg.multivariate = multivariate
            for (seed, batch) in [(UInt64(1), 1), (2, 1), (3, 4)] {
                let t = try trials(cfg, budget: 200, seed: seed, batch: batch, in: space, constraints: cs, objective: peak)
                #expect(t.count == 200)
                #expect(Set(t.map(\.point)).count == 200, "multivariate \(multivariate), seed \(seed), batch \(batch)")
                #expect(t.allSatisfy { cs.isSatisfied($0.point) })
                var repeating = cfg
                repeating.distinctPoints = false
                let r = try trials(repeating, budget: 200, seed: seed, batch: batch, in: space, constraints: cs, objective: peak)
                repeatsWithoutTheRule += r.count - Set(r.map(\.point)).count
            }
        }
        // The rule matters: on this peak the sampler without it re-asks points.
        #expect(repeatsWithoutTheRule > 50)
    }

    @Test func aBudgetAsLargeAsTheSpaceAsksEveryPointOnceThenRepeats() throws {
        let small = try ParameterSpecParser.parse(["fast=2:6:1", "slow=4:8:1"])
        let cs = try ConstraintSet(["fast<slow"], space: small)
        let feasible = (2...6).flatMap { f in (4...8).filter { f < $0 } }.count  // 19 points
        let objective = { (p: ParameterPoint) in -abs(small.numericValue(of: p, at: 0) - 3) - abs(small.numericValue(of: p, at: 1) - 5) }
        for multivariate in [false, true] {
            var cfg = TPEConfiguration()
            cfg.multivariate = multivariate
            cfg.startupTrials = 5
            let exact = try trials(cfg, budget: feasible, seed: 4, batch: 1, in: small, constraints: cs, objective: objective)
            #expect(Set(exact.map(\.point)).count == feasible)
            let over = try trials(cfg, budget: feasible + 6, seed: 4, batch: 2, in: small, constraints: cs, objective: objective)
            #expect(over.count == feasible + 6)
            #expect(Set(over.map(\.point)).count == feasible)
            #expect(over.allSatisfy { cs.isSatisfied($0.point) })
        }
    }

    @Test func continuousSpacesAreUnaffected() throws {
        let mixed = try ParameterSpecParser.parse(["x=-2.0:2.0", "n=1:5:1"])
        var on = TPEConfiguration(), off = TPEConfiguration()
        off.distinctPoints = false
        on.multivariate = true
        off.multivariate = true
        let f = { (p: ParameterPoint) in -pow(mixed.numericValue(of: p, at: 0), 2) - mixed.numericValue(of: p, at: 1) }
        let a = try trials(on, budget: 40, seed: 6, batch: 1, in: mixed, constraints: .none, objective: f)
        let b = try trials(off, budget: 40, seed: 6, batch: 1, in: mixed, constraints: .none, objective: f)
        #expect(a == b)
    }

    @Test func theTrialsAreDeterministicForASeedAndBatchSize() throws {
        let cs = try ConstraintSet(["fast<slow"], space: space)
        for multivariate in [false, true] {
            var cfg = TPEConfiguration()
            cfg.multivariate = multivariate
            for batch in [1, 5] {
                let a = try trials(cfg, budget: 120, seed: 11, batch: batch, in: space, constraints: cs, objective: peak)
                let b = try trials(cfg, budget: 120, seed: 11, batch: batch, in: space, constraints: cs, objective: peak)
                #expect(a == b)
                let c = try trials(cfg, budget: 120, seed: 12, batch: batch, in: space, constraints: cs, objective: peak)
                #expect(a != c)
            }
        }
    }
}
