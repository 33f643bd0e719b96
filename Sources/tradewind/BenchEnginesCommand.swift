import ArgumentParser
import Foundation
import TradewindBenchmarks
import TradewindCore
import TradewindData
import TradewindEngine
import TradewindStrategies

/// `tradewind bench engines`: Tradewind's engine against NautilusTrader, backtrader, zipline-reloaded and vectorbt,
/// same strategy, same bars, same run; and the whole `tradewind backtest` process against vectorbt warm.
struct BenchEngines: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engines",
        abstract: "sma-cross through Tradewind's engine and NautilusTrader, backtrader, zipline-reloaded, vectorbt (same bars, same run).",
        discussion: """
            sma-cross fast=10 slow=30, long-only, all-in, no costs. Cases: (a) one year of synthetic 1-minute bars \
            (SyntheticMarket seed 7, 2023, NYSE sessions), (b) ten years of them (2014–2023), (c) AAPL daily \
            1999–2021 (sample:sp500-50, split+dividend adjusted), (d) all 50 sp500-50 symbols daily (adjusted). \
            Tradewind: thread CPU time of the engine on a market prepared once, best run. Peers: process CPU time \
            and wall clock of their own run call, best of --runs (scripts in Scripts/bench/, python3 on PATH; \
            pip install -r Scripts/requirements-peers.txt). The event-driven peers' ten-year figures are scaled \
            from case (a) unless --full is given (say so when quoting them). Then `tradewind backtest` on case (b) \
            as a whole process, from a `tradewind data import` cache, wall clock, against vectorbt warm in-process. \
            Build with -c release.
            """
    )

    @Option(help: "Timed runs per event-driven peer (NautilusTrader, backtrader, zipline) and case.") var runs = 1
    @Option(help: "Timed warm runs of vectorbt per case.") var vectorbtRuns = 3
    @Option(help: "Timed runs of the whole tradewind backtest process.") var processRuns = 5
    @Option(help: "Only this case (a, b, c or d), or the cases whose name contains this text (1m, daily, …).") var only: String?
    @Option(help: "Only these peers (comma-separated: nautilus, backtrader, zipline, vectorbt); none = Tradewind only.")
    var peers: String = "nautilus,backtrader,zipline,vectorbt"
    @Flag(help: "Run the event-driven peers on the ten-year case too (minutes each) instead of scaling case (a).") var full = false
    @Option(help: "Seconds after which a peer run is stopped.") var peerTimeout: Double = 900
    @Option(help: "Scratch directory (removed afterwards unless --keep).") var dir = NSTemporaryDirectory() + "tradewind-bench-engines"
    @Flag(help: "Keep the scratch directory (each case's bars as the peers read them, the ten-year cache).") var keep = false

    struct Case {
        let letter: String
        let name: String
        let data: MarketDataset
        var bars: Int { data.series.reduce(0) { $0 + $1.count } }
    }

    func run() throws {
        let selectedPeers = peers.split(separator: ",").compactMap { name -> EnginePeersBenchmark.Peer? in
            switch name.trimmingCharacters(in: .whitespaces).lowercased() {
            case "nautilus", "nautilustrader", "nautilus_trader": .nautilus
            case "backtrader": .backtrader
            case "zipline", "zipline-reloaded": .zipline
            case "vectorbt": .vectorbt
            default: nil
            }
        }
        let scratch = URL(fileURLWithPath: dir)
        try? FileManager.default.removeItem(at: scratch)
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { if !keep { try? FileManager.default.removeItem(at: scratch) } }

        let synth = SyntheticMarket(seed: 7)
        let year = try synth.generate(symbols: 1, from: CivilDate(year: 2023, month: 1, day: 3)!,
                                      to: CivilDate(year: 2023, month: 12, day: 29)!, interval: .minute)
        let decade = try synth.generate(symbols: 1, from: CivilDate(year: 2014, month: 1, day: 1)!,
                                        to: CivilDate(year: 2023, month: 12, day: 31)!, interval: .minute)
        let raw = try DataSource(parsing: "sample:sp500-50").load()
        // Split+dividend adjusted: every side trades the same prices (none of the peers applies splits here).
        let fifty = MarketDataset(raw.series.map { $0.adjusted(.splitAndDividend) })
        let aapl = MarketDataset(fifty.series.filter { $0.symbol == "AAPL" })
        let all = [Case(letter: "a", name: "synthetic 1m 2023", data: year),
                   Case(letter: "b", name: "synthetic 1m 2014-2023", data: decade),
                   Case(letter: "c", name: "AAPL daily 1999-2021 adj", data: aapl),
                   Case(letter: "d", name: "50 symbols daily adj", data: fifty)]
        let cases = all.filter { c in only.map { $0.count == 1 ? c.letter == $0 : c.name.localizedCaseInsensitiveContains($0) } ?? true }

        say("sma-cross fast=10 slow=30, long-only, all-in, no costs; Tradewind: engine on a prepared market, thread CPU, best run;")
        say("peers: their run call only (data loading excluded), process CPU (wall in brackets), best of the runs given")
        for p in selectedPeers { say("  \(p.rawValue) fills: \(p.fills)") }
        say("  Tradewind fills: next bar's open, fractional shares (check rows: signal bar's close, whole shares)")
        var rates: [String: [EnginePeersBenchmark.Peer: Double]] = [:]   // case letter → peer → CPU s per bar
        var vectorbtDecade: EnginePeersBenchmark.PeerResult?
        var nautilusRatios: [String] = []
        for c in cases {
            let caseDir = scratch.appendingPathComponent(c.letter)
            try EnginePeersBenchmark.writeCase(c.data, to: caseDir)
            let tw = try EnginePeersBenchmark.measureTradewind(c.data)
            let twClose = try EnginePeersBenchmark.measureTradewind(c.data, config: EnginePeersBenchmark.closeFillConfig, minimumSeconds: 0.2)
            say("")
            say("(\(c.letter)) \(c.name): \(c.data.count) symbol(s), \(c.bars) bars")
            say(row("Tradewind engine", seconds: tw.seconds, wall: nil, bars: c.bars, ratio: nil,
                      equity: tw.finalEquity, trades: tw.trades, open: tw.openTrades, note: "next open, fractional"))
            say(row("  (check) close fill", seconds: twClose.seconds, wall: nil, bars: c.bars, ratio: nil,
                      equity: twClose.finalEquity, trades: twClose.trades, open: twClose.openTrades, note: "signal close, whole shares"))
            for peer in selectedPeers {
                let slow = peer != .vectorbt
                if c.letter == "b" && slow && !full, let perBar = rates["a"]?[peer] {
                    let seconds = perBar * Double(c.bars)
                    if peer == .nautilus { nautilusRatios.append(String(format: "(%@, scaled) %.0f×", c.letter, seconds / tw.seconds)) }
                    say(row(peer.rawValue, seconds: seconds, wall: nil, bars: c.bars, ratio: seconds / tw.seconds,
                              equity: nil, trades: nil, open: nil,
                              note: "SCALED from case (a)'s CPU per bar, not run: --full runs it; a peer whose cost per bar grows with the run is understated"))
                    continue
                }
                if c.letter == "b" && slow && !full {
                    say(row(peer.rawValue, seconds: nil, wall: nil, bars: c.bars, ratio: nil, equity: nil, trades: nil, open: nil,
                              note: "not run (slow; include case a to scale it, or --full)"))
                    continue
                }
                let r = EnginePeersBenchmark.runPeer(peer, caseDir: caseDir, runs: slow ? runs : vectorbtRuns, timeout: peerTimeout)
                guard r.ok else {
                    say(row(peer.rawValue, seconds: nil, wall: nil, bars: c.bars, ratio: nil, equity: nil, trades: nil, open: nil,
                              note: r.note))
                    continue
                }
                rates[c.letter, default: [:]][peer] = r.cpu / Double(c.bars)
                if peer == .nautilus { nautilusRatios.append(String(format: "(%@) %.0f×", c.letter, r.cpu / tw.seconds)) }
                let label = peer == .vectorbt ? "vectorbt warm" : peer.rawValue
                say(row(label + " " + r.version, seconds: r.cpu, wall: r.seconds, bars: c.bars, ratio: r.cpu / tw.seconds,
                          equity: r.finalEquity, trades: r.trades, open: r.openTrades, note: r.note))
                if peer == .vectorbt, let cold = r.coldCPU, let coldWall = r.coldSeconds {
                    say(row("vectorbt cold", seconds: cold, wall: coldWall, bars: c.bars, ratio: cold / tw.seconds,
                              equity: nil, trades: nil, open: nil, note: "first call in the process (numba compiles)"))
                }
                for check in r.checks {
                    let what = check.name == "signal_close_whole" ? "signal bar's close, whole shares (NautilusTrader's fills)"
                        : check.name == "next_close_whole" ? "next bar's close, whole shares (zipline's fills)" : check.name
                    say(row("  (check) vectorbt", seconds: nil, wall: nil, bars: c.bars, ratio: nil, equity: check.finalEquity,
                              trades: check.trades, open: check.openTrades, note: what))
                }
                if peer == .vectorbt && c.letter == "b" { vectorbtDecade = r }
            }
        }
        if !nautilusRatios.isEmpty {
            say("")
            say("goal: Tradewind's engine ≥ 100× NautilusTrader (CPU): " + nautilusRatios.joined(separator: ", ")
                  + (nautilusRatios.allSatisfy { Double($0.split(separator: " ").last!.dropLast()) ?? 0 >= 100 } ? " — MET" : " — NOT MET everywhere"))
        }
        if cases.contains(where: { $0.letter == "b" }) {
            try wholeProcess(decade, scratch: scratch, vectorbt: vectorbtDecade)
        }
    }

    /// `tradewind backtest` on the ten-year case as a whole process (start, cache load, run, metrics, --json),
    /// from a cache written by `tradewind data import`, wall clock; and where its time goes.
    func wholeProcess(_ data: MarketDataset, scratch: URL, vectorbt: EnginePeersBenchmark.PeerResult?) throws {
        let exe = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
        let self_ = Bundle.main.executablePath ?? exe
        let csv = scratch.appendingPathComponent("decade-csv")
        let cache = scratch.appendingPathComponent("decade-cache")
        try CSVBarWriter.write(data, toDirectory: csv.path)
        _ = try EnginePeersBenchmark.timeProcess(self_, ["data", "import", csv.path, "--out", cache.path])
        let args = ["backtest", "--data", cache.path, "--strategy", "sma-cross", "--param", "fast=10", "--param", "slow=30", "--json"]
        var best = (wall: Double.infinity, cpu: Double.infinity, system: 0.0, faults: 0)
        var output = ""
        for _ in 0..<max(1, processRuns) {
            let t = try EnginePeersBenchmark.timeProcess(self_, args)
            if t.wall < best.wall { best = (t.wall, t.cpu, t.system, t.faults) }
            output = t.output
        }
        var startOnly = Double.infinity
        for _ in 0..<max(1, processRuns) { startOnly = min(startOnly, try EnginePeersBenchmark.timeProcess(self_, ["--help"]).wall) }
        // The same steps in this process: wall clock, thread CPU and minor page faults of each, from the run with
        // the least total wall time (the first run is the one whose memory is touched fresh, as in a new process).
        struct Step { var wall = 0.0, cpu = 0.0, faults = 0 }
        func step<T>(_ into: inout Step, _ body: () throws -> T) rethrows -> T {
            var u0 = rusage(), u1 = rusage()
            getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &u0)
            let t0 = DispatchTime.now().uptimeNanoseconds, c0 = EngineBenchmark.threadCPUSeconds()
            let v = try body()
            into.cpu = EngineBenchmark.threadCPUSeconds() - c0
            into.wall = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
            getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &u1)
            into.faults = u1.ru_minflt - u0.ru_minflt
            return v
        }
        let descriptor = try StrategyCatalog.builtIn.named(SMACross.name)
        let parameters = try descriptor.parameters(["fast": "10", "slow": "30"])
        var first: [Step] = [], fastest: [Step] = []
        for i in 0..<max(1, processRuns) {
            var steps = [Step](repeating: Step(), count: 5)
            let loaded = try step(&steps[0]) { try DataSource(parsing: cache.path).load() }
            let market = try step(&steps[1]) { try PreparedMarket(loaded, config: EnginePeersBenchmark.config) }
            let result = try step(&steps[2]) { try descriptor.runPrepared(parameters, market, EnginePeersBenchmark.config) }
            let sum = step(&steps[3]) { BacktestSummary(result: result, interval: .minute, strategy: descriptor.name, parameters: parameters.description) }
            _ = try step(&steps[4]) { let e = JSONEncoder(); e.outputFormatting = [.sortedKeys]; return try e.encode(sum) }
            if i == 0 { first = steps }
            if fastest.isEmpty || steps.reduce(0, { $0 + $1.wall }) < fastest.reduce(0, { $0 + $1.wall }) { fastest = steps }
        }
        let equity = (try? JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])?["final_equity"] as? Double
        say("")
        say("whole process, case (b) \(data.series[0].count) bars: `tradewind \(args.joined(separator: " "))` (cache from `tradewind data import`)")
        say(String(format: "  tradewind backtest: %.3f s wall (best of %d), %.3f s CPU of which %.3f s system, %d minor page faults; final equity %@",
                     best.wall, processRuns, best.cpu, best.system, best.faults, equity.map { String(format: "%.2f", $0) } ?? "?"))
        let names = ["cache load", "prepare", "engine run", "metrics", "JSON"]
        func describe(_ steps: [Step]) -> String {
            zip(names, steps).map { String(format: "%@ %.3f s wall / %.3f s CPU / %d faults", $0, $1.wall, $1.cpu, $1.faults) }
                .joined(separator: "; ")
        }
        say(String(format: "  start + exit of the binary alone (tradewind --help): %.3f s wall", startOnly))
        say("  where it goes, same steps in this process, first run: " + describe(first))
        say("  … fastest run (memory reused): " + describe(fastest))
        if let v = vectorbt, v.ok {
            let ratio = v.seconds / best.wall
            say(String(format: "  vectorbt warm in-process (MA.run ×2 + crossings + from_signals): %.3f s wall, %.3f s CPU; final equity %.2f",
                         v.seconds, v.cpu, v.finalEquity))
            say(String(format: "  vectorbt warm / tradewind whole process = %.2f× wall, %.2f× CPU (goal ≥ 2×: %@)", ratio, v.cpu / best.cpu,
                         ratio >= 2 ? "MET" : "NOT MET"))
        } else {
            say("  vectorbt: no figure (\(vectorbt?.note ?? "not selected")): the ≥ 2× goal cannot be judged in this run")
        }
    }

    func row(_ label: String, seconds: Double?, wall: Double?, bars: Int, ratio: Double?, equity: Double?, trades: Int?,
             open: Int?, note: String) -> String {
        func rate(_ s: Double?) -> String {
            guard let s, s > 0 else { return "—" }
            let v = Double(bars) / s
            if v >= 1e6 { return String(format: "%.1f M/s", v / 1e6) }
            if v >= 1e3 { return String(format: "%.1f k/s", v / 1e3) }
            return String(format: "%.0f /s", v)
        }
        var line = "  " + label.padding(toLength: 30, withPad: " ", startingAt: 0)
        line += (seconds.map { String(format: "%.4f s", $0) } ?? "—").leftPadded(11)
        line += (wall.map { String(format: "[%.3f s]", $0) } ?? "").leftPadded(12)
        line += rate(seconds).leftPadded(11)
        line += (ratio.map { String(format: "TW %.0f×", $0) } ?? "").leftPadded(10)
        line += (equity.map { String(format: "equity %.2f", $0) } ?? "").leftPadded(20)
        if let trades { line += "  \(trades) trades" + ((open ?? 0) > 0 ? " +\(open!) open" : "") }
        if !note.isEmpty { line += "  (\(note))" }
        return line
    }
}

/// One line to standard output at once, unbuffered: the peers take minutes, and a redirected log should show progress.
private func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

extension String {
    fileprivate func leftPadded(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}
