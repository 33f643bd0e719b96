import Foundation
import Testing
@testable import TradewindOptimizer

/// The final refinement phase of TPE on a finite space (`TPEConfiguration.refinementFraction`): the last trials walk
/// the grid neighbourhoods of the best modes told so far.
@Suite struct TPERefinementTests {
    let space = try! ParameterSpecParser.parse(["fast=2:60:1", "slow=5:80:1"])

    /// A bowl with its single best point at fast 17, slow 33 (unimodal on the grid).
    func bowl(_ p: ParameterPoint) -> Double {
        -abs(space.numericValue(of: p, at: 0) - 17) - abs(space.numericValue(of: p, at: 1) - 33)
    }

    /// Two narrow peaks: the best at (9, 41), a lower one at (30, 70), on a flat floor.
    func twoPeaks(_ p: ParameterPoint) -> Double {
        let f = space.numericValue(of: p, at: 0), s = space.numericValue(of: p, at: 1)
        let a = max(abs(f - 9), abs(s - 41)), b = max(abs(f - 30), abs(s - 70))
        return max(1 - 0.1 * a, 0.8 - 0.1 * b, 0)
    }

    func trials(_ cfg: TPEConfiguration, budget: Int, seed: UInt64, batch: Int, constraints: ConstraintSet,
                objective: (ParameterPoint) -> Double) throws -> [(Trial, Double)] {
        var tpe = try TPESampler(space: space, constraints: constraints, direction: .maximize, budget: budget, seed: seed,
                                 configuration: cfg)
        var out: [(Trial, Double)] = []
        while case let batch = try tpe.ask(batch), !batch.isEmpty {
            for t in batch {
                let v = objective(t.point)
                out.append((t, v))
                tpe.tell(t.number, value: v)
            }
        }
        return out
    }

    func levels(_ p: ParameterPoint) -> (Int, Int) { (Int(p.coordinates[0]), Int(p.coordinates[1])) }

    @Test func theRefinementNeverAsksAPointTwiceAndStaysInTheFeasibleSpace() throws {
        let cs = try ConstraintSet(["fast<slow"], space: space)
        var cfg = TPEConfiguration()
        cfg.refinementFraction = 0.5
        for (seed, batch) in [(UInt64(1), 1), (2, 1), (3, 4), (4, 7)] {
            for objective in [bowl, twoPeaks] {
                let t = try trials(cfg, budget: 160, seed: seed, batch: batch, constraints: cs, objective: objective)
                #expect(t.count == 160)
                #expect(Set(t.map(\.0.point)).count == 160, "seed \(seed), batch \(batch)")
                #expect(t.allSatisfy { cs.isSatisfied($0.0.point) })
                #expect(t.allSatisfy { (0..<59).contains(levels($0.0.point).0) && (0..<76).contains(levels($0.0.point).1) })
            }
        }
    }

    @Test func eachRefinementTrialIsANeighbourOfAToldModeBestFirst() throws {
        var cfg = TPEConfiguration()
        cfg.refinementFraction = 0.3
        let budget = 100, first = budget - cfg.refinementTrials(budget: budget)
        for seed: UInt64 in 0..<4 {
            let t = try trials(cfg, budget: budget, seed: seed, batch: 1, constraints: .none, objective: twoPeaks)
            for n in first..<budget {
                // Reference: the told points before trial n, best first (ties by trial number); the first mode (no told
                // neighbour better) with an unasked neighbour must be a neighbour of trial n.
                let told = t.prefix(n).sorted { ($0.1, -$0.0.number) > ($1.1, -$1.0.number) }
                func key(_ p: (Int, Int)) -> Int { p.0 * 1_000 + p.1 }
                let asked = Set(t.prefix(n).map { key(levels($0.0.point)) })
                var value: [Int: Double] = [:]
                for (trial, v) in t.prefix(n) { value[key(levels(trial.point))] = v }
                func neighbours(_ p: (Int, Int)) -> [(Int, Int)] {
                    (-1...1).flatMap { df in (-1...1).map { ds in (p.0 + df, p.1 + ds) } }
                        .filter { $0 != p && (0..<59).contains($0.0) && (0..<76).contains($0.1) }
                }
                let mode = told.first { trial, v in
                    let p = levels(trial.point), around = neighbours(p)
                    return around.allSatisfy { (value[key($0)] ?? -.infinity) <= v } && around.contains { !asked.contains(key($0)) }
                }
                let target = try #require(mode, "seed \(seed), trial \(n)")
                let p = levels(t[n].0.point), m = levels(target.0.point)
                #expect(max(abs(p.0 - m.0), abs(p.1 - m.1)) == 1, "seed \(seed), trial \(n)")
            }
        }
    }

    @Test func theRefinementClimbsToTheExactOptimumOfABowl() throws {
        let cs = try ConstraintSet(["fast<slow"], space: space)
        for seed: UInt64 in 0..<5 {
            let t = try trials(TPEConfiguration(), budget: 200, seed: seed, batch: 1, constraints: cs, objective: bowl)
            #expect(t.map(\.1).max() == 0, "seed \(seed)")
        }
    }

    @Test func theRefinedTrialsAreDeterministicForASeedAndBatchSize() throws {
        var cfg = TPEConfiguration()
        cfg.refinementFraction = 0.5
        for batch in [1, 4] {
            let a = try trials(cfg, budget: 120, seed: 5, batch: batch, constraints: .none, objective: twoPeaks).map(\.0)
            let b = try trials(cfg, budget: 120, seed: 5, batch: batch, constraints: .none, objective: twoPeaks).map(\.0)
            let c = try trials(cfg, budget: 120, seed: 6, batch: batch, constraints: .none, objective: twoPeaks).map(\.0)
            #expect(a == b)
            #expect(a != c)
        }
    }

    @Test func noRefinementLeavesTheTrialsOfTheEstimatorsUnchangedUntilItsPhase() throws {
        var off = TPEConfiguration(), on = TPEConfiguration()
        off.refinementFraction = 0
        on.refinementFraction = 0.25
        let a = try trials(off, budget: 80, seed: 2, batch: 1, constraints: .none, objective: twoPeaks).map(\.0)
        let b = try trials(on, budget: 80, seed: 2, batch: 1, constraints: .none, objective: twoPeaks).map(\.0)
        #expect(Array(a.prefix(60)) == Array(b.prefix(60)))
        #expect(Array(a.suffix(20)) != Array(b.suffix(20)))
    }

    @Test func neighbourhoodsAreTheAdjacentLevelsOrTheAxesInManyDimensions() throws {
        let tpe = try TPESampler(space: space, direction: .maximize, budget: 10, seed: 0)
        var inside: [[Double]] = [], corner: [[Double]] = []
        tpe.forEachNeighbour(of: [10, 20]) { inside.append($0); return true }
        tpe.forEachNeighbour(of: [0, 75]) { corner.append($0); return true }
        #expect(Set(inside).count == 8 && !inside.contains([10, 20]))
        #expect(inside.allSatisfy { abs($0[0] - 10) <= 1 && abs($0[1] - 20) <= 1 })
        #expect(Set(corner) == [[1, 75], [0, 74], [1, 74]])

        let seven = try ParameterSpecParser.parse((0..<7).map { "p\($0)=1:9:1" })
        let wide = try TPESampler(space: seven, direction: .maximize, budget: 10, seed: 0)
        var axis: [[Double]] = []
        wide.forEachNeighbour(of: [Double](repeating: 4, count: 7)) { axis.append($0); return true }
        #expect(axis.count == 14)
        #expect(axis.allSatisfy { y in y.filter { $0 != 4 }.count == 1 })
    }

    @Test func aRefinementFractionOutsideZeroToOneIsRejected() {
        for bad in [-0.1, 1.5, Double.nan] {
            var cfg = TPEConfiguration()
            cfg.refinementFraction = bad
            #expect(throws: OptimizerError.self) {
                _ = try TPESampler(space: space, direction: .maximize, budget: 10, seed: 0, configuration: cfg)
            }
        }
    }
}
