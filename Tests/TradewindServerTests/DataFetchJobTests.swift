import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import TradewindCore
import TradewindData
@testable import TradewindServer

@Suite("Data-fetch jobs: POST /api/jobs with kind data_fetch")
struct DataFetchJobTests {
    /// A loopback Alpaca data host (`/v2/stocks/{symbol}/bars`, the documented page shape): one daily bar per weekday
    /// of [start, end] at New York midnight, once `hold(symbol)` returns; the symbols it serves are logged.
    static func fakeAlpaca(hold: @escaping @Sendable (String) async -> Void = { _ in },
                           _ body: @escaping @Sendable (String, ServedSymbols) async throws -> Void) async throws {
        let served = ServedSymbols()
        let router = Router()
        router.get("/v2/stocks/{symbol}/bars") { request, context -> Response in
            let symbol = context.parameters.get("symbol") ?? ""
            await served.add(symbol)
            await hold(symbol)
            let q = request.uri.queryParameters
            guard let start = q["start"].flatMap({ CivilDate(iso: String($0.prefix(10))) }),
                  let end = q["end"].flatMap({ CivilDate(iso: String($0.prefix(10))) }) else {
                return Response(status: .unprocessableContent, body: .init(byteBuffer: ByteBuffer(string: #"{"message":"bad range"}"#)))
            }
            var bars: [String] = []
            var day = start
            while day <= end {
                if !day.isWeekend {
                    let p = 50 + Double(day.daysSinceEpoch % 20)
                    bars.append(#"{"t":"\#(day)T05:00:00Z","o":\#(p),"h":\#(p + 2),"l":\#(p - 2),"c":\#(p + 1),"v":5000,"n":40,"vw":\#(p)}"#)
                }
                day = day.adding(days: 1)
            }
            let page = #"{"bars":[\#(bars.joined(separator: ","))],"symbol":"\#(symbol)","next_page_token":null}"#
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: page)))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in try await body("http://127.0.0.1:\(client.port!)", served) }
    }

    static func server(home: String, alpaca: String) async throws -> TradewindServer {
        var c = ServerConfiguration(port: 0, home: home, workers: 1)
        c.jobPriority = .normal
        c.bcryptCost = 4
        return try await TradewindServer.make(c, environment: [
            "APCA_API_KEY_ID": "PKJOBFETCH", "APCA_API_SECRET_KEY": "job-fetch-secret", "APCA_API_DATA_URL": alpaca,
        ])
    }

    static func job(_ symbols: [String]) -> String {
        let list = symbols.map { "\"\($0)\"" }.joined(separator: ",")
        return #"{"kind":"data_fetch","request":{"provider":"alpaca","symbols":[\#(list)],"from":"2024-01-02","to":"2024-01-12","interval":"1d","out":"fetched","concurrency":1}}"#
    }

    /// Polls the job until it has ended, or `until` holds.
    static func wait(_ id: Int, _ client: any TestClientProtocol,
                     until: ([String: Any]) -> Bool = { ["succeeded", "failed", "cancelled"].contains($0["status"] as? String ?? "") }) async throws -> [String: Any] {
        var job: [String: Any] = [:]
        for _ in 0..<400 {
            job = try await client.send(.get, "/api/jobs/\(id)").json
            if until(job) { return job }
            try await Task.sleep(for: .milliseconds(25))
        }
        return job
    }

    @Test func aDataFetchJobFillsTheCacheStreamsProgressAndIsListed() async throws {
        try await Self.fakeAlpaca { base, served in
            let home = try TestServer.home()
            let server = try await Self.server(home: home, alpaca: base)
            try await server.application().test(.live) { client in
                let messages = try await LiveProgressTests.messages(of: Self.job(["SPY", "QQQ"]), client: client)
                let progress = messages.filter { $0.0 == "job.progress" }.map(\.1)
                #expect(progress.compactMap { $0["symbols_done"] as? Int } == [1, 2])
                #expect(messages.last?.0 == "job.finished")
                #expect(messages.contains { $0.0 == "job.log" && ($0.1["message"] as? String)?.hasPrefix("QQQ: 9 bars from alpaca") == true })
                let jobs = try await client.send(.get, "/api/jobs").json
                let job = try #require((jobs["items"] as? [[String: Any]])?.first)
                #expect(job["kind"] as? String == "data_fetch" && job["status"] as? String == "succeeded")
                let detail = try await client.send(.get, "/api/jobs/\(job["id"] as? Int ?? 0)").json
                #expect((detail["symbols"] as? [[String: Any]])?.allSatisfy { $0["status"] as? String == "done" } == true)
                // The cache is a Tradewind cache under the home: a backtest's data.
                let data = try DataSource(parsing: home + "/fetched").load()
                #expect(data.symbols.sorted() == ["QQQ", "SPY"] && data.series.allSatisfy { $0.count == 9 })
                #expect(await served.all.sorted() == ["QQQ", "SPY"])
                #expect(!(try await client.send(.get, "/api/jobs/\(job["id"] as? Int ?? 0)/log").text.contains("job-fetch-secret")))
            }
            await server.store.close()
        }
    }

    @Test func badOptionsAreRefusedWithTheCommandLinesMessagesBeforeAnythingIsQueued() async throws {
        let server = try await TestServer.make()
        try await server.application().test(.router) { client in
            func refusal(_ request: String) async throws -> (String?, String) {
                let r = try await client.send(.post, "/api/jobs", body: #"{"kind":"data_fetch","request":\#(request)}"#)
                #expect(r.status == .badRequest)
                return (r.json["field"] as? String, r.json["message"] as? String ?? "")
            }
            let date = try await refusal(#"{"symbols":["SPY"],"from":"2024-13-01","to":"2024-12-31"}"#)
            #expect(date.0 == "request.from" && date.1 == "'2024-13-01' is not a date YYYY-MM-DD")
            let interval = try await refusal(#"{"symbols":["SPY"],"from":"2024-01-02","to":"2024-12-31","interval":"7m"}"#)
            #expect(interval.0 == "request.interval")
            let unconfigured = try await refusal(#"{"provider":"polygon","symbols":["SPY"],"from":"2024-01-02","to":"2024-12-31"}"#)
            #expect(unconfigured.0 == "request.provider" && unconfigured.1.contains("POLYGON_API_KEY"))
            let outside = try await refusal(#"{"provider":"yahoo","symbols":["SPY"],"from":"2024-01-02","to":"2024-01-05","out":"../x"}"#)
            #expect(outside.0 == "request.out")
            let unknown = try await refusal(#"{"symbols":["SPY"],"from":"2024-01-02","to":"2024-01-05","speed":9}"#)
            #expect(unknown.0 == "speed")
            #expect(try await client.send(.get, "/api/jobs").json["total"] as? Int == 0)
        }
        await server.store.close()
    }

    @Test func aJobStoppedByAShutdownResumesAtTheNextStartWithTheSymbolsNotYetDone() async throws {
        let home = try TestServer.home()
        // First server: SPY and QQQ are fetched, then the server stops while IWM's answer is held back (released
        // once that server has stopped).
        let gate = Gate()
        try await Self.fakeAlpaca(hold: { if $0 == "IWM" { await gate.wait() } }) { base, _ in
            do {
                let server = try await Self.server(home: home, alpaca: base)
                try await server.application().test(.live) { client in
                    let id = try #require(try await client.send(.post, "/api/jobs", body: Self.job(["SPY", "QQQ", "IWM", "DIA"])).json["id"] as? Int)
                    let job = try await Self.wait(id, client) { $0["symbols_done"] as? Int == 2 }
                    #expect(job["symbols_done"] as? Int == 2 && job["status"] as? String == "running")
                }
                await server.store.close()
            } catch {
                await gate.open()
                throw error
            }
            await gate.open()
        }
        // Second server on the same home: the job is queued again and fetches IWM and DIA only.
        try await Self.fakeAlpaca { base, served in
            let server = try await Self.server(home: home, alpaca: base)
            try await server.application().test(.live) { client in
                let jobs = try await client.send(.get, "/api/jobs").json
                let id = try #require((jobs["items"] as? [[String: Any]])?.first?["id"] as? Int)
                let job = try await Self.wait(id, client)
                #expect(job["status"] as? String == "succeeded" && job["symbols_done"] as? Int == 4)
                #expect(await served.all == ["IWM", "DIA"])
                let log = try await client.send(.get, "/api/jobs/\(id)/log?limit=100").text
                #expect(log.contains("stopped by shutdown") && log.contains("resumed (2 of 4 symbols done)"))
            }
            await server.store.close()
        }
    }
}

/// The symbols a fake provider was asked for, in order.
actor ServedSymbols {
    private(set) var all: [String] = []
    func add(_ symbol: String) { all.append(symbol) }
}

/// Holds callers until opened.
actor Gate {
    private var opened = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func wait() async {
        if opened { return }
        await withCheckedContinuation { waiters.append($0) }
    }

    func open() {
        opened = true
        for w in waiters { w.resume() }
        waiters.removeAll()
    }
}
