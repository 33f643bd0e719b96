import Dispatch
import Foundation
import Synchronization
import Testing
@testable import TradewindServer

@Suite("The backtest route's thread pool")
struct BacktestThreadsTests {
    /// What the jobs saw: how many ran at once, and on which threads.
    final class Tally: Sendable {
        let running = Atomic<Int>(0)
        let mostAtOnce = Atomic<Int>(0)
        let threads = Mutex<Set<UInt>>([])

        func enter() {
            let now = running.add(1, ordering: .relaxed).newValue
            mostAtOnce.max(now, ordering: .relaxed)
            threads.withLock { _ = $0.insert(UInt(pthread_self())) }
        }

        func leave() { running.subtract(1, ordering: .relaxed) }
    }

    /// Polls `condition` every millisecond for up to 10 s.
    static func eventually(_ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while !condition(), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(1)) }
    }

    @Test func aFullQueueIsRefusedAtOnceAndNoMoreThanItsThreadsRunAtOnce() async throws {
        let pool = BacktestThreads(threads: 2, capacity: 3)
        let gate = DispatchSemaphore(value: 0)
        // However the test ends, the jobs are let go (a job still waiting on the gate would keep the process alive).
        defer { for _ in 0..<8 { gate.signal() } }
        let tally = Tally()
        var tasks: [Task<Int, any Error>] = []
        func submit(_ i: Int) {
            tasks.append(Task {
                try await pool.run { () -> Int in
                    tally.enter()
                    defer { tally.leave() }
                    gate.wait()
                    return i
                }
            })
        }
        // Two jobs run (one per thread) ...
        for i in 0..<2 { submit(i) }
        try await Self.eventually { pool.load == (waiting: 0, running: 2) }
        // ... and three wait: the queue is full.
        for i in 2..<5 { submit(i) }
        try await Self.eventually { pool.load == (waiting: 3, running: 2) }
        #expect(pool.load == (waiting: 3, running: 2))
        await #expect(throws: BacktestThreads.Full.self) {
            try await pool.run { () -> Int in 99 }
        }
        for _ in 0..<5 { gate.signal() }
        var results: [Int] = []
        for t in tasks { results.append(try await t.value) }
        #expect(results == [0, 1, 2, 3, 4])
        #expect(tally.mostAtOnce.load(ordering: .relaxed) == 2)
        // The same two long-lived threads ran all five.
        #expect(tally.threads.withLock { $0.count } == 2)
        // Once the queue has room again, work is taken.
        #expect(try await pool.run { () -> Int in 7 } == 7)
    }

    @Test func aJobsErrorReachesItsCallerAndTheThreadGoesOn() async throws {
        struct Refused: Error {}
        let pool = BacktestThreads(threads: 1, capacity: 4)
        await #expect(throws: Refused.self) {
            try await pool.run { () throws(Refused) -> Int in throw Refused() }
        }
        #expect(try await pool.run { () -> String in "next" } == "next")
    }

    @Test func aBacktestThatFindsTheQueueFullIsA503AndOneWithRoomRuns() async throws {
        let pool = BacktestThreads(threads: 1, capacity: 1)
        let gate = DispatchSemaphore(value: 0)
        let run = BacktestRun(loader: MarketLoader(home: try TestServer.home()), times: Timestamps(zone: .utc), catalog: .builtIn)
        let request = try JSONDecoder().decode(BacktestRequest.self, from: Data(
            #"{"strategy":"sma-cross","data":"sample:spy-daily","params":{"fast":10,"slow":30}}"#.utf8))
        // One job holds the thread and one waits: the queue is full.
        defer { gate.signal() }
        let holding = Task { try await pool.run { () -> Bool in gate.wait(); return true } }
        try await Self.eventually { pool.load == (waiting: 0, running: 1) }
        let waiting = Task { try await pool.run { () -> Bool in true } }
        try await Self.eventually { pool.load == (waiting: 1, running: 1) }
        do {
            _ = try await run.run(request, threads: .single, on: pool)
            Issue.record("a backtest ran past a full queue")
        } catch let e as APIError {
            #expect(e.status == .serviceUnavailable && e.code == "busy" && e.message.contains("retry"))
        }
        gate.signal()
        _ = try await (holding.value, waiting.value)
        let done = try await run.run(request, threads: .single, on: pool)
        #expect(done.outcome.summary.trades > 0)
    }
}
