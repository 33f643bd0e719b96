import Foundation
import Hummingbird
import TradewindCharts
import TradewindCore
import TradewindOptimizer
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
            let replay = try ResultReplay.request(of: record)
            let pdf = parts[1] == "pdf"
            let loader = state.loader, catalog = state.catalog
            let budget = state.scheduler.budget
            let bytes = try await DedicatedThread.run(name: "tw-report") { () throws -> Data in
                let run = try ResultReplay.run(replay, loader: loader, catalog: catalog, threads: budget)
                let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tw-report-\(UUID().uuidString)")
                try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
                defer { try? FileManager.default.removeItem(at: dir) }
                let path = dir.appendingPathComponent(pdf ? "report.pdf" : "report.html").path
                try BacktestReportAdapter.export(result: run.result, data: run.data, report: pdf ? nil : path, summary: nil,
                                                 pdf: pdf ? path : nil, context: run.context)
                guard let bytes = FileManager.default.contents(atPath: path) else {
                    throw APIError(.internalServerError, "internal", "the report was not written")
                }
                return bytes
            }
            var headers: HTTPFields = [.contentType: pdf ? "application/pdf" : "text/html; charset=utf-8"]
            headers[.contentDisposition] = "inline; filename=\"tradewind-result-\(id).\(parts[1])\""
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        router.get("/api/history/{id}/charts") { _, context -> Response in
            let id = try pathID(context)
            guard let record = try await state.store.result(id) else { throw APIError.notFound("no result \(id)") }
            let replay = try ResultReplay.request(of: record)
            let loader = state.loader, catalog = state.catalog
            let budget = state.scheduler.budget
            let detail = record.detail
            let objective = record.summary.objectiveName ?? "objective"
            let body = try await DedicatedThread.run(name: "tw-charts") { () throws -> ResultCharts in
                let run = try ResultReplay.run(replay, loader: loader, catalog: catalog, threads: budget)
                let input = try BacktestReportAdapter.input(result: run.result, data: run.data, context: run.context)
                let sections = BacktestReport.chartSections(input, idPrefix: "r\(id)-")
                return ResultCharts(equity: sections["equity"] ?? "", drawdown: sections["drawdown"] ?? "",
                                    prices: sections["prices"] ?? "", heatmap: ObjectiveHeatmap.svg(detail: detail, objective: objective, id: id))
            }
            return try JSON.response(body)
        }
    }

    /// `GET /api/history/{id}/charts`: the result's charts as HTML with inline SVG (TradewindCharts, as in its report).
    struct ResultCharts: Encodable {
        var equity: String
        var drawdown: String
        var prices: String
        /// The objective over the first two searched parameters, from the kept trials (nil: not an optimisation over
        /// two or more parameters).
        var heatmap: String?
    }
}

/// The objective heatmap of an optimisation result over its first two searched parameters, from the trials it kept
/// (`top`): each cell is the best objective at that pair of values.
enum ObjectiveHeatmap {
    struct Detail: Decodable {
        var optimization: SymbolOptimization?
    }

    /// `objective` is the result's objective name, `-name` when it was minimised (low values are then green).
    static func svg(detail: String, objective: String, id: Int64) -> String? {
        guard let o = try? JSONDecoder().decode(Detail.self, from: Data(detail.utf8)).optimization,
              o.searchedParameters.count >= 2 else { return nil }
        let (xName, yName) = (o.searchedParameters[0], o.searchedParameters[1])
        let minimised = objective.hasPrefix("-")
        var cells: [String: [String: Double]] = [:]
        for t in o.top {
            guard let x = t.params[xName], let y = t.params[yName], let v = t.objective, v.isFinite else { continue }
            let kept = cells[y]?[x]
            cells[y, default: [:]][x] = kept.map { minimised ? min($0, v) : max($0, v) } ?? v
        }
        guard !cells.isEmpty else { return nil }
        func ordered(_ values: Set<String>) -> [String] {
            values.sorted { a, b in
                if let da = Double(a), let db = Double(b) { return da < db }
                return a < b
            }
        }
        let xs = ordered(Set(cells.values.flatMap(\.keys)))
        let ys = ordered(Set(cells.keys))
        let name = minimised ? String(objective.dropFirst()) : objective
        var chart = HeatmapChart(title: "\(name) over \(xName) × \(yName) (kept trials)",
                                 id: "r\(id)-objective-heatmap", rowLabels: ys, columnLabels: xs,
                                 values: ys.map { y in xs.map { x in cells[y]?[x] } })
        chart.rowTitle = yName
        chart.columnTitle = xName
        chart.higherIsBetter = !minimised
        return chart.svg()
    }
}
