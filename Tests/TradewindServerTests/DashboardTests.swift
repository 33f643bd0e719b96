import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TradewindCharts
@testable import TradewindServer

@Suite("Web dashboard and its routes")
struct DashboardTests {
    /// The `/assets/…` files a text references: `href`/`src` attributes and module imports (relative to `base`).
    static func references(in text: String, base: String) -> [String] {
        var found: [String] = []
        let patterns = [#"(?:href|src)="(/assets/[^"]+)""#, #"from\s+'(\.{1,2}/[^']+)'"#, #"import\s+'(\.{1,2}/[^']+)'"#]
        for pattern in patterns {
            let re = try! NSRegularExpression(pattern: pattern)
            for m in re.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                guard let r = Range(m.range(at: 1), in: text) else { continue }
                let ref = String(text[r])
                if ref.hasPrefix("/") { found.append(ref); continue }
                // Resolve ./ and ../ against the referencing file's folder.
                var parts = base.split(separator: "/").map(String.init).dropLast()
                for piece in ref.split(separator: "/") {
                    if piece == ".." { _ = parts.popLast() } else if piece != "." { parts.append(String(piece)) }
                }
                found.append("/" + parts.joined(separator: "/"))
            }
        }
        return found
    }

    @Test func everyViewURLServesThePageAndEveryReferencedAssetExistsWithItsContentType() async throws {
        let server = try await TestServer.make()
        try await server.application().test(.router) { client in
            let page = try await client.send(.get, "/")
            #expect(page.status == .ok)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            #expect(page.headers[.contentSecurityPolicy]?.contains("default-src 'self'") == true)
            #expect(page.text.contains(#"<script type="module" src="/assets/js/app.js">"#))
            for view in ["/console", "/history", "/results/12", "/logs", "/logs/3", "/journal", "/strategies", "/status", "/login"] {
                let r = try await client.send(.get, view)
                #expect(r.status == .ok, "\(view)")
                #expect(r.text == page.text, "\(view) is not the dashboard page")
            }
            // Walk every reference from the page, then from each script and style sheet it loads.
            var queue = Self.references(in: page.text, base: "/index.html")
            var seen: Set<String> = []
            var firstLoad = page.text.utf8.count
            while let path = queue.popLast() {
                guard seen.insert(path).inserted else { continue }
                let r = try await client.send(.get, path)
                #expect(r.status == .ok, "\(path) is referenced but not served")
                let expected = path.hasSuffix(".js") ? "text/javascript; charset=utf-8"
                    : path.hasSuffix(".css") ? "text/css; charset=utf-8" : path.hasSuffix(".svg") ? "image/svg+xml" : "?"
                #expect(r.headers[.contentType] == expected, "\(path): \(r.headers[.contentType] ?? "no content type")")
                #expect(r.headers[.xContentTypeOptions] == "nosniff")
                firstLoad += r.text.utf8.count
                if path.hasSuffix(".js") || path.hasSuffix(".css") { queue += Self.references(in: r.text, base: path) }
            }
            #expect(seen.contains("/assets/js/views/console.js") && seen.contains("/assets/js/views/status.js"))
            #expect(seen.count >= 15)
            // The issue's budget for the console's first load (uncompressed here, so a bound on what is transferred).
            #expect(firstLoad < 200 * 1024)
            // The charts' hover script is TradewindCharts' own.
            #expect(try await client.send(.get, "/assets/charts.js").text == ChartScript.javascript)
            // A HEAD has the headers and no body; unknown files and unknown paths stay 404s (JSON for the API).
            let head = try await client.send(.head, "/assets/app.css")
            #expect(head.status == .ok && head.text.isEmpty && head.headers[.contentLength] != "0")
            #expect(try await client.send(.get, "/assets/nope.js").status == .notFound)
            #expect(try await client.send(.get, "/nope").status == .notFound)
            #expect(try await client.send(.get, "/api/nope").json["error"] as? String != nil)
            // POST to a view's URL is not the dashboard's.
            #expect(try await client.send(.post, "/history").status != .ok)
        }
    }

    @Test func theDashboardLoadsWithoutATokenWhileTheAPIWantsOne() async throws {
        let server = try await TestServer.make()
        _ = try await server.credentials.addUser(name: "ada", password: "correct horse")
        try await server.application().test(.router) { client in
            let page = try await client.send(.get, "/history")
            #expect(page.status == .ok)
            #expect(try await client.send(.get, "/assets/js/app.js").status == .ok)
            #expect(try await client.send(.get, "/api/catalog").status == .unauthorized)
            // The page learns that it must show its login from the public health check, not from a refusal.
            #expect(try await client.send(.get, "/api/health").json["auth_required"] as? Bool == true)
        }
    }

    @Test func theCatalogDeclaresStrategiesWithBoundsDataSourcesAndChoices() async throws {
        let server = try await TestServer.make()
        try FileManager.default.createDirectory(atPath: server.state.configuration.home + "/data/mine", withIntermediateDirectories: true)
        try await server.application().test(.router) { client in
            let health = try await client.send(.get, "/api/health")
            #expect(health.json["auth_required"] as? Bool == false)
            // The dashboard shows times in the exchange's zone, whatever zone the responses are written in.
            #expect(health.json["exchange_zone"] as? String == "America/New_York")
            let c = try await client.send(.get, "/api/catalog")
            #expect(c.status == .ok)
            let strategies = try #require(c.json["strategies"] as? [[String: Any]])
            let sma = try #require(strategies.first { $0["name"] as? String == "sma-cross" })
            let fast = try #require((sma["parameters"] as? [[String: Any]])?.first { $0["name"] as? String == "fast" })
            #expect(fast["type"] as? String == "int")
            #expect(fast["min"] is Double && fast["max"] is Double)
            #expect((fast["min"] as? Double ?? 0) <= Double(fast["default"] as? String ?? "") ?? -1)
            let data = try #require(c.json["data"] as? [[String: Any]])
            let spy = try #require(data.first { $0["spec"] as? String == "sample:spy-daily" })
            #expect(spy["symbols"] as? [String] == ["SPY"])
            #expect(data.contains { $0["spec"] as? String == "data/mine" && $0["kind"] as? String == "imported" })
            #expect((c.json["methods"] as? [String])?.contains("tpe") == true)
            #expect((c.json["objectives"] as? [String])?.contains("sharpe") == true)
            #expect(c.json["fills"] as? [String] == ["next-open", "close"])
        }
    }

    @Test func aResultHasItsChartsAndCanBeDeletedAlone() async throws {
        let server = try await TestServer.make()
        try await server.application().test(.router) { client in
            _ = try await client.send(.post, "/api/backtest", body: #"{"strategy":"sma-cross","data":"sample:spy-daily","params":{"fast":10,"slow":30}}"#)
            _ = try await client.send(.post, "/api/backtest", body: #"{"strategy":"sma-cross","data":"sample:spy-daily"}"#)
            let items = try #require(try await client.send(.get, "/api/history?sort=date&order=asc").json["items"] as? [[String: Any]])
            let id = try #require(items.first?["id"] as? Int)
            let charts = try await client.send(.get, "/api/history/\(id)/charts")
            #expect(charts.status == .ok)
            for key in ["equity", "drawdown", "prices"] {
                #expect((charts.json[key] as? String)?.contains("<svg") == true, "\(key)")
            }
            #expect((charts.json["equity"] as? String)?.contains("Buy") == true || (charts.json["equity"] as? String)?.contains("SPY") == true)
            #expect(charts.json["heatmap"] == nil)  // a backtest has no searched parameters
            #expect(try await client.send(.get, "/api/history/999/charts").status == .notFound)

            #expect(try await client.send(.delete, "/api/history/\(id)").json["deleted"] as? Int == 1)
            #expect(try await client.send(.delete, "/api/history/\(id)").status == .notFound)
            #expect(try await client.send(.get, "/api/history/count").json["count"] as? Int == 1)
        }
    }

    @Test func theJournalsMonthlyPnLIsATradewindChartsBarChart() async throws {
        let server = try await TestServer.make()
        try await server.application().test(.router) { client in
            let empty = try await client.send(.get, "/api/trades/analytics/chart")
            #expect(empty.status == .ok)
            #expect(empty.json["svg"] is NSNull)
            let opened = try await client.send(.post, "/api/trades", body: """
                {"symbol":"SPY","side":"long","quantity":10,"entry_price":400,"entry_time":"2024-03-04T15:00:00-05:00"}
                """)
            let id = try #require(opened.json["id"] as? Int)
            _ = try await client.send(.post, "/api/trades/close", body: #"{"id":\#(id),"exit_price":410,"exit_time":"2024-03-08T15:00:00-05:00"}"#)
            let svg = try #require(try await client.send(.get, "/api/trades/analytics/chart").json["svg"] as? String)
            #expect(svg.hasPrefix("<svg") && svg.contains("Journal P&amp;L by month") && svg.contains("2024-03"))
        }
    }

    @Test func anOptimizationResultHasTheObjectiveHeatmapOverItsTwoSearchedParameters() async throws {
        let server = try await TestServer.make()
        try await server.application().test(.live) { client in
            let r = try await client.send(.post, "/api/jobs", body: """
                {"kind":"optimize","request":{"strategy":"sma-cross","data":"sample:spy-daily","grids":["fast=5:20:5","slow=30:60:10"],
                 "top":100,"robustness":false}}
                """)
            let job = try #require(r.json["id"] as? Int)
            var status = ""
            for _ in 0..<600 where !["succeeded", "failed", "cancelled"].contains(status) {
                try await Task.sleep(for: .milliseconds(100))
                status = try await client.send(.get, "/api/jobs/\(job)").json["status"] as? String ?? ""
            }
            #expect(status == "succeeded")
            let id = try #require((try await client.send(.get, "/api/history").json["items"] as? [[String: Any]])?.first?["id"] as? Int)
            let heatmap = try #require(try await client.send(.get, "/api/history/\(id)/charts").json["heatmap"] as? String)
            #expect(heatmap.contains("<svg"))
            #expect(heatmap.contains("fast") && heatmap.contains("slow"))
            // Every kept trial is a cell: 4 values of fast × 4 of slow.
            for value in ["5", "10", "15", "20", "30", "40", "50", "60"] { #expect(heatmap.contains(">\(value)<"), "\(value)") }
        }
    }
}
