import Testing
@testable import TradewindOptimizer

@Suite struct ConstraintTests {
    let space = try! ParameterSpecParser.parse(["fast=2:100:1", "slow=2:100:1", "buy_trigger=0.5:3:0.5", "sell_trigger=0.5:3:0.5", "mode=a,b"])

    func point(_ fast: Int, _ slow: Int, _ buy: Double = 1, _ sell: Double = 1) -> ParameterPoint {
        space.point(["fast": .int(fast), "slow": .int(slow), "buy_trigger": .real(buy), "sell_trigger": .real(sell), "mode": .string("a")])!
    }

    @Test func comparisonsAndArithmeticEvaluate() throws {
        let c = try ConstraintExpression("fast<slow", space: space)
        #expect(c.isSatisfied(point(5, 10)))
        #expect(!c.isSatisfied(point(10, 10)))
        let d = try ConstraintExpression("sell_trigger>=buy_trigger/2", space: space)
        #expect(d.isSatisfied(point(2, 3, 2, 1)))
        #expect(!d.isSatisfied(point(2, 3, 2.5, 1)))
        let e = try ConstraintExpression("(fast + 2) * 2 <= slow - -1 and fast != 3 || slow == 100", space: space)
        #expect(e.isSatisfied(point(4, 11)))    // 12 <= 12, fast != 3
        #expect(!e.isSatisfied(point(3, 11)))
        #expect(e.isSatisfied(point(3, 100)))
        let f = try ConstraintExpression("(fast < 10 or slow > 50) && fast*3 < slow", space: space)
        #expect(f.isSatisfied(point(5, 20)))
        #expect(!f.isSatisfied(point(20, 40)))
        #expect(f.isSatisfied(point(20, 70)))
        #expect(f.dimensions == [0, 1])
    }

    @Test func errorsNameTheColumn() {
        #expect(throws: OptimizerError.unknownConstraintName(expression: "fast<slwo", name: "slwo", column: 6, known: space.names)) {
            try ConstraintExpression("fast<slwo", space: space)
        }
        #expect(throws: OptimizerError.invalidConstraint(expression: "fast=slow", column: 5, reason: "unexpected character '=' (use == to compare)")) {
            try ConstraintExpression("fast=slow", space: space)
        }
        #expect(throws: OptimizerError.invalidConstraint(expression: "fast+slow", column: 10, reason: "expected a comparison (<, <=, >, >=, ==, !=) but found end of expression")) {
            try ConstraintExpression("fast+slow", space: space)
        }
        #expect(throws: OptimizerError.invalidConstraint(expression: "fast < (slow", column: 13, reason: "expected ')' but found end of expression")) {
            try ConstraintExpression("fast < (slow", space: space)
        }
        #expect(throws: OptimizerError.nonNumericConstraintName(expression: "mode < 1", name: "mode", column: 1)) {
            try ConstraintExpression("mode < 1", space: space)
        }
        #expect(throws: OptimizerError.self) { try ConstraintExpression("", space: space) }
        #expect(throws: OptimizerError.self) { try ConstraintExpression("fast < slow slow", space: space) }
    }

    @Test func divisionByZeroMakesThePointInfeasible() throws {
        let s = try ParameterSpecParser.parse(["a=0:2:1", "b=0:2:1"])
        let c = try ConstraintExpression("a / b < 10", space: s)
        #expect(!c.isSatisfied(s.point(["a": .int(0), "b": .int(0)])!))  // NaN
        #expect(!c.isSatisfied(s.point(["a": .int(1), "b": .int(0)])!))  // inf
        #expect(c.isSatisfied(s.point(["a": .int(1), "b": .int(1)])!))
    }

    @Test func infeasibleGridsAreDetectedBeforeWork() throws {
        let s = try ParameterSpecParser.parse(["fast=50:100:1", "slow=2:40:1"])
        let cs = try ConstraintSet(["fast<slow"], space: s)
        #expect(throws: OptimizerError.noFeasiblePoint(constraints: ["fast<slow"], checked: 51 * 39)) {
            try cs.requireFeasible(in: s)
        }
        let ok = try ConstraintSet(["fast<slow", "slow - fast >= 30"], space: space)
        let w = try ok.requireFeasible(in: space)
        #expect(ok.isSatisfied(w))
        // Early exit: a feasible point near the start stops the scan.
        if case let .feasible(_, checked) = try ok.feasibility(in: space) { #expect(checked < 10_000) } else { Issue.record("expected feasible") }
        // Budget exhausted without proof: undetermined.
        let tight = try ConstraintSet(["fast == 100", "slow == 100"], space: space)
        #expect(try tight.feasibility(in: space, budget: 10) == .undetermined(checked: 10))
    }
}
