import Foundation
import Hummingbird
import NIOCore
import TradewindCore
import TradewindStore

/// The routes, one `add…` per area (`Routes/`). Every handler answers JSON; errors become `{error, message, field}`.
enum Routes {
    struct Health: Encodable {
        var status: String
        var version: String
        var uptimeSeconds: Double
        var database: DatabaseHealth
        var queue: QueueHealth
        var process: ProcessHealth
        /// Whether the API needs a token (users exist): the dashboard shows its login without a refused request.
        var authRequired: Bool
        /// The exchange's zone (IANA): requests' naive times and sessions default to it (the NYSE's, New York); the
        /// dashboard shows times in it.
        var exchangeZone: String
        enum CodingKeys: String, CodingKey {
            case status, version, database, queue, process
            case uptimeSeconds = "uptime_seconds", authRequired = "auth_required", exchangeZone = "exchange_zone"
        }
    }

    struct DatabaseHealth: Encodable {
        var backend: String
        var reachable: Bool
    }

    struct QueueHealth: Encodable {
        var queued: Int
        var running: Int
        var workers: Int
        var websocketClients: Int
        enum CodingKeys: String, CodingKey {
            case queued, running, workers
            case websocketClients = "websocket_clients"
        }
    }

    struct ProcessHealth: Encodable {
        var cpuSeconds: Double
        var residentMemoryBytes: Int
        var cores: Int
        enum CodingKeys: String, CodingKey {
            case cores
            case cpuSeconds = "cpu_seconds", residentMemoryBytes = "resident_memory_bytes"
        }
    }

    static func addSystem(to router: Router<APIContext>, _ state: ServerState) {
        router.get("/api/health") { _, _ -> Response in
            let reachable = await state.store.ping()
            let counts = (try? await state.store.jobCounts()) ?? [:]
            let process = ProcessFigures.read()
            let uptime = JobScheduler.seconds(ContinuousClock.now - state.started)
            return try JSON.response(Health(
                status: reachable ? "ok" : "degraded", version: TradewindRelease.version, uptimeSeconds: uptime,
                database: DatabaseHealth(backend: state.store.backend, reachable: reachable),
                queue: QueueHealth(queued: counts[.queued] ?? 0, running: counts[.running] ?? 0,
                                   workers: state.configuration.workers, websocketClients: state.hub.clientCount),
                process: ProcessHealth(cpuSeconds: process.cpuSeconds, residentMemoryBytes: process.residentBytes,
                                       cores: KernelThreads.cores),
                authRequired: await state.credentials.authenticationRequired(), exchangeZone: try MarketLoader.zone(nil).identifier),
                status: reachable ? .ok : .serviceUnavailable)
        }
        router.get("/api/openapi.json") { _, _ -> Response in
            JSON.response(OpenAPIDocument.text)
        }
        router.get("/metrics") { _, _ -> Response in
            let counts = (try? await state.store.jobCounts()) ?? [:]
            let text = state.metrics.exposition(jobs: counts) + TradingMetrics.exposition(await state.bots.list())
                + state.scheduler.training.exposition()
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }
    }

    // MARK: auth

    struct RefreshBody: Decodable {
        var refreshToken: String
        enum CodingKeys: String, CodingKey { case refreshToken = "refresh_token" }
        init(from decoder: any Decoder) throws {
            try rejectUnknownKeys(decoder, allowed: ["refresh_token"])
            refreshToken = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .refreshToken)
        }
    }

    static func addAuth(to router: Router<APIContext>, _ state: ServerState) {
        router.post("/api/auth/login") { request, context -> Response in
            let address = context.remoteAddress
            if let wait = try await state.limiter.retryAfter(address) {
                var response = JSON.response(APIError(.tooManyRequests, "too_many_requests",
                                                      "too many failed logins from \(address); try again in \(wait) s").body,
                                             status: .tooManyRequests)
                response.headers[.retryAfter] = String(wait)
                return response
            }
            guard let (name, password) = Self.basic(request.headers[.authorization]) else {
                throw APIError.unauthorized("send the user and password as HTTP Basic authentication (Authorization: Basic …)")
            }
            guard await state.credentials.verify(name: name, password: password) else {
                try await state.limiter.failed(address)
                throw APIError.unauthorized("wrong user or password")
            }
            try await state.limiter.succeeded(address)
            return try JSON.response(try await state.credentials.issue(for: name))
        }
        router.post("/api/auth/refresh") { request, _ -> Response in
            let body = try await JSON.decode(RefreshBody.self, from: request)
            return try JSON.response(try await state.credentials.refresh(body.refreshToken))
        }
    }

    /// The user and password of a Basic authorization header.
    static func basic(_ header: String?) -> (String, String)? {
        guard let header, header.lowercased().hasPrefix("basic "),
              let data = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
              let text = String(data: data, encoding: .utf8), let colon = text.firstIndex(of: ":")
        else { return nil }
        return (String(text[..<colon]), String(text[text.index(after: colon)...]))
    }

    // MARK: history

    static func addHistory(to router: Router<APIContext>, _ state: ServerState) {
        router.get("/api/history") { request, _ -> Response in
            let q = Query(request)
            let filter = HistoryFilter(symbol: q.string("symbol"), strategy: q.string("strategy"))
            let page = try await state.store.history(filter, sort: try q.choice("sort", default: HistorySort.date),
                                                      order: try q.choice("order", default: SortOrder.desc), page: try q.page())
            return JSON.response(HistoryJSON.page(page, times: state.times))
        }
        router.get("/api/history/count") { request, _ -> Response in
            let q = Query(request)
            let n = try await state.store.historyCount(HistoryFilter(symbol: q.string("symbol"), strategy: q.string("strategy")))
            return JSON.response(#"{"count":\#(n)}"#)
        }
        router.get("/api/history/{id}") { _, context -> Response in
            let id = try pathID(context)
            guard let r = try await state.store.result(id) else { throw APIError.notFound("no result \(id)") }
            // The stored detail and trade log are JSON already: spliced in, not re-encoded.
            var body = ByteBufferAllocator().buffer(capacity: 512 + r.detail.utf8.count + r.trades.utf8.count)
            HistoryJSON.item(r.summary, times: state.times, into: &body)
            body.moveWriterIndex(to: body.writerIndex - 1)  // the item's closing brace: the detail and log follow
            body.writeStaticString(#","detail":"#)
            body.writeString(r.detail)
            body.writeStaticString(#","trade_log":"#)
            body.writeString(r.trades)
            body.writeStaticString("}")
            return JSON.response(body)
        }
        router.delete("/api/history/{id}") { _, context -> Response in
            let id = try pathID(context)
            guard try await state.store.deleteResult(id) else { throw APIError.notFound("no result \(id)") }
            return JSON.response(#"{"deleted":1}"#)
        }
        router.delete("/api/history") { request, _ -> Response in
            let q = Query(request)
            let n = try await state.store.deleteHistory(HistoryFilter(symbol: q.string("symbol"), strategy: q.string("strategy")))
            return JSON.response(#"{"deleted":\#(n)}"#)
        }
    }
}
