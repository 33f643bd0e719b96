import Foundation
import Testing
import TradewindCore
import TradewindData
import TradewindEngine
@testable import TradewindOptimizer
import TradewindStrategies

/// The job's work around the kernel trials, made cheaper: the same bytes, parameters and outcomes as before.
@Suite struct JobOverheadTests {
    @Test func objectiveByTrialWrittenByHandGivesTheEncodersBytes() throws {
        let job = try smaJob(["fast=2:10:4", "slow=20:40:20"], settings: SearchSettings(method: .grid, topK: 2))
        var symbols = try JobRunner.run(job, series: try threeSymbols()).symbols
        #expect(symbols.count == 3 && symbols.allSatisfy { !$0.objectiveByTrial.isEmpty })
        // Nulls, integral values, negative zero, an empty series, and the member's text inside a string.
        symbols[0].objectiveByTrial += [nil, 2, -0.0, 1e+20, 1e-7, 0.1]
        symbols[1].objectiveByTrial = []
        symbols[2].engineReason = #"not "objective_by_trial":[] at all"#
        let encoder = JobReport.encoder
        let expected = [UInt8](try encoder.encode(symbols))
        #expect(try ObjectiveByTrialJSON.encode(encoder, symbols: symbols) { $0 } == expected)
        for s in symbols {
            #expect(try ObjectiveByTrialJSON.encode(encoder, symbols: [s]) { $0[0] } == [UInt8](try encoder.encode(s)))
        }
        // The job's JSON still reads back to its symbols.
        let outcome = JobOutcome(symbols: symbols, resumed: [], interrupted: false, evaluations: 18, elapsedSeconds: 1)
        let text = try JobReport.json(outcome, method: .grid, objective: Objective())
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let listed = try #require(object["symbols"] as? [[String: Any]])
        #expect(listed.map { ($0["objective_by_trial"] as? [Any])?.count } == symbols.map(\.objectiveByTrial.count))
    }

    @Test func parametersCarriedFromPointToPointEqualThoseBuiltFromTheDefaults() throws {
        let d = try StrategyCatalog.builtIn.named("momentum")
        // Levels equal to the defaults (buy_trigger 1, stop_loss 0) and one the spec refuses (sell_trigger 0).
        let space = try SpaceBuilder.space(strategy: d, grids: ["buy_trigger=0.5:1.5:0.5", "sell_trigger=0:1:0.5",
                                                                "stop_loss=0:1:0.5"])
        var config = BacktestConfig()
        config.session = SessionPolicy(zone: .newYork, calendar: NYSECalendar.shared, flattenAtClose: true)
        let ev = TrialEvaluator(strategy: d, space: space, dataset: MarketDataset([try spy(50)]), config: config,
                                objective: Objective())
        var carry = ParameterCarry()
        var failures = 0
        let size = try #require(try space.gridSize())
        #expect(size == 27)
        // Grid order, then a shuffled order (several dimensions change at once).
        let order = Array(0..<size) + Array(0..<size).map { ($0 * 7) % size }
        for k in order {
            let point = space.gridPoint(k)
            let fromDefaults = Result { () throws(ParameterError) in try ev.parameters(point) }
            let carried = Result { () throws(ParameterError) in try carry.parameters(point, ev) }
            switch (fromDefaults, carried) {
            case let (.success(a), .success(b)): #expect(a == b, "point \(k)")
            case let (.failure(a), .failure(b)):
                failures += 1
                #expect("\(a)" == "\(b)", "point \(k)")
            default: Issue.record("point \(k): \(fromDefaults) against \(carried)")
            }
        }
        #expect(failures == 18)   // sell_trigger 0: 9 points, twice
    }

    @Test func aKernelGridSearchTakesTheWholeGridInOneBatchWithTheSameOutcome() throws {
        let job = try smaJob(["fast=2:30:1", "slow=10:90:2"], settings: SearchSettings(method: .grid, topK: 20))
        let ev = job.evaluator(try spy())
        #expect(ev.kernel != nil)
        #expect(job.settings.batchSize(for: ev) == SearchSettings.kernelGridBatch)
        #expect(try smaJob(["fast=2:4:1"], settings: job.settings, kernel: false).evaluator(try spy()).kernel == nil)
        let whole = try SearchRunner.run(job.settings, evaluator: ev, constraints: job.constraints)
        for batch in [4096, 97] {
            var s = job.settings
            s.batchSize = batch
            let o = try SearchRunner.run(s, evaluator: ev, constraints: job.constraints)
            #expect(o.evaluations == whole.evaluations && o.feasible == whole.feasible)
            #expect(o.top.map(\.number) == whole.top.map(\.number))
            #expect(o.top.map { $0.metrics.map(\.bitPattern) } == whole.top.map { $0.metrics.map(\.bitPattern) })
            #expect(o.objectiveByTrial.elementsEqual(whole.objectiveByTrial) { $0 == $1 || ($0.isNaN && $1.isNaN) })
            #expect(o.sharpeVariance.bitPattern == whole.sharpeVariance.bitPattern)
        }
    }

    /// A kernel batch can hold 32,768 points; when the engine runs a batch (no kernel, or the kernel gave it back) it
    /// checks the cancel flag before each run instead of running the whole batch first.
    @Test func theEngineStopsABatchWhenItsCancelFlagIsRaised() throws {
        let job = try smaJob(["fast=2:20:1", "slow=22:40:1"], settings: SearchSettings(method: .grid), kernel: false)
        let ev = job.evaluator(try spy())
        #expect(ev.kernel == nil)
        let points = (0..<40).map { ev.space.gridPoint($0) }
        let raised = CancellationFlag()
        raised.cancel()
        #expect(ev.evaluate(points, cancel: raised) == nil)
        let run = try #require(ev.evaluate(points, cancel: CancellationFlag()))
        #expect(run.filter { $0.values.contains { !$0.isNaN } }.count == points.count)
        // A kernel batch runs whole: its finished points are kept even when the flag is raised.
        let kernelEvaluator = try smaJob(["fast=2:20:1", "slow=22:40:1"], settings: SearchSettings(method: .grid)).evaluator(try spy())
        #expect(kernelEvaluator.kernel != nil)
        #expect(kernelEvaluator.evaluate(points, cancel: raised)?.count == points.count)
        // The search that sees the flag after the batch tells none of it.
        var settings = job.settings
        settings.batchSize = 4096
        let outcome = try SearchRunner.run(settings, evaluator: ev, constraints: job.constraints, cancel: raised)
        #expect(outcome.cancelled && outcome.evaluations == 0)
    }
}
