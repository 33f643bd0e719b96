import Foundation
import Synchronization
import Testing
import TradewindCore
import TradewindData
import TradewindEngine
import TradewindOptimizer
@testable import TradewindStrategies
#if canImport(Glibc)
import Glibc
#endif

/// The threads that ran strategy code, and how many ran it at once (for `ThreadRecorder`).
final class ThreadLog: Sendable {
    static let shared = ThreadLog()
    private let state = Mutex<(threads: Set<UInt>, active: Int, peak: Int)>(([], 0, 0))

    static func thread() -> UInt { UInt(bitPattern: Int(bitPattern: UnsafeRawPointer(bitPattern: UInt(pthread_self())))) }

    func enter() { state.withLock { $0.threads.insert(Self.thread()); $0.active += 1; $0.peak = max($0.peak, $0.active) } }
    func leave() { state.withLock { $0.active -= 1 } }
    func reset() { state.withLock { $0 = ([], 0, 0) } }
    var threads: Set<UInt> { state.withLock { $0.threads } }
    var peak: Int { state.withLock { $0.peak } }
}

/// A strategy that logs the thread of every run (held for a moment, so that parallel runs overlap) and
/// trades nothing; `period` is only there to be searched.
struct ThreadRecorder: ParameterizedStrategy {
    static let name = "thread-recorder"
    static let summary = "Logs the threads that run it."
    static let parameterSpecs = [ParameterSpec("period", .int(1...1000), default: .int(1), "Searched, unused.")]
    init(parameters: StrategyParameters) throws(ParameterError) {}

    mutating func onStart(_ context: some TradingContext) throws {
        ThreadLog.shared.enter()
        usleep(2_000)
    }

    mutating func onBar(_ context: some TradingContext) throws {}
    mutating func onEnd(_ context: some TradingContext) throws { ThreadLog.shared.leave() }
}

extension ThreadRecorder: CatalogStrategy {
    static let rules = "Records the threads that run it; never trades."
}

/// Progress that stops the search at its first call until the test lets it go on.
final class ProgressGate: Sendable {
    private let calls = Atomic<Int>(0)
    private let released = Atomic<Bool>(false)
    var reached: Bool { calls.load(ordering: .acquiring) > 0 }
    var count: Int { calls.load(ordering: .acquiring) }
    func release() { released.store(true, ordering: .releasing) }

    func called() {
        if calls.wrappingAdd(1, ordering: .acquiringAndReleasing).oldValue == 0 {
            let limit = ContinuousClock.now + .seconds(300)
            while !released.load(ordering: .acquiring) && ContinuousClock.now < limit { usleep(200) }
        }
    }
}

@Suite struct OptimizerThreadsTests {
    /// Waits (at most 300 s: other tests may keep the cooperative pool busy before a task starts) for `condition`.
    func waitFor(_ condition: () -> Bool) async throws {
        let limit = ContinuousClock.now + .seconds(300)
        while !condition() && ContinuousClock.now < limit { try await Task.sleep(for: .milliseconds(1)) }
    }

    @Test func engineTrialsRunOnTheCallingThreadAloneWithOneThreadAndOnAtMostTwoWithTwo() throws {
        let d = StrategyDescriptor(ThreadRecorder.self)
        let space = try SpaceBuilder.space(strategy: d, grids: ["period=1:24:1"])
        let data = MarketDataset([try spy(200)])
        let log = ThreadLog.shared
        log.reset()
        let one = TrialEvaluator(strategy: d, space: space, dataset: data, config: BacktestConfig(),
                                 objective: Objective(), threads: .single)
        _ = one.evaluate((0..<24).map { space.gridPoint($0) })
        #expect(log.threads == [ThreadLog.thread()])
        #expect(log.peak == 1)
        log.reset()
        let two = TrialEvaluator(strategy: d, space: space, dataset: data, config: BacktestConfig(),
                                 objective: Objective(), threads: 2)
        _ = two.evaluate((0..<24).map { space.gridPoint($0) })
        #expect(log.threads.count <= 2)
        #expect(log.peak <= 2)
    }

    @Test(arguments: [true, false])
    func evaluationGivesTheSameMetricsOnOneTwoAndFourThreads(kernel: Bool) throws {
        let series = try spy(700)
        let space = try smaJob(["fast=2:30:2", "slow=10:80:10"], settings: SearchSettings(method: .grid)).space
        let points = (0..<(try #require(try space.gridSize()))).map { space.gridPoint($0) }
        // Bit patterns, so that NaN (infeasible points: fast ≥ slow) compares equal to itself.
        func bits(_ metrics: [TrialMetrics]) -> [[UInt64]] {
            metrics.map { $0.values.map(\.bitPattern) + [$0.periodSharpe.bitPattern] }
        }
        var results: [[[UInt64]]] = []
        for threads: ThreadBudget in [.single, 2, 4] {
            let job = try smaJob(["fast=2:30:2", "slow=10:80:10"], settings: SearchSettings(method: .grid), kernel: kernel,
                                 threads: threads)
            let ev = job.evaluator(series)
            #expect(ev.allowKernel == kernel)
            results.append(bits(ev.evaluate(points)))
        }
        #expect(results[0].count == points.count)
        #expect(results[1] == results[0])
        #expect(results[2] == results[0])
    }

    @Test func anAsyncOptimizationEqualsTheSynchronousOne() async throws {
        let series = try spy(600)
        for kernel in [true, false] {
            let job = try smaJob(["fast=2:20:3", "slow=20:60:20"], settings: SearchSettings(method: .grid, topK: 5), kernel: kernel,
                                 threads: 2)
            let sync = try SymbolOptimizer.run(job, series: series, cancel: nil)
            let async = try await SymbolOptimizer.run(job, series: series)
            #expect(async == sync)
            #expect(async != nil)
            let syncJob = try JobRunner.run(job, series: [series], cancel: nil)
            let asyncJob = try await JobRunner.run(job, series: [series])
            #expect(asyncJob.symbols == syncJob.symbols)
            #expect(!asyncJob.interrupted)
        }
    }

    @Test func cancellingAnAsyncOptimizationAfterItsFirstBatchStopsItPromptly() async throws {
        let series = try spy(600)
        var settings = SearchSettings(method: .grid, topK: 5)
        settings.batchSize = 8
        let job = try smaJob(["fast=2:30:1", "slow=10:100:5"], settings: settings, kernel: false, threads: 2)
        let gate = ProgressGate()
        let task = Task { try await SymbolOptimizer.run(job, series: series, progress: { _ in gate.called() }) }
        try await waitFor { gate.reached }
        #expect(gate.reached)
        let start = ContinuousClock.now
        task.cancel()
        gate.release()
        let result = try await task.value
        // Stopped before its second batch: one progress call, and no result.
        #expect(result == nil)
        #expect(gate.count == 1)
        #expect(ContinuousClock.now - start < .seconds(60))

        // A job keeps the symbols finished before the cancellation and says it was interrupted.
        let jobGate = ProgressGate()
        let symbols = try threeSymbols()
        let finished = Mutex<[String]>([])
        let jobTask = Task {
            try await JobRunner.run(job, series: symbols, progress: { _, done in if done == 1 { jobGate.called() } },
                                    symbolFinished: { s in finished.withLock { $0.append(s.symbol) } })
        }
        try await waitFor { jobGate.reached }
        jobTask.cancel()
        jobGate.release()
        let outcome = try await jobTask.value
        #expect(outcome.interrupted)
        #expect(outcome.symbols.map(\.symbol) == finished.withLock { $0 })
        #expect(outcome.symbols.map(\.symbol) == ["IBM"])
    }
}
