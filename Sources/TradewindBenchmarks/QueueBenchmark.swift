import Foundation
import Logging
import TradewindCore
import TradewindData
import TradewindStore

/// `tradewind bench queue`: what one PostgreSQL work queue sustains, and what distributing costs.
///
/// 1. Queue ceiling: task claims + result commits per second with 1, 4 and 16 concurrent claimers (each a loop of
///    `WorkQueue.claim` then `WorkQueue.complete` with a small result, on its own connection), over a fresh schema.
/// 2. End to end: a 372-symbol `momentum` job on synthetic minute bars run by a real `tradewind serve --database
///    postgres://…` and 1, then 2, real `tradewind worker` processes (one thread each): evaluations/s from the job's
///    start to its end, and the per-task overhead (claim, data, commit, idle) against the task's compute time, from
///    the queue's own bookkeeping (`compute_seconds` per task).
public enum QueueBenchmark {
    public struct Configuration: Sendable {
        /// The PostgreSQL server (a fresh schema per run is created in it).
        public var database = ""
        /// Tasks per claimer count in the ceiling runs.
        public var tasks = 2_000
        public var claimers = [1, 4, 16]
        /// Symbols and trading days of the end-to-end job (0 symbols: skip it).
        public var symbols = 372
        public var days = 10
        public var workers = [1, 2]
        /// The `tradewind` executable (for `serve` and `worker`).
        public var tradewind = CommandLine.arguments[0]
        public var directory = NSTemporaryDirectory() + "tradewind-bench-queue"
        public init() {}
    }

    public struct CeilingRow: Sendable {
        public var claimers: Int
        public var tasks: Int
        public var seconds: Double
        public var perSecond: Double { Double(tasks) / seconds }
    }

    public struct EndToEndRow: Sendable {
        public var workers: Int
        public var tasks: Int
        public var evaluations: Int
        public var seconds: Double
        public var computeSeconds: Double
        public var evaluationsPerSecond: Double { Double(evaluations) / seconds }
        /// Seconds per task spent outside the computation (claim, data, commit, waits), over all workers.
        public var overheadPerTask: Double { max(0, Double(workers) * seconds - computeSeconds) / Double(max(tasks, 1)) }
        public var computePerTask: Double { computeSeconds / Double(max(tasks, 1)) }
    }

    public struct Outcome: Sendable {
        public var ceiling: [CeilingRow] = []
        public var endToEnd: [EndToEndRow] = []
        public var bars = 0
    }

    struct Failure: Error, CustomStringConvertible { var description: String }

    static func schema(_ base: String) -> String {
        let name = "bq_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        return base + (base.contains("?") ? "&" : "?") + "schema=\(name)"
    }

    public static func run(_ c: Configuration, log: @escaping @Sendable (String) -> Void) async throws -> Outcome {
        var outcome = Outcome()
        for n in c.claimers {
            outcome.ceiling.append(try await ceiling(c, claimers: n))
            log(String(format: "ceiling: %d claimers: %.0f claims+commits/s", n, outcome.ceiling.last!.perSecond))
        }
        if c.symbols > 0 {
            try? FileManager.default.removeItem(atPath: c.directory)
            let dataDirectory = (c.directory as NSString).appendingPathComponent("bars")
            guard let from = CivilDate(iso: "2024-01-02") else { throw Failure(description: "bad start date") }
            let data = try SyntheticMarket(seed: 7).generate(symbols: c.symbols, from: from, to: from.adding(days: c.days * 7 / 5 + 2))
            outcome.bars = data.series.reduce(0) { $0 + $1.count }
            _ = try BarCache.write(data, toDirectory: dataDirectory)
            log("end to end: \(c.symbols) symbols, \(outcome.bars) minute bars")
            for w in c.workers {
                outcome.endToEnd.append(try await endToEnd(c, workers: w, data: "bars"))
                let r = outcome.endToEnd.last!
                log(String(format: "end to end: %d workers: %.0f evaluations/s", w, r.evaluationsPerSecond))
            }
            try? FileManager.default.removeItem(atPath: c.directory)
        }
        return outcome
    }

    static func ceiling(_ c: Configuration, claimers: Int) async throws -> CeilingRow {
        let store = try await SQLStore.open(schema(c.database))
        let queue = try WorkQueue(store: store)
        let job = try await store.createJob(kind: .optimize, request: "{}")
        let symbols = (0..<c.tasks).map { "S\($0)" }
        try await store.setJobSymbols(job.id, symbols: symbols)
        // The queue's server-side writes are fenced on the job's holder: the benchmark holds it.
        _ = try await store.claimNextJob(owner: "queue-benchmark", lease: 3_600)
        try await queue.enqueue(jobID: job.id, owner: "queue-benchmark", symbols: symbols)
        let result = NewResult(kind: .optimize, symbol: "", strategy: "bench", parameters: [ResultParameter(name: "p", value: "1")],
                               objectiveName: "sharpe", metrics: ResultMetrics(sharpe: 1, trades: 1))
        let start = ContinuousClock.now
        let done = try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<claimers {
                group.addTask {
                    var n = 0
                    while let task = try await queue.claim(worker: "bench-\(i)", lease: 60) {
                        var r = result
                        r.symbol = task.symbol
                        try await queue.complete(taskID: task.id, worker: "bench-\(i)", evaluations: 1, computeSeconds: 0, result: r)
                        n += 1
                    }
                    return n
                }
            }
            return try await group.reduce(0, +)
        }
        let seconds = seconds(ContinuousClock.now - start)
        await store.close()
        guard done == c.tasks else { throw Failure(description: "claimed \(done) of \(c.tasks) tasks") }
        return CeilingRow(claimers: claimers, tasks: done, seconds: seconds)
    }

    static func endToEnd(_ c: Configuration, workers: Int, data: String) async throws -> EndToEndRow {
        let database = schema(c.database)
        let store = try await SQLStore.open(database)
        let queue = try WorkQueue(store: store)
        var children: [Process] = []
        defer { for p in children where p.isRunning { p.terminate() } }
        func spawn(_ arguments: [String]) throws {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: c.tradewind)
            p.arguments = arguments
            p.standardError = FileHandle(forWritingAtPath: "/dev/null")
            p.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
            try p.run()
            children.append(p)
        }
        try spawn(["serve", "--home", c.directory, "--database", database, "--port", "0", "--workers", "1"])
        for i in 0..<workers {
            try spawn(["worker", "--database", database, "--home", c.directory, "--threads", "1", "--name", "bench-\(i)"])
        }
        let request = """
            {"kind":"optimize","request":{"strategy":"momentum","data":"\(data)","grids":["buy_trigger=0.5:1.5:0.5","sell_trigger=1:3:1"],"backtest":{"flatten_at_close":true}}}
            """
        let job = try await store.createJob(kind: .optimize, request: request)
        var record = job
        let deadline = ContinuousClock.now + .seconds(3_600)
        while !record.status.isFinished {
            guard ContinuousClock.now < deadline else { throw Failure(description: "the end-to-end job did not finish within an hour") }
            try await Task.sleep(for: .milliseconds(100))
            record = try await store.job(job.id) ?? record
        }
        guard record.status == .succeeded, let seconds = record.durationSeconds else {
            throw Failure(description: "the end-to-end job \(record.status.rawValue): \(record.failure ?? "")")
        }
        let progress = try await queue.progress(jobID: job.id)
        await store.close()
        return EndToEndRow(workers: workers, tasks: progress.done, evaluations: Int(record.evaluations), seconds: seconds,
                           computeSeconds: progress.computeSeconds)
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    public static func format(_ o: Outcome) -> String {
        var lines = ["Queue ceiling (claim + commit of one task, one PostgreSQL, this machine):",
                     "  claimers  tasks  seconds  claims+commits/s"]
        for r in o.ceiling {
            lines.append(String(format: "  %8d  %5d  %7.2f  %16.0f", r.claimers, r.tasks, r.seconds, r.perSecond))
        }
        if !o.endToEnd.isEmpty {
            lines.append("End to end: momentum job, \(o.endToEnd[0].tasks) symbols (\(o.bars) minute bars), 1 thread per worker:")
            lines.append("  workers  seconds  evaluations  evaluations/s  speed-up  compute/task ms  overhead/task ms")
            let base = o.endToEnd.first?.evaluationsPerSecond ?? 1
            for r in o.endToEnd {
                lines.append(String(format: "  %7d  %7.2f  %11d  %13.0f  %7.2fx  %15.1f  %16.1f", r.workers, r.seconds, r.evaluations,
                                    r.evaluationsPerSecond, r.evaluationsPerSecond / base, r.computePerTask * 1000,
                                    r.overheadPerTask * 1000))
            }
        }
        return lines.joined(separator: "\n")
    }
}
