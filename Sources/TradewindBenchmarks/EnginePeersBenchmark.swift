import Foundation
import TradewindCore
import TradewindEngine
import TradewindStrategies

/// `tradewind bench engines`: sma-cross 10/30 (long-only, all-in, no costs) through Tradewind's engine and, in the
/// same run on the same bars, through the engines users would pick instead — NautilusTrader, backtrader,
/// zipline-reloaded and vectorbt — each through its script in `Scripts/bench/` (`python3` on PATH).
public enum EnginePeersBenchmark {
    /// The peers, in report order, with their script and the package a missing import names.
    public enum Peer: String, CaseIterable, Sendable {
        case nautilus = "NautilusTrader", backtrader, zipline = "zipline-reloaded", vectorbt

        public var script: String {
            switch self {
            case .nautilus: "nautilus_sma_cross.py"
            case .backtrader: "backtrader_sma_cross.py"
            case .zipline: "zipline_sma_cross.py"
            case .vectorbt: "vectorbt_sma_cross.py"
            }
        }

        public var package: String {
            switch self {
            case .nautilus: "nautilus_trader"
            case .backtrader: "backtrader"
            case .zipline: "zipline-reloaded"
            case .vectorbt: "vectorbt"
            }
        }

        /// The peer's fill convention, as its script sets it up.
        public var fills: String {
            switch self {
            case .nautilus: "signal bar's close (an order sent in on_bar fills after the exchange processed that bar), whole shares"
            case .backtrader: "next bar's open (cheat-on-open, sized from that open), fractional shares"
            case .zipline: "next minute's/day's close (zipline fills an order on the following bar at its close), whole shares"
            case .vectorbt: "next bar's open (signals shifted one bar, price=open), fractional shares"
            }
        }
    }

    /// One peer's answer for one case.
    public struct PeerResult: Sendable {
        public var peer: Peer
        public var version: String = ""
        public var bars: Int = 0
        /// Best timed run: wall clock and process CPU seconds (vectorbt: warm).
        public var seconds: Double = .nan
        public var cpu: Double = .nan
        /// vectorbt's first call in a fresh process (numba compiles then).
        public var coldSeconds: Double?
        public var coldCPU: Double?
        public var finalEquity: Double = .nan
        public var trades: Int = 0
        public var openTrades: Int = 0
        /// vectorbt only, untimed: the same run under the other peers' fill conventions (name, final equity, closed
        /// trades, open trades): "signal_close_whole" (NautilusTrader's), "next_close_whole" (zipline's).
        public var checks: [(name: String, finalEquity: Double, trades: Int, openTrades: Int)] = []
        /// Set when the figures are scaled from another case (see `note`).
        public var extrapolated = false
        /// Why there is no figure, or how it was taken.
        public var note: String = ""
        public var ok: Bool { seconds.isFinite }
    }

    /// Writes `data` for the peer scripts (`Scripts/bench/peer_bars.py` reads it): manifest.json and one SYMBOL.bin
    /// per symbol (int64 times, then open, high, low, close, volume as float64, little-endian).
    public static func writeCase(_ data: MarketDataset, to dir: URL) throws {
        let fm = FileManager.default
        try? fm.removeItem(at: dir)
        try fm.createDirectory(at: dir, withIntermediateDirectories: true)
        for s in data.series {
            var bytes = Data(capacity: s.count * 48)
            s.time.withUnsafeBytes { bytes.append(contentsOf: $0) }
            for column in [s.open, s.high, s.low, s.close, s.volume] { column.withUnsafeBytes { bytes.append(contentsOf: $0) } }
            try bytes.write(to: dir.appendingPathComponent("\(s.symbol).bin"))
        }
        let interval = data.series.first?.interval == .daily ? "1d" : "1m"
        let manifest: [String: Any] = ["symbols": data.symbols, "counts": data.series.map(\.count), "interval": interval]
        try JSONSerialization.data(withJSONObject: manifest).write(to: dir.appendingPathComponent("manifest.json"))
    }

    /// Runs one peer's script on a case directory; a missing package yields "peer not installed".
    public static func runPeer(_ peer: Peer, caseDir: URL, fast: Int = 10, slow: Int = 30, runs: Int,
                               timeout: Double = 900) -> PeerResult {
        var r = PeerResult(peer: peer)
        let script = EngineBenchmark.repositoryRoot().appendingPathComponent("Scripts/bench/\(peer.script)").path
        guard FileManager.default.fileExists(atPath: script) else {
            r.note = "peer script \(script) not found"
            return r
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", script, caseDir.path, String(fast), String(slow), String(runs)]
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        do { try p.run() } catch {
            r.note = "peer not installed (python3 is not on PATH)"
            return r
        }
        // Drain stderr concurrently so a chatty peer cannot block on a full pipe.
        let errBox = ErrorText()
        let reader = Thread { errBox.set(err.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        let killer = DispatchWorkItem { if p.isRunning { p.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: killer)
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        killer.cancel()
        while !errBox.done { usleep(1000) }
        let stderr = errBox.text
        guard p.terminationStatus == 0 else {
            if p.terminationReason == .uncaughtSignal {
                r.note = "peer stopped after \(Int(timeout)) s"
            } else if stderr.contains("ModuleNotFoundError") || stderr.contains("No module named") {
                r.note = "peer not installed (pip install -r Scripts/requirements-peers.txt: \(peer.package))"
            } else {
                let last = stderr.split(separator: "\n").last.map(String.init) ?? "exit \(p.terminationStatus)"
                r.note = "peer failed: \(last.prefix(300))"
            }
            return r
        }
        guard let line = String(decoding: data, as: UTF8.self).split(separator: "\n").last,
              let obj = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            r.note = "peer printed no result"
            return r
        }
        r.version = obj["version"] as? String ?? ""
        r.bars = obj["bars"] as? Int ?? 0
        r.seconds = obj["seconds"] as? Double ?? .nan
        r.cpu = obj["cpu"] as? Double ?? .nan
        r.coldSeconds = obj["cold_seconds"] as? Double
        r.coldCPU = obj["cold_cpu"] as? Double
        r.finalEquity = obj["final_equity"] as? Double ?? .nan
        r.trades = obj["trades"] as? Int ?? 0
        r.openTrades = obj["open_trades"] as? Int ?? 0
        r.note = obj["note"] as? String ?? ""
        for (name, value) in (obj["checks"] as? [String: Any] ?? [:]).sorted(by: { $0.key > $1.key }) {
            guard let v = value as? [String: Any] else { continue }
            r.checks.append((name, v["final_equity"] as? Double ?? .nan, v["trades"] as? Int ?? 0, v["open_trades"] as? Int ?? 0))
        }
        return r
    }

    private final class ErrorText: @unchecked Sendable {
        private let lock = NSLock()
        private var data = Data()
        private var finished = false
        func set(_ d: Data) { lock.lock(); data = d; finished = true; lock.unlock() }
        var done: Bool { lock.lock(); defer { lock.unlock() }; return finished }
        var text: String { lock.lock(); defer { lock.unlock() }; return String(decoding: data, as: UTF8.self) }
    }

    /// Tradewind's side of one case: sma-cross on a market prepared once, best thread CPU time of repeated runs.
    public struct TradewindResult: Sendable {
        public var seconds: Double
        public var finalEquity: Double
        public var trades: Int
        public var openTrades: Int
    }

    /// The benchmark's configuration: no costs, cash account, next-bar-open fills, fractional shares, all-in
    /// (sma-cross invests all cash for one symbol, 1/N of equity each for N).
    public static let config = BacktestConfig()
    /// The same run under NautilusTrader's and zipline's conventions (fills at a close, whole shares), for the
    /// comparability check only.
    public static let closeFillConfig = BacktestConfig(fillTiming: .signalClose, wholeShares: true)

    public static func measureTradewind(_ data: MarketDataset, fast: Int = 10, slow: Int = 30, config: BacktestConfig = config,
                                        minimumSeconds: Double = 1) throws -> TradewindResult {
        let descriptor = try StrategyCatalog.builtIn.named(SMACross.name)
        let parameters = try descriptor.parameters(["fast": String(fast), "slow": String(slow)])
        let market = try PreparedMarket(data, config: config)
        var best = Double.infinity, total = 0.0, runs = 0
        var last: BacktestResult?
        while total < minimumSeconds || runs < 3 {
            let t0 = EngineBenchmark.threadCPUSeconds()
            let r = try descriptor.runPrepared(parameters, market, config)
            let dt = EngineBenchmark.threadCPUSeconds() - t0
            best = min(best, dt)
            total += dt
            runs += 1
            last = r
        }
        let summary = BacktestSummary(result: last!, interval: data.series.first?.interval ?? .daily, strategy: descriptor.name,
                                      parameters: parameters.description)
        return TradewindResult(seconds: best, finalEquity: last!.finalEquity, trades: summary.trades, openTrades: summary.openTrades)
    }

    /// Wall-clock and CPU seconds (user + system of the child), its system seconds and minor page faults, and its
    /// standard output, of one whole command.
    public static func timeProcess(_ executable: String, _ arguments: [String]) throws
        -> (wall: Double, cpu: Double, system: Double, faults: Int, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        var before = rusage()
        getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &before)
        let t0 = DispatchTime.now().uptimeNanoseconds
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let wall = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        var after = rusage()
        getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &after)
        func sec(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        let system = sec(after.ru_stime) - sec(before.ru_stime)
        let cpu = sec(after.ru_utime) - sec(before.ru_utime) + system
        let faults = after.ru_minflt - before.ru_minflt
        guard p.terminationStatus == 0 else {
            throw PeerUnavailable.failed("\(executable) \(arguments.joined(separator: " ")) exited \(p.terminationStatus)")
        }
        return (wall, cpu, system, faults, String(decoding: data, as: UTF8.self))
    }
}
