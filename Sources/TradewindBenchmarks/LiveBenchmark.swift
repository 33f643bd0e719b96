import Foundation
import TradewindCore
import TradewindEngine
import TradewindLive
import TradewindStrategies

/// `tradewind bench live`: the live runtime replaying recorded bars with the paper broker — bars per second, against
/// the backtest engine on the same bars and settings (the runtime's overhead over the simulator) — and tick-to-order
/// latency through strategy, risk manager and journal.
public enum LiveBenchmark {
    public struct Case: Sendable {
        public let name: String
        public let data: MarketDataset
        public let strategy: String
        public let parameters: [String: String]

        public init(name: String, data: MarketDataset, strategy: String = SMACross.name,
                    parameters: [String: String] = ["fast": "10", "slow": "30"]) {
            self.name = name
            self.data = data
            self.strategy = strategy
            self.parameters = parameters
        }

        public var barEvents: Int { data.series.reduce(0) { $0 + $1.count } }
    }

    public struct Row: Sendable {
        public let name: String
        public let barEvents: Int
        /// Best process CPU seconds of one replay (feed task included) and of one backtest (preparation included).
        public let replaySeconds: Double
        public let backtestSeconds: Double
        public let orders: Int
        public var replayBarsPerSecond: Double { Double(barEvents) / replaySeconds }
        public var backtestBarsPerSecond: Double { Double(barEvents) / backtestSeconds }
    }

    public struct Latency: Sendable {
        public let orders: Int
        public let p50Nanos: Int64
        public let p99Nanos: Int64
        public let maxNanos: Int64
        /// Mean time of one journal flush to the device (`fsync`), measured apart.
        public let meanFlushNanos: Int64
        public let flushes: Int
    }

    static func processCPUSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Best of at least `runs` replays and backtests of each case.
    public static func throughput(_ cases: [Case], runs: Int = 3) async throws -> [Row] {
        var rows: [Row] = []
        for c in cases {
            let d = try StrategyCatalog.builtIn.named(c.strategy)
            let p = try d.parameters(c.parameters)
            let config = try d.prepare(BacktestConfig(commission: .percentOfValue(0.001)), parameters: p, data: c.data).config
            var replay = Double.infinity, backtest = Double.infinity, orders = 0
            for _ in 0..<max(runs, 1) {
                let t0 = processCPUSeconds()
                let r = try await ReplaySession(data: c.data, config: config).run(d, parameters: p)
                replay = min(replay, processCPUSeconds() - t0)
                let t1 = processCPUSeconds()
                let b = try d.run(p, c.data, config)
                backtest = min(backtest, processCPUSeconds() - t1)
                guard r.fills.count == b.fills.count, r.equity.equity.last == b.equity.equity.last else {
                    throw BenchmarkMismatch(what: "\(c.name): the replay's fills or final equity differ from the backtest's")
                }
                orders = r.orders.count
            }
            rows.append(Row(name: c.name, barEvents: c.barEvents, replaySeconds: replay, backtestSeconds: backtest, orders: orders))
        }
        return rows
    }

    /// Tick-to-order latency of `c` replayed with a journal in `directory` (fsync per write).
    public static func latency(_ c: Case, directory: String) async throws -> Latency {
        let d = try StrategyCatalog.builtIn.named(c.strategy)
        let p = try d.parameters(c.parameters)
        let config = try d.prepare(BacktestConfig(commission: .percentOfValue(0.001)), parameters: p, data: c.data).config
        let path = directory + "/tradewind-bench-journal-\(getpid()).jsonl"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let journal = try FileJournal(path: path)
        let recorder = LatencyRecorder(keepingSamples: true)
        let session = ReplaySession(data: c.data, config: config, journal: journal)
        let feed = try session.feed()
        let runtime = try session.runtime(for: feed) { setup in try d.stream(p, setup) }
        runtime.measureLatency(into: recorder)
        _ = try await runtime.trade(feed)
        guard let p50 = recorder.quantile(0.5), let p99 = recorder.quantile(0.99), let worst = recorder.quantile(1) else {
            throw BenchmarkMismatch(what: "\(c.name): no orders were sent; nothing to time")
        }
        let flushes = max(journal.flushes, 1)
        return Latency(orders: recorder.samples.count, p50Nanos: p50, p99Nanos: p99, maxNanos: worst,
                       meanFlushNanos: journal.flushNanos / Int64(flushes), flushes: journal.flushes)
    }

    public static func report(_ rows: [Row], latency: (String, Latency)?) -> String {
        var lines = ["case                              bars   replay bars/s  backtest bars/s  replay/backtest speed  orders"]
        for r in rows {
            lines.append(r.name.padding(toLength: 30, withPad: " ", startingAt: 0)
                + String(format: " %9d %15.0f %16.0f %21.2f× %7d", r.barEvents, r.replayBarsPerSecond,
                         r.backtestBarsPerSecond, r.backtestSeconds / r.replaySeconds, r.orders))
        }
        if let (name, l) = latency {
            lines.append("")
            lines.append("tick-to-order latency (\(name), \(l.orders) orders, journal on, flush excluded): p50 \(micro(l.p50Nanos)) µs, p99 \(micro(l.p99Nanos)) µs, max \(micro(l.maxNanos)) µs")
            lines.append("journal flush to the device (fsync): mean \(micro(l.meanFlushNanos)) µs over \(l.flushes) flushes")
        }
        return lines.joined(separator: "\n")
    }

    static func micro(_ nanos: Int64) -> String { String(format: "%.1f", Double(nanos) / 1000) }
}

/// A benchmark's two sides disagreed: the figures would compare different work.
public struct BenchmarkMismatch: Error, CustomStringConvertible {
    public let what: String
    public var description: String { what }
}
