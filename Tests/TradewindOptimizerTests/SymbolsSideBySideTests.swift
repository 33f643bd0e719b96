import Foundation
import Synchronization
import Testing
import TradewindCore
@testable import TradewindOptimizer

/// `JobRunner` runs a job's symbols side by side within its thread budget; what the job returns, records and
/// reports is what one symbol at a time gives, in the job's symbol order.
@Suite struct SymbolsSideBySideTests {
    @Test func symbolsSideBySideGiveTheOneAtATimeJobInSymbolOrder() throws {
        let series = try threeSymbols()
        for settings in [SearchSettings(method: .grid, topK: 3), SearchSettings(method: .tpe, trials: 10, seed: 3, topK: 2)] {
            let one = try JobRunner.run(try smaJob(["fast=2:14:4", "slow=20:60:20"], settings: settings, threads: .single),
                                        series: series)
            let path = scratchFile("side-by-side.jsonl")
            defer { try? FileManager.default.removeItem(atPath: path) }
            let order = Mutex<[String]>([])
            let done = Mutex<[Int]>([])
            let wide = try JobRunner.run(try smaJob(["fast=2:14:4", "slow=20:60:20"], settings: settings, threads: 3),
                                         series: series, jobFile: JobFile(path: path, key: "k"),
                                         progress: { _, n in done.withLock { $0.append(n) } },
                                         symbolFinished: { s in order.withLock { $0.append(s.symbol) } })
            #expect(wide.symbols == one.symbols)
            #expect(wide.evaluations == one.evaluations && !wide.interrupted)
            #expect(order.withLock { $0 } == ["IBM", "KO", "XOM"])
            // Finished counts never go back; the job file lists the symbols in order.
            let counts = done.withLock { $0 }
            #expect(zip(counts, counts.dropFirst()).allSatisfy { $0 <= $1 } && counts.last == 3)
            #expect(try JobFile(path: path, key: "k").load(parameterOrder: ["fast", "slow"]).map(\.symbol) == ["IBM", "KO", "XOM"])
        }
    }

    @Test func aFailingSymbolStopsTheJobAfterRecordingTheSymbolsBeforeIt() throws {
        // KO's slice is too short for walk-forward windows that fit IBM's: the job throws KO's error, as one at a time.
        var series = try threeSymbols()
        series[1] = series[1].slice(0..<50)
        let path = scratchFile("failing.jsonl")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let job = try smaJob(["fast=2:10:4", "slow=20:40:20"], settings: SearchSettings(method: .grid, topK: 1), threads: 3,
                             validation: .walkForward(WalkForwardSpec(train: 300, test: 100)))
        #expect(throws: OptimizerError.self) { try JobRunner.run(job, series: series, jobFile: JobFile(path: path, key: "k")) }
        #expect(try JobFile(path: path, key: "k").load(parameterOrder: ["fast", "slow"]).map(\.symbol) == ["IBM"])
    }

    @Test func aFailureWaitingBehindASymbolThatNeverStartedIsTheJobsError() throws {
        // Symbol 1 failed while symbol 0 had not started yet (it saw the failure and returned unrecorded): the job
        // throws symbol 1's error instead of looking interrupted.
        let commits = JobCommits(finished: [], total: 2, cancel: nil, jobFile: nil, callbacks: .init())
        commits.record(1, .failure(OptimizerError.invalidArgument(name: "series", value: "KO", valid: "enough bars")))
        #expect(commits.stopped)
        #expect(throws: OptimizerError.self) { try commits.outcome(pending: 2) }
    }
}
