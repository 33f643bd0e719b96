import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import TradewindCore
import TradewindData
import TradewindStore

/// A worker in `GET /api/workers`.
struct WorkerBody: Encodable, Sendable {
    var name: String
    var host: String
    var threads: Int
    var pid: Int
    /// `idle`, `busy` or `draining`.
    var state: String
    var taskID: Int64?
    var jobID: Int64?
    var symbol: String?
    var tasksDone: Int64
    var startedAt: String
    var heartbeatAt: String
    var heartbeatAgeSeconds: Double

    enum CodingKeys: String, CodingKey {
        case name, host, threads, pid, state, symbol
        case taskID = "task_id", jobID = "job_id", tasksDone = "tasks_done", startedAt = "started_at"
        case heartbeatAt = "heartbeat_at", heartbeatAgeSeconds = "heartbeat_age_seconds"
    }

    init(_ w: WorkerRecord, times: Timestamps) {
        name = w.name
        host = w.host
        threads = w.threads
        pid = w.pid
        state = w.state
        taskID = w.taskID
        jobID = w.jobID
        symbol = w.symbol
        tasksDone = w.tasksDone
        startedAt = times.string(w.startedAt)
        heartbeatAt = times.string(w.heartbeatAt)
        heartbeatAgeSeconds = w.heartbeatAgeSeconds
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(host, forKey: .host)
        try c.encode(threads, forKey: .threads)
        try c.encode(pid, forKey: .pid)
        try c.encode(state, forKey: .state)
        try c.encode(taskID, forKey: .taskID)
        try c.encode(jobID, forKey: .jobID)
        try c.encode(symbol, forKey: .symbol)
        try c.encode(tasksDone, forKey: .tasksDone)
        try c.encode(startedAt, forKey: .startedAt)
        try c.encode(heartbeatAt, forKey: .heartbeatAt)
        try c.encode(heartbeatAgeSeconds, forKey: .heartbeatAgeSeconds)
    }
}

/// `GET /api/workers`: whether jobs are distributed (a PostgreSQL store) and the registered workers, paginated.
struct WorkersBody: Encodable, Sendable {
    var distributed: Bool
    var items: [WorkerBody]
    var total: Int
    var limit: Int
    var offset: Int
}

extension Routes {
    /// The header carrying a served cache file's payload checksum (16 hex digits, `Checksum64`).
    static let checksumHeader = HTTPField.Name("X-Tradewind-Checksum")!

    static func addWorkers(to router: Router<APIContext>, _ state: ServerState) {
        router.get("/api/workers") { request, _ -> Response in
            let page = try Query(request).page()
            guard let queue = state.queue else {
                return try JSON.response(WorkersBody(distributed: false, items: [], total: 0, limit: page.limit, offset: page.offset))
            }
            try await queue.forgetWorkers(silentFor: 86_400)
            let all = try await queue.workers()
            let items = all.dropFirst(page.offset).prefix(page.limit).map { WorkerBody($0, times: state.times) }
            return try JSON.response(WorkersBody(distributed: true, items: Array(items), total: all.count,
                                                 limit: page.limit, offset: page.offset))
        }
        // One symbol of a dataset in the binary cache format (`BarCacheFormat`), for workers without a shared path.
        router.get("/api/data/{dataset}/{symbol}") { request, context -> Response in
            let raw = context.parameters.get("dataset") ?? ""
            let dataset = raw.removingPercentEncoding ?? raw
            let rawSymbol = context.parameters.get("symbol") ?? ""
            let symbol = rawSymbol.removingPercentEncoding ?? rawSymbol
            try MarketLoader.checkServable(dataset)
            guard !symbol.isEmpty, symbol.utf8.count <= 255 else {
                throw APIError.badRequest("symbol \(symbol): expected 1 to 255 bytes", field: "symbol")
            }
            let zone = try MarketLoader.zone(Query(request).string("tz"))
            let loader = state.loader
            let bytes = try await DedicatedThread.run(name: "tw-data-serve") { () throws -> Data in
                let data: MarketDataset
                do {
                    data = try loader.load(dataset, symbols: [symbol], zone: zone, adjust: .raw, threads: .single)
                } catch {
                    throw APIError.notFound("dataset \(dataset): \(error)")
                }
                guard let series = data.series.first(where: { $0.symbol == symbol }) else {
                    throw APIError.notFound("dataset \(dataset) has no symbol \(symbol)")
                }
                let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tw-data-\(UUID().uuidString)")
                try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
                defer { try? FileManager.default.removeItem(at: dir) }
                let path = dir.appendingPathComponent(BarCache.fileName(for: symbol)).path
                try BarCache.write(series, to: path)
                guard let bytes = FileManager.default.contents(atPath: path) else {
                    throw APIError(.internalServerError, "internal", "the cache file was not written")
                }
                return bytes
            }
            return Response(status: .ok,
                            headers: [.contentType: "application/octet-stream",
                                      Self.checksumHeader: DataClient.payloadChecksum(bytes) ?? ""],
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        }
    }
}
