import Foundation
import TradewindCore
import TradewindEngine
import TradewindStrategies

/// `tradewind bench engine`: `sma-cross` through Tradewind's event-driven engine and, in the same run and on
/// the same bars, through backtesting.py (when `python3` with backtesting is available), in bars per second.
public enum EngineBenchmark {
    /// One data set to measure.
    public struct Case: Sendable {
        public let name: String
        public let data: MarketDataset
        public let fast: Int
        public let slow: Int

        public init(name: String, data: MarketDataset, fast: Int = 10, slow: Int = 30) {
            self.name = name
            self.data = data
            self.fast = fast
            self.slow = slow
        }

        /// Bar events: bars summed over symbols.
        public var barEvents: Int { data.series.reduce(0) { $0 + $1.count } }
    }

    public struct Row: Sendable {
        public let name: String
        public let barEvents: Int
        /// One run on a market prepared beforehand (`PreparedMarket`), as backtesting.py's timing covers
        /// `Backtest.run()` after its `Backtest(...)` constructor prepared the data.
        public let tradewindSeconds: Double
        /// Preparing the market and running (`Backtest.run(_:data:config:)`, what `tradewind backtest` does).
        public let tradewindWithPreparationSeconds: Double
        public let tradewindFinalEquity: Double
        public let tradewindTrades: Int
        public let peerSeconds: Double?
        public let peerFinalEquity: Double?
        public let peerTrades: Int?
        public let peerNote: String
        /// The exact `SMACrossKernel` on the same bars and settings (single-symbol cases), thread CPU seconds.
        public let kernelSeconds: Double?
        public let kernelFinalEquity: Double?

        public var tradewindBarsPerSecond: Double { Double(barEvents) / tradewindSeconds }
        public var peerBarsPerSecond: Double? { peerSeconds.map { Double(barEvents) / $0 } }
        public var ratio: Double? { peerSeconds.map { $0 / tradewindSeconds } }
        public var withPreparationBarsPerSecond: Double { Double(barEvents) / tradewindWithPreparationSeconds }
        public var withPreparationRatio: Double? { peerSeconds.map { $0 / tradewindWithPreparationSeconds } }
        public var kernelBarsPerSecond: Double? { kernelSeconds.map { Double(barEvents) / $0 } }
        public var kernelRatio: Double? {
            guard let k = kernelSeconds, let p = peerSeconds else { return nil }
            return p / k
        }
    }

    /// CPU time consumed by the calling thread, in seconds: unaffected by other processes competing for cores,
    /// so figures taken on a busy machine still describe one core's throughput.
    public static func threadCPUSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Best single-run thread CPU times of `sma-cross` over at least `minimumSeconds` of repeated runs (one core):
    /// runs on a market prepared once, and runs that prepare their data (each at least half the time).
    public static func measureTradewind(_ c: Case, minimumSeconds: Double = 1) throws
        -> (seconds: Double, withPreparation: Double, finalEquity: Double, trades: Int) {
        let config = BacktestConfig(commission: .percentOfValue(0.001))
        let descriptor = try StrategyCatalog.builtIn.named(SMACross.name)
        let parameters = try descriptor.parameters(["fast": String(c.fast), "slow": String(c.slow)])
        let market = try PreparedMarket(c.data, config: config)
        func best(_ body: () throws -> BacktestResult) throws -> (Double, BacktestResult) {
            var best = Double.infinity, total = 0.0, runs = 0
            var last: BacktestResult?
            while total < minimumSeconds / 2 || runs < 3 {
                let t0 = threadCPUSeconds()
                let r = try body()
                let dt = threadCPUSeconds() - t0
                best = min(best, dt)
                total += dt
                last = r
                runs += 1
            }
            return (best, last!)
        }
        let (prepared, result) = try best { try descriptor.runPrepared(parameters, market, config) }
        let (whole, again) = try best { try descriptor.run(parameters, c.data, config) }
        precondition(again.finalEquity == result.finalEquity, "a prepared market must not change the result")
        return (prepared, whole, result.finalEquity, result.trades.count)
    }

    /// Runs backtesting.py on the first symbol of `c` through `Scripts/bench/backtesting_sma_cross.py`; nil with a
    /// note when Python or the package is missing.
    public static func measurePeer(_ c: Case, runs: Int = 3, python: String = "python3")
        -> (seconds: Double, finalEquity: Double, trades: Int)? {
        guard let series = c.data.series.first else { return nil }
        let script = repositoryRoot().appendingPathComponent("Scripts/bench/backtesting_sma_cross.py").path
        guard FileManager.default.fileExists(atPath: script) else { return nil }
        let csv = FileManager.default.temporaryDirectory.appendingPathComponent("tradewind-bench-\(getpid())-\(c.name).csv")
        var text = "time_ns,open,high,low,close,volume\n"
        text.reserveCapacity(series.count * 60)
        for i in 0..<series.count {
            text += "\(series.time[i]),\(series.open[i]),\(series.high[i]),\(series.low[i]),\(series.close[i]),\(series.volume[i])\n"
        }
        guard (try? text.write(to: csv, atomically: true, encoding: .utf8)) != nil else { return nil }
        defer { try? FileManager.default.removeItem(at: csv) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [python, script, csv.path, String(c.fast), String(c.slow), String(runs)]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0,
              let line = String(data: data, encoding: .utf8)?.split(separator: "\n").last,
              let obj = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
              let seconds = obj["seconds"] as? Double else { return nil }
        return (seconds, obj["final_equity"] as? Double ?? .nan, obj["trades"] as? Int ?? 0)
    }

    /// CPU time consumed by the whole process (every thread), in seconds.
    public static func processCPUSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Best process CPU time (all threads, should the kernel use more than one) of the exact sma-cross kernel
    /// for one parameter pair on the case's only symbol (the optimizer's path: it equals the engine's result;
    /// `final equity` is printed beside the engine's).
    public static func measureKernel(_ c: Case, minimumSeconds: Double = 0.5) throws -> (seconds: Double, finalEquity: Double)? {
        guard c.data.count == 1, let series = c.data.series.first, !ExactKernel.hasCorporateActions(series) else { return nil }
        let costs = KernelCosts(commission: 0.001)
        let pair = [SMACrossKernel.Pair(fast: c.fast, slow: c.slow)]
        var best = Double.infinity
        var total = 0.0
        var runs = 0
        var equity = Double.nan
        while total < minimumSeconds || runs < 3 {
            let t0 = processCPUSeconds()
            let r = try SMACrossKernel.evaluate(series: series, pairs: pair, costs: costs)
            let dt = processCPUSeconds() - t0
            best = min(best, dt)
            total += dt
            runs += 1
            equity = r.finalEquity[0]
        }
        return (best, equity)
    }

    /// Measures every case (Tradewind, then the peer on the same bars).
    public static func run(_ cases: [Case], peer: Bool = true, minimumSeconds: Double = 1) throws -> [Row] {
        try cases.map { c in
            let tw = try measureTradewind(c, minimumSeconds: minimumSeconds)
            let single = c.data.count == 1
            let py = peer && single ? measurePeer(c) : nil
            let note = !peer ? "peer skipped" : !single ? "peer runs single-symbol data only"
                : py == nil ? "backtesting.py unavailable (python3 with backtesting 0.6.6 needed)" : ""
            let kernel = try measureKernel(c)
            return Row(name: c.name, barEvents: c.barEvents, tradewindSeconds: tw.seconds,
                       tradewindWithPreparationSeconds: tw.withPreparation, tradewindFinalEquity: tw.finalEquity,
                       tradewindTrades: tw.trades, peerSeconds: py?.seconds, peerFinalEquity: py?.finalEquity,
                       peerTrades: py?.trades, peerNote: note, kernelSeconds: kernel?.seconds, kernelFinalEquity: kernel?.finalEquity)
        }
    }

    /// A plain-text table of the rows.
    public static func report(_ rows: [Row]) -> String {
        func rate(_ v: Double?) -> String {
            guard let v else { return "—" }
            if v >= 1e6 { return String(format: "%.1f M/s", v / 1e6) }
            if v >= 1e3 { return String(format: "%.1f k/s", v / 1e3) }
            return String(format: "%.0f /s", v)
        }
        var lines = ["sma-cross (fast 10, slow 30, 0.1 % commission); bar events per second of thread CPU time, best run, one core",
                     "engine = the event-driven engine on a market prepared once (backtesting.py: Backtest.run() after its constructor);",
                     "+prep = preparing the data in every run (tradewind backtest); kernel = the exact SMACrossKernel, the optimizer's path",
                     "case                         bars      engine    backtesting.py   ratio    engine+prep  ratio      kernel   kernel ratio"]
        for r in rows {
            let ratio = r.ratio.map { String(format: "%.0f×", $0) } ?? "—"
            let pratio = r.withPreparationRatio.map { String(format: "%.0f×", $0) } ?? "—"
            let kratio = r.kernelRatio.map { String(format: "%.0f×", $0) } ?? "—"
            lines.append(r.name.padding(toLength: 24, withPad: " ", startingAt: 0)
                + String(r.barEvents).leftPad(9) + rate(r.tradewindBarsPerSecond).leftPad(12)
                + rate(r.peerBarsPerSecond).leftPad(17) + ratio.leftPad(8)
                + rate(r.withPreparationBarsPerSecond).leftPad(15) + pratio.leftPad(7)
                + rate(r.kernelBarsPerSecond).leftPad(12) + kratio.leftPad(15)
                + (r.peerNote.isEmpty ? "" : "   (\(r.peerNote))"))
        }
        for r in rows {
            if let k = r.kernelFinalEquity {
                let same = abs(k - r.tradewindFinalEquity) <= 1e-9 * abs(r.tradewindFinalEquity)
                lines.append("  \(r.name): kernel final equity \(k) \(same ? "equals" : "DIFFERS FROM") the engine's \(r.tradewindFinalEquity)")
            }
        }
        return lines.joined(separator: "\n")
    }

    static func repositoryRoot() -> URL {
        var url = URL(fileURLWithPath: #filePath)
        while url.pathComponents.count > 1 && url.lastPathComponent != "Sources" { url.deleteLastPathComponent() }
        return url.deletingLastPathComponent()
    }
}

extension String {
    fileprivate func leftPad(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}
