import Foundation
import TradewindCore
import TradewindData
import TradewindProviders

/// `tradewind bench fetch`: the issue's download (372 symbols × a year of 1-minute bars by default) from a loopback
/// server speaking Alpaca's bars API (`RecordedBarsServer`), through `tradewind data fetch`'s code path
/// (`BarFetcher` + `AlpacaBarsClient` + `FetchCache`: cold cache, then warm), and in the same run through the Python
/// clients users would use (`Scripts/bench/fetch_peers.py`: `requests` with a session per thread in a 20-thread
/// pool, and alpaca-py's `StockHistoricalDataClient` in the same pool), each against the same server.
public enum FetchBenchmark {
    public struct Configuration: Sendable {
        public var symbols = 372
        public var from = CivilDate(year: 2023, month: 1, day: 3)!
        public var to = CivilDate(year: 2023, month: 12, day: 29)!
        /// Symbols in flight at once, for Tradewind and for the peers' thread pools.
        public var concurrency = 20
        /// The Python peers to run (`requests`, `alpaca-py`).
        public var peers = ["requests", "alpaca-py"]
        public init() {}
    }

    /// One client's download.
    public struct Run: Sendable {
        public var client: String
        public var bars: Int
        public var seconds: Double
        /// Peak resident memory of the process that ran it, when known.
        public var peakBytes: Int?
        /// CPU time (user + system) the download cost, the loopback server's share included: for Tradewind this
        /// process's, for a peer its process's plus this process's (the server) while it ran. Less sensitive to a
        /// loaded machine than wall time.
        public var cpuSeconds: Double?
        public var note: String?
        public var barsPerSecond: Double { Double(bars) / max(seconds, 1e-9) }
    }

    public struct Report: Sendable {
        public var barsPerSymbol = 0
        public var runs: [Run] = []
    }

    static let keyID = "PKBENCHFETCH"
    static let secret = "bench-fetch-secret"

    public static func run(_ c: Configuration, progress: @escaping @Sendable (String) -> Void = { _ in }) async throws -> Report {
        let recorded = try SyntheticMarket(seed: 7).generate(symbols: 1, from: c.from, to: c.to, interval: .minute).series[0]
        let server = RecordedBarsServer(series: recorded)
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let task = Task { try await server.run { continuation.yield($0) } }
        defer { task.cancel() }
        var it = ports.makeAsyncIterator()
        guard let port = await it.next() else { throw CancellationError() }
        let base = "http://127.0.0.1:\(port)"
        let symbols = (0..<c.symbols).map { SyntheticMarket.symbolName($0, of: c.symbols) }
        let range = BarRequest(symbol: "", interval: .minute, firstDay: c.from, lastDay: c.to)
        var report = Report(barsPerSymbol: recorded.count)

        let directory = NSTemporaryDirectory() + "tw-bench-fetch-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let http = ProviderHTTPClient(connectionsPerHost: c.concurrency)
        defer { Task { try? await http.shutdown() } }
        let client = AlpacaBarsClient(credentials: AlpacaCredentials(keyID: keyID, secretKey: secret),
                                      endpoints: AlpacaEndpoints(data: base),
                                      policy: RequestPolicy(limiter: nil, retry: .standard, timeout: .seconds(120)), http: http)
        let fetcher = BarFetcher(chain: ProviderChain([client]), cache: FetchCache(directory: directory), concurrency: c.concurrency)
        for label in ["Tradewind data fetch, cold cache", "Tradewind data fetch, warm cache"] {
            progress(label + " …")
            let clock = ContinuousClock()
            let cpu0 = cpuSeconds(RUSAGE_SELF)
            let t0 = clock.now
            let reports = await fetcher.fetch(symbols: symbols, interval: .minute, from: range.from, to: range.to)
            let seconds = Double((clock.now - t0) / .microseconds(1)) / 1e6
            if let failed = reports.first(where: { $0.error != nil }) {
                throw PeerUnavailable.failed("Tradewind's fetch failed for \(failed.symbol): \(failed.error!)")
            }
            report.runs.append(Run(client: label, bars: reports.reduce(0) { $0 + $1.bars }, seconds: seconds,
                                   peakBytes: peakResidentBytes(), cpuSeconds: cpuSeconds(RUSAGE_SELF) - cpu0,
                                   note: "\(reports.reduce(0) { $0 + $1.fetchedBars }) bars requested from the server"))
        }
        for peer in c.peers {
            progress(peer + " …")
            let list = directory + "-symbols.txt"
            defer { try? FileManager.default.removeItem(atPath: list) }
            try symbols.joined(separator: "\n").write(toFile: list, atomically: true, encoding: .utf8)
            let cpu0 = cpuSeconds(RUSAGE_SELF) + cpuSeconds(RUSAGE_CHILDREN)
            switch runPython(script: "Scripts/bench/fetch_peers.py",
                             arguments: [peer, base, keyID, secret, RFC3339.format(range.from), RFC3339.format(range.to - 1),
                                         String(c.concurrency), list]) {
            case .success(let lines):
                let parts = (lines.last ?? "").split(separator: " ")
                if parts.count == 3, let n = Int(parts[0]), let s = Double(parts[1]), let rss = Int(parts[2]) {
                    let cpu = cpuSeconds(RUSAGE_SELF) + cpuSeconds(RUSAGE_CHILDREN) - cpu0
                    report.runs.append(Run(client: peer, bars: n, seconds: s, peakBytes: rss, cpuSeconds: cpu))
                } else {
                    report.runs.append(Run(client: peer, bars: 0, seconds: 0, note: "printed \(lines.last ?? "nothing")"))
                }
            case .failure(let why):
                report.runs.append(Run(client: peer, bars: 0, seconds: 0, note: "not measured: \(why)"))
            }
        }
        return report
    }

    /// The peak resident memory of this process so far (`getrusage`'s `ru_maxrss`).
    static func peakResidentBytes() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Int(usage.ru_maxrss) * 1024
    }

    /// User + system CPU seconds of this process (`RUSAGE_SELF`) or of its finished children (`RUSAGE_CHILDREN`).
    static func cpuSeconds(_ who: __rusage_who) -> Double {
        var usage = rusage()
        getrusage(who.rawValue, &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// The report as text: each client's bars, seconds, bars/s, peak memory and its ratio to the fastest peer.
    public static func text(_ r: Report, _ c: Configuration) -> String {
        var lines = ["tradewind bench fetch: \(c.symbols) symbols × 1-minute bars \(c.from) … \(c.to) (\(r.barsPerSymbol) bars a symbol, "
                     + "\(r.barsPerSymbol * c.symbols) in all) from a loopback server speaking Alpaca's bars API (pre-encoded pages), "
                     + "\(c.concurrency) at a time"]
        let peers = r.runs.filter { !$0.client.hasPrefix("Tradewind") && $0.bars > 0 }
        let fastest = peers.map(\.barsPerSecond).max()
        // The CPU time of the peer with the most bars a second, against which Tradewind's CPU time is set.
        let fastestCPU = peers.max { $0.barsPerSecond < $1.barsPerSecond }?.cpuSeconds
        for run in r.runs {
            guard run.bars > 0 else {
                lines.append("\(run.client): \(run.note ?? "no result")")
                continue
            }
            var line = String(format: "%@: %d bars in %.2f s = %.0f bars/s", run.client, run.bars, run.seconds, run.barsPerSecond)
            if let p = run.peakBytes { line += String(format: ", peak RSS %.0f MiB", Double(p) / 1_048_576) }
            if let cpu = run.cpuSeconds { line += String(format: ", CPU %.2f s user+sys (server included)", cpu) }
            if let fastest, run.client.hasPrefix("Tradewind") { line += String(format: "; %.1f× the fastest Python client", run.barsPerSecond / fastest) }
            if let fastestCPU, let cpu = run.cpuSeconds, cpu > 0, run.client.hasPrefix("Tradewind") {
                line += String(format: ", %.1f× its CPU time", fastestCPU / cpu)
            }
            if let note = run.note { line += " (\(note))" }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
