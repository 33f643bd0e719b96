import Testing
@testable import TradewindOptimizer

@Suite struct ParameterSpaceTests {
    @Test func decimalStepsGiveTheNearestDoubleWithoutDrift() throws {
        let d = try ParameterSpecParser.parse("x=0:1:0.1")
        #expect(d.levelCount == 11)
        #expect(d.numericValue(3) == 0.3)
        #expect(d.numericValue(7) == 0.7)
        #expect(d.numericValue(10) == 1.0)
        let values = (0..<11).map { d.numericValue(Double($0)) }
        #expect(values == [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0])
        // Stop not on a step: the last value is the largest step below it.
        let e = try ParameterSpecParser.parse("y=1.5:2.26:0.25")
        #expect(e.levelCount == 4)
        #expect(e.numericValue(3) == 2.25)
    }

    @Test func integerRangesReportIntegerValues() throws {
        let d = try ParameterSpecParser.parse("fast=2:100:1")
        #expect(d.levelCount == 99)
        #expect(d.value(0) == .int(2))
        #expect(d.value(98) == .int(100))
        let r = try ParameterSpecParser.parse("k=1.0:3.0:1.0")
        #expect(r.value(1) == .real(2.0))
        #expect(r.spec == "k=1.0:3.0:1.0")
        #expect(try ParameterSpecParser.parse(r.spec) == r)
        #expect(try ParameterSpecParser.parse(d.spec) == d)
        let e = try ParameterSpecParser.parse("slow=10:50")
        #expect(e.levelCount == 41)
        #expect(e.value(1) == .int(11))
    }

    @Test func specFormsParseToTheirDomains() throws {
        #expect(try ParameterSpecParser.parse("mode=fast,slow").domain == .choices([.string("fast"), .string("slow")]))
        #expect(try ParameterSpecParser.parse("n=1,2,5").domain == .choices([.int(1), .int(2), .int(5)]))
        #expect(try ParameterSpecParser.parse("k=2.5").domain == .fixed(.real(2.5)))
        #expect(try ParameterSpecParser.parse("a=0.5:1.5").domain == .continuous(low: 0.5, high: 1.5, logScale: false))
        #expect(try ParameterSpecParser.parse("lr=log:0.001:1").domain == .continuous(low: 0.001, high: 1, logScale: true))
        let g = try ParameterSpecParser.parse("w=log:1:1000:4")
        guard case let .levels(levels, integer) = g.domain else { Issue.record("not levels"); return }
        #expect(integer)
        #expect(levels == [1, 10, 100, 1000])
        let r = try ParameterSpecParser.parse("z=log:1:100:3")
        #expect(r.numericValue(1) == 10)
    }

    @Test func invalidSpecsAreTypedErrors() {
        #expect(throws: OptimizerError.nonPositiveStep(parameter: "x", step: "0")) { try ParameterSpecParser.parse("x=1:5:0") }
        #expect(throws: OptimizerError.nonPositiveStep(parameter: "x", step: "-1")) { try ParameterSpecParser.parse("x=1:5:-1") }
        #expect(throws: OptimizerError.emptyRange(parameter: "x", reason: "stop 1 is below start 5")) { try ParameterSpecParser.parse("x=5:1:1") }
        #expect(throws: OptimizerError.self) { try ParameterSpecParser.parse("x=log:0:10") }
        #expect(throws: OptimizerError.self) { try ParameterSpecParser.parse("x=a:b:c") }
        #expect(throws: OptimizerError.self) { try ParameterSpecParser.parse("1x=1:2:1") }
        #expect(throws: OptimizerError.self) { try ParameterSpecParser.parse("x") }
        #expect(throws: OptimizerError.self) { try ParameterSpecParser.parse("x=1,,2") }
        #expect(throws: OptimizerError.duplicateParameter("x")) { try ParameterSpecParser.parse(["x=1:2:1", "x=3"]) }
        let space = try! ParameterSpecParser.parse(["fast=2:10:1", "slwo=5:20:1"])
        #expect(throws: OptimizerError.unknownParameter("slwo", known: ["fast", "slow"])) {
            try space.validate(knownParameters: ["fast", "slow"])
        }
    }

    @Test func mixedRadixIndexingRoundTripsWithoutMaterialising() throws {
        let space = try ParameterSpecParser.parse(["a=0:4:1", "b=0:0.2:0.1", "c=x,y", "d=7"])
        #expect(try space.gridSize() == 30)
        var seen = Set<[Double]>()
        for i in 0..<30 {
            let p = space.gridPoint(i)
            #expect(space.gridIndex(of: p) == i)
            seen.insert(p.coordinates)
        }
        #expect(seen.count == 30)
        // First dimension most significant.
        let p = space.gridPoint(7)  // a=1, b=0, c=y
        #expect(space.value(of: p, at: 0) == .int(1))
        #expect(space.value(of: p, at: 1) == .real(0.0))
        #expect(space.value(of: p, at: 2) == .string("y"))
        #expect(space.value(of: p, at: 3) == .int(7))
        #expect(space.point(["a": .int(1), "b": .real(0), "c": .string("y")]) == p)
    }

    @Test func hugeGridsAreRejectedNotOverflowed() throws {
        let dims = try (0..<5).map { i throws(OptimizerError) in try ParameterDimension.integer("p\(i)", 0, 100_000_000) }
        let space = try ParameterSpace(dims)
        #expect(throws: OptimizerError.self) { try space.gridSize() }
        let cont = try ParameterSpace([try .continuous("x", 0, 1)])
        #expect(try cont.gridSize() == nil)
        #expect(throws: OptimizerError.notGridSearchable(parameter: "x")) { try GridSearch(space: cont) }
    }

    @Test func neighboursAreOneStepAlongEachOrderedDimension() throws {
        let space = try ParameterSpecParser.parse(["a=0:4:1", "b=0:1:0.5", "c=x,y"])
        let p = space.point(["a": .int(0), "b": .real(0.5), "c": .string("x")])!
        let n = space.neighbours(of: p)
        // a: only +1 (at the lower end); b: both; c: none.
        #expect(n.count == 3)
        #expect(n.map { $0.dimension } == [0, 1, 1])
        #expect(space.value(of: n[0].point, at: 0) == .int(1))
        #expect(space.value(of: n[1].point, at: 1) == .real(0.0))
        #expect(space.value(of: n[2].point, at: 1) == .real(1.0))
    }
}
