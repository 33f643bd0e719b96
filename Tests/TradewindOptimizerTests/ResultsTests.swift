import Testing
import Foundation
@testable import TradewindOptimizer

@Suite struct ResultsTests {
    func trial(_ n: Int, _ v: Double) -> RankedTrial {
        RankedTrial(number: n, point: ParameterPoint(coordinates: [Double(n)]), objective: v)
    }

    @Test func topKKeepsTheBestWithDeterministicTies() {
        let values: [Double] = [0.5, 1.2, .nan, 1.2, 0.9, 1.2, -3, 2.0, 0.9, 1.1]
        let trials = values.enumerated().map { trial($0.offset, $0.element) }
        var a = TopK(capacity: 4, direction: .maximize)
        for t in trials { a.insert(t) }
        #expect(a.sorted().map(\.number) == [7, 1, 3, 5])
        // Any insertion order, and merging partial collectors, gives the same result.
        var b = TopK(capacity: 4, direction: .maximize)
        for t in trials.reversed() { b.insert(t) }
        #expect(b.sorted().map(\.number) == [7, 1, 3, 5])
        var c1 = TopK(capacity: 4, direction: .maximize), c2 = TopK(capacity: 4, direction: .maximize)
        for t in trials { if t.number % 2 == 0 { c1.insert(t) } else { c2.insert(t) } }
        c2.merge(c1)
        #expect(c2.sorted().map(\.number) == [7, 1, 3, 5])
        #expect(c2.best?.number == 7)
        var m = TopK(capacity: 3, direction: .minimize)
        for t in trials { m.insert(t) }
        #expect(m.sorted().map(\.number) == [6, 0, 4])
    }

    @Test func topKMemoryIsBoundedForLongStreams() {
        var k = TopK(capacity: 10, direction: .maximize)
        for i in 0..<100_000 { k.insert(trial(i, Double((i * 7919) % 1000))) }
        #expect(k.count == 10)
        #expect(k.sorted().allSatisfy { $0.objective == 999 })
        #expect(k.sorted().map(\.number) == k.sorted().map(\.number).sorted())
    }

    @Test func csvTableAppearsOnlyWhenFinished() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tw-opt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let space = try ParameterSpecParser.parse(["fast=2:4:1", "label=a,b\"c", "x=0:0.3:0.1"])
        let path = dir.appendingPathComponent("results.csv").path
        let w = try ResultsTableWriter(path: path, space: space, metricNames: ["trades"])
        try w.append(RankedTrial(number: 0, point: space.gridPoint(0), objective: 1.5, metrics: [12]))
        try w.append(RankedTrial(number: 15, point: space.gridPoint(15), objective: .nan, metrics: [0]))
        #expect(!FileManager.default.fileExists(atPath: path))
        try w.finish()
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text == "trial,fast,label,x,objective,trades\n0,2,a,0.0,1.5,12.0\n15,3,\"b\"\"c\",0.3,,0.0\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["results.csv"])
    }

    @Test func abandonedTablesLeaveNoFiles() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tw-opt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let space = try ParameterSpecParser.parse(["a=1:2:1"])
        do {
            let w = try ResultsTableWriter(path: dir.appendingPathComponent("r.csv").path, space: space)
            try w.append(RankedTrial(number: 0, point: space.gridPoint(0), objective: 1))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
        #expect(throws: OptimizerError.self) { try ResultsTableWriter(path: dir.path + "/missing/r.csv", space: space) }
    }
}
