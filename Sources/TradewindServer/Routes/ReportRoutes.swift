import Foundation
import Hummingbird
import TradewindCore
import TradewindReports
import TradewindStore

extension Routes {
    /// `GET /api/reports/{id}.html` and `.pdf`: the HTML report (or its PDF, through headless Chromium) of a stored
    /// result, made by re-running the result's backtest (its `replay` request) with TradewindReports.
    static func addReports(to router: Router<APIContext>, _ state: ServerState) {
        router.get("/api/reports/{file}") { _, context -> Response in
            let file = context.parameters.get("file") ?? ""
            let parts = file.split(separator: ".", maxSplits: 1).map(String.init)
            guard parts.count == 2, let id = Int64(parts[0]), id > 0, parts[1] == "html" || parts[1] == "pdf" else {
                throw APIError.badRequest("file \(file): expected ID.html or ID.pdf with ID a result id", field: "file")
            }
            guard let record = try await state.store.result(id) else { throw APIError.notFound("no result \(id)") }
            guard let replay = try? JSONDecoder().decode(ResultBuilder.Replayable.self, from: Data(record.detail.utf8)).replay else {
                throw APIError(.conflict, "conflict", "result \(id) has no reproducible run (an optimisation without a feasible trial)")
            }
            let pdf = parts[1] == "pdf"
            let loader = state.loader, catalog = state.catalog
            let budget = state.scheduler.budget
            let bytes = try await DedicatedThread.run(name: "tw-report") { () throws -> Data in
                let descriptor = try catalog.named(replay.strategy)
                let parameters = try descriptor.parameters(replay.params)
                let zone = try MarketLoader.zone(replay.tz)
                let data = try loader.load(replay.data, symbols: replay.symbols, zone: zone, adjust: replay.adjust, threads: budget)
                let (config, _) = try descriptor.prepare(try replay.backtest.config(zone: zone), parameters: parameters, data: data)
                let result = try descriptor.run(parameters, data, config)
                let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tw-report-\(UUID().uuidString)")
                try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
                defer { try? FileManager.default.removeItem(at: dir) }
                let path = dir.appendingPathComponent(pdf ? "report.pdf" : "report.html").path
                try BacktestReportAdapter.export(result: result, data: data, report: pdf ? nil : path, summary: nil, pdf: pdf ? path : nil,
                                                 context: .init(strategy: replay.strategy, parameters: parameters,
                                                                dataSource: replay.data, riskFree: replay.riskFree,
                                                                catalog: catalog))
                guard let bytes = FileManager.default.contents(atPath: path) else {
                    throw APIError(.internalServerError, "internal", "the report was not written")
                }
                return bytes
            }
            return Response(status: .ok,
                            headers: [.contentType: pdf ? "application/pdf" : "text/html; charset=utf-8"],
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        }
    }
}
