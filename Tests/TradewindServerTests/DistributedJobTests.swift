import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HummingbirdTesting
import Testing
import TradewindData
@testable import TradewindServer

/// Optimisation jobs sharded into tasks on a real PostgreSQL and computed by real `tradewind worker` processes:
/// results equal a single process's, and a worker killed with -9, a server killed with -9, a PostgreSQL restart or a
/// worker cut off from the database lose nothing and store nothing twice. Short leases keep the tests quick.
@Suite("Distributed jobs on tradewind worker processes", .serialized)
struct DistributedJobTests {
    static let symbols = ["AAPL", "MSFT", "AMD", "AMZN", "BA", "C"]

    /// Every symbol has one result and the job's evaluations are the symbols' sum (nothing counted twice).
    static func expectComplete(_ server: Distributed.Server, job id: Int, symbols: [String]) async throws {
        let job = try await server.finished(id)
        #expect(job["status"] as? String == "succeeded", "\(job)")
        let results = try await server.results(job: id)
        #expect(Set(results.keys) == Set(symbols))
        let perSymbol = (job["symbols"] as? [[String: Any]] ?? []).compactMap { $0["evaluations"] as? Int }
        #expect(perSymbol.count == symbols.count)
        #expect(job["evaluations"] as? Int == perSymbol.reduce(0, +))
        #expect(job["symbols_done"] as? Int == symbols.count)
    }

    @Test func aJobOnThreeWorkersStoresWhatOneProcessStores() async throws {
        let database = Distributed.freshDatabase(try Distributed.baseURL())
        let singleHome = try Distributed.home()
        // Both servers show times in New York's zone: the workers write trade logs in the server's zone, not UTC.
        let single = try await Distributed.Server.start(database: (singleHome as NSString).appendingPathComponent("single.sqlite"),
                                                        home: singleHome, tz: "America/New_York")
        let first = try #require(try await single.json("POST", "/api/jobs", body: Distributed.job(Self.symbols))["id"] as? Int)
        #expect(try await single.finished(first)["status"] as? String == "succeeded")
        let expected = try await single.results(job: first)
        single.child.kill9()
        #expect(expected.count == Self.symbols.count)

        let home = try Distributed.home()
        let server = try await Distributed.Server.start(database: database, home: home, tz: "America/New_York")
        let workers = try (1...3).map { try Distributed.worker("w\($0)", database: database, home: home, lease: 6) }
        try await server.waitForWorkers { $0.count == 3 }
        let id = try #require(try await server.json("POST", "/api/jobs", body: Distributed.job(Self.symbols))["id"] as? Int)
        try await Self.expectComplete(server, job: id, symbols: Self.symbols)
        let got = try await server.results(job: id)
        for symbol in Self.symbols {
            #expect(Distributed.comparable(try #require(got[symbol])) == Distributed.comparable(try #require(expected[symbol])),
                    "\(symbol) differs between 3 workers and one process")
        }
        let entryTimes = got.values.flatMap { result in
            result.values.compactMap { $0 as? [[String: Any]] }.joined().compactMap { $0["entry_time"] as? String }
        }
        #expect(!entryTimes.isEmpty, "no trade log in the results")
        #expect(entryTimes.allSatisfy { $0.hasSuffix("-05:00") || $0.hasSuffix("-04:00") }, "\(entryTimes.prefix(3))")
        let listed = try await server.json("GET", "/api/workers")
        #expect(listed["distributed"] as? Bool == true)
        let done = (listed["items"] as? [[String: Any]] ?? []).compactMap { $0["tasks_done"] as? Int }
        #expect(done.reduce(0, +) == Self.symbols.count)
        // SIGTERM drains: each worker exits by itself and signs off.
        for w in workers { #expect(await w.terminate(within: 15), "\(w.output)") }
        try await server.waitForWorkers(within: 10) { $0.isEmpty }
        server.child.kill9()
    }

    @Test func aWorkerKilledMidTaskLosesAndDoublesNothing() async throws {
        let database = Distributed.freshDatabase(try Distributed.baseURL())
        let home = try Distributed.home()
        let server = try await Distributed.Server.start(database: database, home: home)
        let victim = try Distributed.worker("victim", database: database, home: home, lease: 1.5)
        let symbols = Array(Self.symbols.prefix(3))
        let id = try #require(try await server.json("POST", "/api/jobs",
                                                   body: Distributed.job(symbols, fast: "fast=2:20:1", slow: "slow=40:200:10"))["id"] as? Int)
        try await server.waitForWorkers { $0.contains { $0["name"] as? String == "victim" && $0["symbol"] is String } }
        victim.kill9()
        let survivor = try Distributed.worker("survivor", database: database, home: home, lease: 1.5)
        try await Self.expectComplete(server, job: id, symbols: symbols)
        _ = await survivor.terminate(within: 15)
        server.child.kill9()
    }

    @Test func aServerKilledMidJobLosesAndDoublesNothing() async throws {
        let database = Distributed.freshDatabase(try Distributed.baseURL())
        let home = try Distributed.home()
        let first = try await Distributed.Server.start(database: database, home: home)
        let workers = try (1...2).map { try Distributed.worker("k\($0)", database: database, home: home) }
        let id = try #require(try await first.json("POST", "/api/jobs",
                                                  body: Distributed.job(Self.symbols, fast: "fast=2:20:2", slow: "slow=40:200:10"))["id"] as? Int)
        for _ in 0..<600 {
            if try await first.json("GET", "/api/jobs/\(id)")["symbols_done"] as? Int ?? 0 >= 1 { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        first.child.kill9()
        // The workers go on without the server; a new server picks the job up where the queue stands.
        try await Task.sleep(for: .milliseconds(500))
        let second = try await Distributed.Server.start(database: database, home: home)
        try await Self.expectComplete(second, job: id, symbols: Self.symbols)
        for w in workers { _ = await w.terminate(within: 15) }
        second.child.kill9()
    }

    @Test func aPostgreSQLRestartMidJobLosesAndDoublesNothing() async throws {
        let postgres = try PrivatePostgres()
        defer { postgres.stop() }
        let database = Distributed.freshDatabase(postgres.url)
        let home = try Distributed.home()
        let server = try await Distributed.Server.start(database: database, home: home)
        let workers = try (1...2).map { try Distributed.worker("r\($0)", database: database, home: home, lease: 3) }
        let id = try #require(try await server.json("POST", "/api/jobs",
                                                   body: Distributed.job(Self.symbols, fast: "fast=2:20:2", slow: "slow=40:200:10"))["id"] as? Int)
        for _ in 0..<600 {
            if try await server.json("GET", "/api/jobs/\(id)")["symbols_done"] as? Int ?? 0 >= 1 { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        try postgres.restart()
        try await Self.expectComplete(server, job: id, symbols: Self.symbols)
        for w in workers { _ = await w.terminate(within: 15) }
        server.child.kill9()
    }

    @Test func aWorkerCutOffFromTheDatabaseGivesUpItsLeaseAndTheTaskIsRedoneElsewhere() async throws {
        let base = try Distributed.baseURL()
        let database = Distributed.freshDatabase(base)
        let upstream = try #require(URLComponents(string: base)?.port)
        let proxy = try PartitionProxy(upstreamPort: upstream)
        defer { proxy.stop() }
        var proxied = try #require(URLComponents(string: database))
        proxied.port = proxy.port
        let home = try Distributed.home()
        let server = try await Distributed.Server.start(database: database, home: home)
        let cut = try Distributed.worker("cut", database: try #require(proxied.string), home: home, lease: 1.5)
        let symbols = ["AAPL"]
        let id = try #require(try await server.json("POST", "/api/jobs",
                                                   body: Distributed.job(symbols, fast: "fast=2:30:1", slow: "slow=40:200:5"))["id"] as? Int)
        try await server.waitForWorkers { $0.contains { $0["name"] as? String == "cut" && $0["symbol"] is String } }
        proxy.cut()
        let other = try Distributed.worker("other", database: database, home: home, lease: 1.5)
        try await Self.expectComplete(server, job: id, symbols: symbols)
        try await server.waitForWorkers { $0.contains { $0["name"] as? String == "other" && $0["tasks_done"] as? Int == 1 } }
        // The cut-off worker stopped computing once its lease had run out unrenewed.
        let deadline = Date().addingTimeInterval(20)
        while !cut.output.contains("giving the task up") && Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
        #expect(cut.output.contains("cut off from the database for a whole lease: giving the task up"), "\(cut.output)")
        cut.kill9()
        _ = await other.terminate(within: 15)
        server.child.kill9()
    }

    @Test func theWebSocketAggregatesProgressAcrossWorkers() async throws {
        let database = Distributed.freshDatabase(try Distributed.baseURL())
        let server = try await TestServer.make { $0.database = database }
        let home = try Distributed.home()
        let workers = try (1...2).map { try Distributed.worker("ws\($0)", database: database, home: home, lease: 6) }
        let symbols = ["AAPL", "MSFT", "AMD", "AMZN"]
        try await server.application().test(.live) { client in
            let messages = try await LiveProgressTests.messages(
                of: Distributed.job(symbols, fast: "fast=2:20:2", slow: "slow=40:200:10"), client: client)
            #expect(messages.last?.0 == "job.finished")
            #expect(messages.filter { $0.0 == "result.stored" }.count == symbols.count)
            let progress = messages.filter { $0.0 == "job.progress" }.map(\.1)
            #expect(progress.allSatisfy { $0["symbols_total"] as? Int == symbols.count })
            #expect(progress.compactMap { $0["fraction"] as? Double }.max() == 1)
            let computing = progress.flatMap { ($0["workers"] as? [[String: Any]]) ?? [] }
            #expect(Set(computing.compactMap { $0["worker"] as? String }).isSubset(of: ["ws1", "ws2"]))
            #expect(!computing.isEmpty, "no progress message named a worker")
            #expect(progress.contains { $0["eta_seconds"] is Double })
            #expect(progress.contains { ($0["evaluations_per_second"] as? Double ?? 0) > 0 })
            let listed = try await client.send(.get, "/api/workers")
            #expect(listed.json["distributed"] as? Bool == true)
            #expect(Set((listed.json["items"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }) == ["ws1", "ws2"])
        }
        for w in workers { _ = await w.terminate(within: 15) }
    }

    /// A name is one worker's: a second live worker under it is refused (two would renew each other's leases), and a
    /// holder killed on this machine frees it at once.
    @Test func aWorkerNameIsOneLiveWorkers() async throws {
        let database = Distributed.freshDatabase(try Distributed.baseURL())
        let home = try Distributed.home()
        let server = try await Distributed.Server.start(database: database, home: home)
        defer { server.child.kill9() }
        let first = try Distributed.worker("twin", database: database, home: home, lease: 30)
        let firstPID = Int(first.process.processIdentifier)
        try await server.waitForWorkers { $0.contains { $0["name"] as? String == "twin" && $0["pid"] as? Int == firstPID } }

        try FileManager.default.createDirectory(atPath: home + "/second", withIntermediateDirectories: true)
        let second = try Distributed.worker("twin", database: database, home: home + "/second", lease: 30)
        let deadline = Date().addingTimeInterval(30)
        while second.process.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!second.process.isRunning, "the second worker named twin kept running")
        #expect(second.process.terminationStatus != 0)
        #expect(second.output.contains("a worker named twin is already running"), "\(second.output)")
        try await server.waitForWorkers { $0.contains { $0["name"] as? String == "twin" && $0["pid"] as? Int == firstPID } }

        first.kill9()  // its heartbeat is fresh and its lease long, but its process is gone from this machine
        let third = try Distributed.worker("twin", database: database, home: home, lease: 30)
        let thirdPID = Int(third.process.processIdentifier)
        try await server.waitForWorkers(within: 20) { $0.contains { $0["name"] as? String == "twin" && $0["pid"] as? Int == thirdPID } }
        #expect(third.process.isRunning)
        _ = await third.terminate(within: 15)
    }

    @Test func theDataRouteServesTheCacheFormatAndWorkersCacheAndVerifyIt() async throws {
        let home = try Distributed.home()
        let server = try await Distributed.Server.start(database: (home as NSString).appendingPathComponent("data.sqlite"), home: home)
        defer { server.child.kill9() }
        let cache = (home as NSString).appendingPathComponent("cache")
        let client = DataClient(server: URL(string: "http://127.0.0.1:\(server.port)")!, token: nil, directory: cache)
        let fetched = try await client.load("sample:sp500-50", symbols: ["AAPL", "MSFT"], tz: nil)
        let local = try MarketLoader(home: home).load("sample:sp500-50", symbols: ["AAPL", "MSFT"], zone: .newYork,
                                                       adjust: .raw, threads: .single)
        #expect(fetched.series.map(\.symbol) == ["AAPL", "MSFT"])
        #expect(fetched.series == local.series)
        // A damaged cache file is noticed and fetched again.
        let folder = (cache as NSString).appendingPathComponent(DataClient.folderName(dataset: "sample:sp500-50", tz: nil))
        let path = (folder as NSString).appendingPathComponent(BarCache.fileName(for: "AAPL"))
        var bytes = try #require(FileManager.default.contents(atPath: path))
        bytes[bytes.count - 9] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: path))
        #expect(throws: (any Error).self) { try BarCache.read(path: path, verify: true) }
        let again = try await client.series("sample:sp500-50", symbol: "AAPL", tz: nil)
        #expect(again == local.series[0])
        #expect((try? BarCache.read(path: path, verify: true)) != nil)
        // Only bundled samples and paths under the server's home are served.
        for bad in ["%2Fetc%2Fpasswd/AAPL", "..%2Fsecret/AAPL"] {
            var r = URLRequest(url: URL(string: "http://127.0.0.1:\(server.port)/api/data/\(bad)")!)
            r.httpMethod = "GET"
            let (_, response) = try await URLSession.shared.data(for: r)
            #expect((response as? HTTPURLResponse)?.statusCode == 400, "\(bad)")
        }
        let (_, missing) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(server.port)/api/data/sample%3Asp500-50/NOPE")!)
        #expect((missing as? HTTPURLResponse)?.statusCode == 404)
    }
}
