import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TradewindStore
@testable import TradewindServer

@Suite("Server routes")
struct ServerRouteTests {
    @Test func healthSaysStatusVersionDatabaseAndQueue() async throws {
        let server = try await TestServer.make()
        try await server.application().test(.router) { client in
            let r = try await client.send(.get, "/api/health")
            #expect(r.status == .ok)
            #expect(r.json["status"] as? String == "ok")
            #expect((r.json["database"] as? [String: Any])?["reachable"] as? Bool == true)
            #expect((r.json["queue"] as? [String: Any])?["workers"] as? Int == 2)
            #expect((r.json["process"] as? [String: Any])?["resident_memory_bytes"] as? Int ?? 0 > 0)
        }
    }

    @Test func badInputGetsA4xxWithAJSONErrorNamingTheField() async throws {
        let server = try await TestServer.make()
        try await server.application().test(.router) { client in
            let unknownRoute = try await client.send(.get, "/api/nothing-here")
            #expect(unknownRoute.status == .notFound)
            #expect(unknownRoute.json["error"] as? String == "not_found")
            #expect(unknownRoute.json.keys.contains("field"))

            let malformed = try await client.send(.post, "/api/backtest", body: "{not json")
            #expect(malformed.status == .badRequest)
            #expect((malformed.json["message"] as? String)?.contains("malformed JSON") == true)

            let unknownField = try await client.send(.post, "/api/backtest",
                                                     body: #"{"strategy":"sma-cross","data":"sample:spy-daily","colour":1}"#)
            #expect(unknownField.status == .badRequest)
            #expect(unknownField.json["field"] as? String == "colour")

            let mistyped = try await client.send(.post, "/api/backtest", body: #"{"strategy":3,"data":"sample:spy-daily"}"#)
            #expect(mistyped.status == .badRequest)
            #expect(mistyped.json["field"] as? String == "strategy")

            let outOfRange = try await client.send(.get, "/api/history?limit=0")
            #expect(outOfRange.status == .badRequest)
            #expect(outOfRange.json["field"] as? String == "limit")

            let badSort = try await client.send(.get, "/api/history?sort=colour")
            #expect(badSort.json["field"] as? String == "sort")

            let big = String(repeating: " ", count: (1 << 20) + 10)
            let tooLarge = try await client.send(.post, "/api/backtest", body: big)
            #expect(tooLarge.status == .contentTooLarge)
            #expect(tooLarge.json["error"] as? String == "payload_too_large")

            let badSetting = try await client.send(.post, "/api/backtest",
                                                   body: #"{"strategy":"sma-cross","data":"sample:spy-daily","backtest":{"commission":-1}}"#)
            #expect(badSetting.status == .badRequest)
            #expect(badSetting.json["field"] as? String == "backtest.commission")
        }
    }

    @Test func aSynchronousBacktestReturnsMetricsTradesAndEquityAndIsStored() async throws {
        let server = try await TestServer.make()
        try await server.application().test(.router) { client in
            let r = try await client.send(.post, "/api/backtest", body: """
                {"strategy":"sma-cross","data":"sample:spy-daily","params":{"fast":10,"slow":30},"equity_points":10}
                """)
            #expect(r.status == .ok)
            let summary = try #require(r.json["summary"] as? [String: Any])
            #expect(summary["strategy"] as? String == "sma-cross")
            #expect(summary["trades"] as? Int ?? 0 > 0)
            let trades = try #require(r.json["trades"] as? [[String: Any]])
            #expect(trades.count >= summary["trades"] as? Int ?? 0)
            #expect((trades.first?["entry_time"] as? String)?.hasSuffix("+00:00") == true)
            #expect((r.json["equity"] as? [Any])?.count ?? 0 >= 10)

            let history = try await client.send(.get, "/api/history")
            #expect(history.json["total"] as? Int == 1)
            let sessions = try await client.send(.get, "/api/sessions")
            #expect(((sessions.json["items"] as? [[String: Any]])?.first?["market_condition"] as? String) != nil)
        }
    }

    @Test func aStoredResultHasAnHTMLAndAPDFReport() async throws {
        let server = try await TestServer.make()
        try await server.application().test(.router) { client in
            _ = try await client.send(.post, "/api/backtest", body: #"{"strategy":"sma-cross","data":"sample:spy-daily"}"#)
            let id = try #require((try await client.send(.get, "/api/history").json["items"] as? [[String: Any]])?.first?["id"] as? Int)
            let report = try await client.send(.get, "/api/reports/\(id).html")
            #expect(report.status == .ok)
            #expect(report.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(report.text.contains("<svg"))
            // The PDF is the same report printed by headless Chromium (installed by .ci/run): a real PDF document with pages.
            let pdf = try await client.send(.get, "/api/reports/\(id).pdf")
            #expect(pdf.status == .ok, "\(pdf.text.prefix(300))")
            #expect(pdf.headers[.contentType] == "application/pdf")
            #expect(pdf.text.hasPrefix("%PDF-"))
            #expect(pdf.text.contains("/Type /Page") || pdf.text.contains("/Type/Page"))
            #expect(pdf.text.count > 10_000)
            #expect(try await client.send(.get, "/api/reports/\(id).docx").json["field"] as? String == "file")
            #expect(try await client.send(.get, "/api/reports/999.html").status == .notFound)
        }
    }

    @Test func theServerRunsOnPostgreSQLToo() async throws {
        guard let base = ProcessInfo.processInfo.environment["TRADEWIND_TEST_POSTGRES_URL"] else {
            Issue.record("TRADEWIND_TEST_POSTGRES_URL is not set (.ci/run sets it; Scripts/start-test-postgres.sh starts a server)")
            return
        }
        let schema = "s_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        let server = try await TestServer.make { $0.database = base + "?schema=\(schema)" }
        #expect(server.store.backend == "postgresql")
        try await server.application().test(.router) { client in
            let r = try await client.send(.post, "/api/backtest", body: #"{"strategy":"rsi2","data":"sample:spy-daily"}"#)
            #expect(r.status == .ok)
            #expect(try await client.send(.get, "/api/history/count").json["count"] as? Int == 1)
            let health = try await client.send(.get, "/api/health")
            #expect((health.json["database"] as? [String: Any])?["backend"] as? String == "postgresql")
        }
    }

    @Test func historyFiltersSortsPaginatesAndGivesOneResultWithItsTradeLog() async throws {
        let server = try await TestServer.make()
        for (symbol, sharpe) in [("SPY", 1.0), ("QQQ", 2.0), ("SPY", 3.0)] {
            _ = try await server.store.storeResult(NewResult(
                kind: .optimize, symbol: symbol, strategy: "sma-cross", parameters: [ResultParameter(name: "fast", value: "10")],
                objectiveName: "sharpe", metrics: ResultMetrics(sharpe: sharpe, totalReturn: sharpe / 10, trades: 2),
                trades: #"[{"symbol":"\#(symbol)","net_pnl":1}]"#))
        }
        try await server.application().test(.router) { client in
            let page = try await client.send(.get, "/api/history?symbol=SPY&sort=sharpe&order=asc&limit=1&offset=1")
            #expect(page.json["total"] as? Int == 2)
            let items = try #require(page.json["items"] as? [[String: Any]])
            #expect(items.map { $0["sharpe"] as? Double } == [3.0])
            let id = try #require(items.first?["id"] as? Int)
            let one = try await client.send(.get, "/api/history/\(id)")
            #expect(one.status == .ok)
            #expect((one.json["trade_log"] as? [[String: Any]])?.first?["symbol"] as? String == "SPY")
            #expect(try await client.send(.get, "/api/history/count?strategy=sma-cross").json["count"] as? Int == 3)
            #expect(try await client.send(.get, "/api/history/999").status == .notFound)
            #expect(try await client.send(.get, "/api/history/abc").status == .badRequest)
            #expect(try await client.send(.delete, "/api/history?symbol=QQQ").json["deleted"] as? Int == 1)
        }
    }

    @Test func jobsAreCheckedLikeTheCommandLineBeforeTheyAreQueued() async throws {
        let server = try await TestServer.make()
        try await server.application().test(.router) { client in
            let badGrid = try await client.send(.post, "/api/jobs", body: """
                {"kind":"optimize","request":{"strategy":"sma-cross","data":"sample:spy-daily","grids":["fast=9:1:1"]}}
                """)
            #expect(badGrid.status == .badRequest)
            let badKind = try await client.send(.post, "/api/jobs", body: #"{"kind":"dance","request":{}}"#)
            #expect(badKind.json["field"] as? String == "kind")
            let badData = try await client.send(.post, "/api/jobs", body: """
                {"kind":"optimize","request":{"strategy":"sma-cross","data":"/no/such/file.csv"}}
                """)
            #expect(badData.json["field"] as? String == "data")
            let unknownKeyword = try await client.send(.post, "/api/jobs", body: """
                {"kind":"backtest","keyword":"nope","request":{"strategy":"sma-cross","data":"sample:spy-daily"}}
                """)
            #expect(unknownKeyword.json["field"] as? String == "keyword")
            #expect(try await client.send(.get, "/api/jobs").json["total"] as? Int == 0)
        }
    }

    @Test func keywordsJournalStrategiesAndKeys() async throws {
        let server = try await TestServer.make()
        try await server.application().test(.router) { client in
            #expect(try await client.send(.put, "/api/keywords/tech", body: #"{"symbols":["AAPL","MSFT"]}"#).status == .ok)
            #expect(try await client.send(.get, "/api/keywords").json["total"] as? Int == 1)
            #expect(try await client.send(.delete, "/api/keywords/tech").status == .ok)
            #expect(try await client.send(.delete, "/api/keywords/tech").status == .notFound)

            let opened = try await client.send(.post, "/api/trades", body: """
                {"symbol":"SPY","strategy":"rsi2","side":"long","quantity":10,"entry_price":100,"entry_time":"2024-03-01T09:30:00-05:00"}
                """)
            #expect(opened.status == .created)
            #expect(opened.json["entry_time"] as? String == "2024-03-01T14:30:00+00:00")
            let id = try #require(opened.json["id"] as? Int)
            let closed = try await client.send(.post, "/api/trades/close", body: """
                {"id":\(id),"exit_price":105,"exit_time":"2024-03-05T16:00:00-05:00","fees":2}
                """)
            #expect(closed.json["pnl"] as? Double == 48)
            #expect(try await client.send(.post, "/api/trades/close", body: #"{"id":\#(id),"exit_price":1}"#).status == .conflict)
            _ = try await client.send(.post, "/api/trades", body: """
                {"symbol":"QQQ","side":"short","quantity":1,"entry_price":50,"exit_price":60,"entry_time":"2024-04-01T10:00:00Z","exit_time":"2024-04-02T10:00:00Z"}
                """)
            let analytics = try await client.send(.get, "/api/trades/analytics")
            #expect(analytics.json["trades"] as? Int == 2)
            #expect(analytics.json["win_rate"] as? Double == 0.5)
            #expect(analytics.json["profit_factor"] as? Double == 4.8)
            #expect(analytics.json["expectancy"] as? Double == 19)
            #expect((analytics.json["by_month"] as? [[String: Any]])?.map { $0["key"] as? String } == ["2024-03", "2024-04"])

            let v1 = try await client.send(.post, "/api/strategies", body: #"{"strategy":"sma-cross","parameters":{"fast":10}}"#)
            #expect(v1.status == .created)
            let v1id = try #require(v1.json["id"] as? Int)
            let badParam = try await client.send(.post, "/api/strategies", body: #"{"strategy":"sma-cross","parameters":{"speed":1}}"#)
            #expect(badParam.status == .badRequest)
            let v2 = try await client.send(.post, "/api/strategies", body: #"{"strategy":"sma-cross","parent_id":\#(v1id),"parameters":{"fast":12}}"#)
            let v2id = try #require(v2.json["id"] as? Int)
            #expect(try await client.send(.get, "/api/strategies/active").status == .notFound)
            #expect(try await client.send(.post, "/api/strategies/\(v2id)/activate").json["active"] as? Bool == true)
            #expect(try await client.send(.get, "/api/strategies/active").json["parent_id"] as? Int == v1id)

            let keys = try await client.send(.get, "/api/keys")
            let items = try #require(keys.json["items"] as? [[String: Any]])
            #expect(!items.isEmpty)
            #expect(items.allSatisfy { ($0["masked"] as? String).map { $0.allSatisfy { $0 == "*" } } ?? true })
        }
    }

    @Test func pricesArePaginatedBarsOfTheRange() async throws {
        let server = try await TestServer.make()
        try await server.application().test(.router) { client in
            let r = try await client.send(.get, "/api/prices?data=sample:spy-daily&from=2010-01-01&to=2010-01-31&limit=5&offset=2")
            #expect(r.status == .ok)
            #expect(r.json["total"] as? Int == 19)
            let items = try #require(r.json["items"] as? [[String: Any]])
            #expect(items.count == 5)
            #expect((items.first?["time"] as? String)?.hasPrefix("2010-01-06") == true)
            #expect(try await client.send(.get, "/api/prices?from=yesterday").json["field"] as? String == "from")
        }
    }

    @Test func everyRegisteredRouteIsInTheOpenAPIDocument() async throws {
        let server = try await TestServer.make()
        let document = try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.text.utf8)) as? [String: Any]
        #expect(document?["openapi"] as? String == "3.1.0")
        let paths = try #require(document?["paths"] as? [String: [String: Any]])
        let routes = server.router().routes
        #expect(routes.count >= 30)
        for route in routes {
            let path = "\(route.path)".split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }
                .joined(separator: "/")
            let documented = paths["/" + path]?[route.method.rawValue.lowercased()]
            #expect(documented != nil, "\(route.method) /\(path) is not in openapi.json")
        }
        // And nothing documented is missing from the router.
        let registered = Set(routes.map { "\($0.method.rawValue.lowercased()) \($0.path)" })
        #expect(paths.values.map(\.count).reduce(0, +) == registered.count)
        try await server.application().test(.router) { client in
            let served = try await client.send(.get, "/api/openapi.json")
            #expect(served.text == OpenAPIDocument.text)
        }
    }

    @Test func metricsUsePrometheusNamesAndCountRequestsByRoute() async throws {
        let server = try await TestServer.make()
        try await server.application().test(.router) { client in
            _ = try await client.send(.get, "/api/history")
            _ = try await client.send(.get, "/api/history/7")
            let text = try await client.send(.get, "/metrics").text
            #expect(text.contains(#"tradewind_http_requests_total{method="GET",route="/api/history",status="200"} 1"#))
            #expect(text.contains(#"route="/api/history/{id}",status="404"} 1"#))
            #expect(text.contains("tradewind_http_request_duration_seconds_bucket"))
            #expect(text.contains("tradewind_store_operation_duration_seconds"))
            #expect(text.contains(#"tradewind_jobs{state="queued"} 0"#))
            #expect(text.contains("tradewind_process_resident_memory_bytes"))
            #expect(text.contains("tradewind_evaluations_total"))
            #expect(text.contains("tradewind_websocket_clients"))
        }
    }
}

@Suite("Server timestamps")
struct TimestampTests {
    @Test func timesAreWrittenWithAnExplicitOffsetAndParsedWithOne() {
        let t = Timestamps(zone: .utc)
        #expect(t.string(1_700_000_000_000_000_000) == "2023-11-14T22:13:20+00:00")
        #expect(Timestamps.parse("2023-11-14T17:13:20-05:00", zone: .utc) == 1_700_000_000_000_000_000)
        #expect(Timestamps.parse("2023-11-14T22:13:20.5Z", zone: .utc) == 1_700_000_000_500_000_000)
    }

    @Test func datesOutsideTheRepresentableRangeAreRefusedNotTrapped() {
        #expect(Timestamps.parse("9999-12-31T00:00:00Z", zone: .utc) == nil)
        #expect(Timestamps.parse("0001-01-01", zone: .utc) == nil)
        #expect(Timestamps.parse("2024-13-01", zone: .utc) == nil)
        #expect(Timestamps.parse("2024-01-01T25:00:00Z", zone: .utc) == nil)
    }
}
