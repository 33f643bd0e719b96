import Testing
@testable import TradewindOptimizer

/// A smooth objective on fast/slow with its maximum 1.0 at (20, 60).
func smoothSurface(_ fast: Double, _ slow: Double) -> Double {
    let a = (fast - 20) / 15, b = (slow - 60) / 25
    return exp(-(a * a + b * b))
}

import Foundation

@Suite struct SearchMethodTests {
    let smaSpace = try! ParameterSpecParser.parse(["fast=2:100:1", "slow=2:100:1"])

    func run(_ method: inout some SearchMethod, batch: Int, objective: (ParameterPoint) -> Double) throws -> [(Trial, Double)] {
        var out: [(Trial, Double)] = []
        while true {
            let trials = try method.ask(batch)
            if trials.isEmpty { break }
            for t in trials {
                let v = objective(t.point)
                out.append((t, v))
            }
            for (t, v) in out.suffix(trials.count) { method.tell(t.number, value: v) }
        }
        return out
    }

    func surface(_ p: ParameterPoint) -> Double {
        smoothSurface(smaSpace.numericValue(of: p, at: 0), smaSpace.numericValue(of: p, at: 1))
    }

    @Test func gridStreamsEveryFeasiblePointInChunks() throws {
        let cs = try ConstraintSet(["fast<slow"], space: smaSpace)
        var grid = try GridSearch(space: smaSpace, constraints: cs)
        var numbers: [Int] = []
        var chunks = 0
        while true {
            let t = try grid.ask(1000)
            if t.isEmpty { break }
            #expect(t.count <= 1000)
            chunks += 1
            for x in t {
                #expect(cs.isSatisfied(x.point))
                #expect(smaSpace.gridIndex(of: x.point) == x.number)
            }
            numbers += t.map(\.number)
        }
        #expect(numbers.count == 99 * 98 / 2)
        #expect(numbers == numbers.sorted())
        #expect(grid.skipped == 99 * 99 - 99 * 98 / 2)
        #expect(chunks == 5)
    }

    @Test func randomSearchIsSeededAndIndependentOfBatchSize() throws {
        let cs = try ConstraintSet(["fast<slow"], space: smaSpace)
        var a = try RandomSearch(space: smaSpace, constraints: cs, budget: 50, seed: 7)
        var b = try RandomSearch(space: smaSpace, constraints: cs, budget: 50, seed: 7)
        var c = try RandomSearch(space: smaSpace, constraints: cs, budget: 50, seed: 8)
        let ra = try run(&a, batch: 1, objective: surface).map(\.0)
        let rb = try run(&b, batch: 16, objective: surface).map(\.0)
        let rc = try run(&c, batch: 1, objective: surface).map(\.0)
        #expect(ra.count == 50)
        #expect(ra == rb)
        #expect(ra != rc)
        #expect(ra.allSatisfy { cs.isSatisfied($0.point) })
    }

    @Test func tpeFindsTheOptimumOfASmoothObjective() throws {
        let cs = try ConstraintSet(["fast<slow"], space: smaSpace)
        var bests: [Double] = []
        for seed in 0..<3 as Range<UInt64> {
            var tpe = try TPESampler(space: smaSpace, constraints: cs, direction: .maximize, budget: 150, seed: seed)
            let r = try run(&tpe, batch: 1, objective: surface)
            let best = r.max { $0.1 < $1.1 }!
            bests.append(best.1)
            let f = smaSpace.numericValue(of: best.0.point, at: 0), s = smaSpace.numericValue(of: best.0.point, at: 1)
            #expect(abs(f - 20) <= 6 && abs(s - 60) <= 10, "seed \(seed): best at (\(f), \(s))")
            #expect(r.allSatisfy { cs.isSatisfied($0.0.point) })
        }
        #expect(bests.allSatisfy { $0 > 0.95 }, "\(bests)")
    }

    @Test func tpeBeatsRandomSearchOnTheSameBudget() throws {
        var tpeWins = 0
        for seed in 0..<5 as Range<UInt64> {
            var tpe = try TPESampler(space: smaSpace, direction: .minimize, budget: 80, seed: seed)
            var rnd = try RandomSearch(space: smaSpace, budget: 80, seed: seed)
            let loss: (ParameterPoint) -> Double = { 1 - self.surface($0) }
            let t = try run(&tpe, batch: 1, objective: loss).map(\.1).min()!
            let r = try run(&rnd, batch: 1, objective: loss).map(\.1).min()!
            if t <= r { tpeWins += 1 }
        }
        #expect(tpeWins >= 4)
    }

    @Test func tpeIsDeterministicForASeedAndBatchSize() throws {
        func sequence(seed: UInt64, batch: Int, multivariate: Bool) throws -> [Trial] {
            var cfg = TPEConfiguration()
            cfg.multivariate = multivariate
            var tpe = try TPESampler(space: smaSpace, direction: .maximize, budget: 40, seed: seed, configuration: cfg)
            return try run(&tpe, batch: batch, objective: surface).map(\.0)
        }
        for mv in [false, true] {
            let a = try sequence(seed: 42, batch: 1, multivariate: mv)
            #expect(a == (try sequence(seed: 42, batch: 1, multivariate: mv)))
            #expect(a != (try sequence(seed: 43, batch: 1, multivariate: mv)))
            let b4 = try sequence(seed: 42, batch: 4, multivariate: mv)
            #expect(b4 == (try sequence(seed: 42, batch: 4, multivariate: mv)))
            // Startup trials do not depend on the batch size.
            #expect(Array(a.prefix(10)) == Array(b4.prefix(10)))
        }
    }

    @Test func tpeReachesAnOptimumOnTheEdgesOfTheSpace() throws {
        // Maximum at the corner fast = 2 (the lowest level), slow = 100 (the highest), a ridge along both edges.
        let cs = try ConstraintSet(["fast<slow"], space: smaSpace)
        let edge = { (p: ParameterPoint) in
            -pow((self.smaSpace.numericValue(of: p, at: 0) - 2) / 30, 2) - pow((100 - self.smaSpace.numericValue(of: p, at: 1)) / 30, 2)
        }
        var atCorner = 0
        for seed in UInt64(0)..<5 {
            var tpe = try TPESampler(space: smaSpace, constraints: cs, direction: .maximize, budget: 150, seed: seed)
            let r = try run(&tpe, batch: 1, objective: edge)
            let fasts = r.map { smaSpace.numericValue(of: $0.0.point, at: 0) }, slows = r.map { smaSpace.numericValue(of: $0.0.point, at: 1) }
            #expect(fasts.filter { $0 == 2 }.count >= 3, "seed \(seed): the lowest level is sampled")
            #expect(slows.filter { $0 == 100 }.count >= 3, "seed \(seed): the highest level is sampled")
            let best = r.max { $0.1 < $1.1 }!.0.point
            if smaSpace.numericValue(of: best, at: 0) == 2 && smaSpace.numericValue(of: best, at: 1) == 100 { atCorner += 1 }
        }
        #expect(atCorner >= 4)
    }

    @Test func tpeTailCacheDoesNotChangeTheTrials() throws {
        var cfg = TPEConfiguration()
        cfg.multivariate = true
        let cs = try ConstraintSet(["fast<slow"], space: smaSpace)
        var cached = try TPESampler(space: smaSpace, constraints: cs, direction: .maximize, budget: 60, seed: 9, configuration: cfg)
        var fresh = cached
        let a = try run(&cached, batch: 1, objective: surface).map(\.0)
        var b: [Trial] = []
        while let t = try fresh.ask(1).first {
            b.append(t)
            fresh.tell(t.number, value: surface(t.point))
            fresh.tailCache = TailCache()
        }
        #expect(a == b)
        #expect(!cached.tailCache.entries.isEmpty)
    }

    @Test func tpeHandlesContinuousLogAndCategoricalDimensions() throws {
        let space = try ParameterSpecParser.parse(["x=-5.0:5.0", "lr=log:0.0001:1", "kind=a,b,c", "fixed=3"])
        var cfg = TPEConfiguration()
        cfg.multivariate = true
        var tpe = try TPESampler(space: space, direction: .minimize, budget: 120, seed: 3, configuration: cfg)
        // Minimum at x = 1, lr = 0.01, kind = b.
        let r = try run(&tpe, batch: 1) { p in
            let x = space.numericValue(of: p, at: 0), lr = space.numericValue(of: p, at: 1)
            let k = space.value(of: p, at: 2) == .string("b") ? 0.0 : 1.0
            return (x - 1) * (x - 1) + pow(log10(lr) + 2, 2) + k
        }
        let best = r.min { $0.1 < $1.1 }!
        #expect(best.1 < 0.5)
        #expect(space.value(of: best.0.point, at: 2) == .string("b"))
        #expect(r.allSatisfy { space.value(of: $0.0.point, at: 3) == .int(3) })
        #expect(r.allSatisfy { let lr = space.numericValue(of: $0.0.point, at: 1); return lr >= 0.0001 && lr <= 1 })
    }

    @Test func infeasibleResultsAndTinyBudgetsAreHandled() throws {
        var tpe = try TPESampler(space: smaSpace, direction: .maximize, budget: 30, seed: 1)
        // Every other trial reports NaN (e.g. too few trades): the sampler keeps going.
        var n = 0
        let r = try run(&tpe, batch: 3) { p in n += 1; return n % 2 == 0 ? .nan : self.surface(p) }
        #expect(r.count == 30)
        #expect(throws: OptimizerError.self) { try TPESampler(space: smaSpace, direction: .maximize, budget: 0, seed: 1) }
    }

    @Test func objectiveTiesBreakByTrialNumber() {
        let d = ObjectiveDirection.maximize
        #expect(d.ranksBefore(1, 5, 1, 7))
        #expect(!d.ranksBefore(1, 7, 1, 5))
        #expect(d.ranksBefore(2, 9, 1, 1))
        #expect(d.ranksBefore(-100, 9, .nan, 1))
        #expect(ObjectiveDirection.minimize.ranksBefore(1, 9, 2, 1))
    }
}
