import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TradewindLive
@testable import TradewindServer

/// Paper-trading bots managed through the server: start, one iteration on demand, run to the end, stop, status,
/// metrics; bad input is a 4xx naming the field.
@Suite("Trading routes")
struct TradingRouteTests {
    @Test func aManualBotTicksOneBarAtATimeAndAMaxBotRunsToTheEnd() async throws {
        let server = try await TestServer.make()
        try await server.application().test(.router) { client in
            let start = try await client.send(.post, "/api/trading/start",
                                              body: #"{"strategy":"sma-cross","data":"sample:spy-daily","params":{"fast":5,"slow":20},"speed":"manual"}"#)
            #expect(start.status == .created, "\(start.text)")
            let id = try #require(start.json["id"] as? Int)
            #expect(start.json["state"] as? String == "manual")
            for k in 1...3 {
                let tick = try await client.send(.post, "/api/trading/tick", body: #"{"id":\#(id)}"#)
                #expect(tick.status == .ok, "\(tick.text)")
                #expect(tick.json["steps"] as? Int == k)
            }
            let stop = try await client.send(.post, "/api/trading/stop", body: #"{"id":\#(id)}"#)
            #expect(stop.json["state"] as? String == "stopped")
            let again = try await client.send(.post, "/api/trading/tick", body: #"{"id":\#(id)}"#)
            #expect(again.status == .conflict)

            let run = try await client.send(.post, "/api/trading/start",
                                            body: #"{"strategy":"sma-cross","data":"sample:spy-daily","speed":"max","risk":{"max_drawdown":0.5}}"#)
            #expect(run.status == .created, "\(run.text)")
            let runID = try #require(run.json["id"] as? Int)
            var state = ""
            for _ in 0..<600 where state != "finished" {
                try await Task.sleep(for: .milliseconds(50))
                let list = try await client.send(.get, "/api/trading/status")
                let items = list.json["items"] as? [[String: Any]] ?? []
                state = items.first { $0["id"] as? Int == runID }?["state"] as? String ?? ""
            }
            #expect(state == "finished")
            let list = try await client.send(.get, "/api/trading/status?limit=1&offset=1")
            #expect(list.json["total"] as? Int == 2)
            let item = try #require((list.json["items"] as? [[String: Any]])?.first)
            #expect(item["fills"] as? Int ?? 0 > 10)
            #expect(item["steps"] as? Int == item["total_steps"] as? Int)
            // The bot journaled every intent and fill in the server's store before acting on it: read back, the
            // journal's fills and positions are the bot's.
            let journalName = try #require(item["journal"] as? String)
            #expect(journalName.hasPrefix("bot-\(runID)-"))
            let journal = JournalSummary(lines: try await server.store.tradingJournal(journalName).map(\.line))
            #expect(journal.fills == item["fills"] as? Int, "\(journal.fills) journaled fills")
            #expect(journal.intents >= journal.fills && journal.starts == 1 && journal.ends == 1)
            let positions = item["positions"] as? [String: Double] ?? [:]
            #expect(journal.positions.filter { $0.value != 0 } == positions.filter { $0.value != 0 })
            let metrics = try await client.send(.get, "/metrics")
            #expect(metrics.text.contains("tradewind_trading_bots{state=\"finished\"} 1"))
            #expect(metrics.text.contains("tradewind_trading_fills_total{bot=\"\(runID)\",strategy=\"sma-cross\"}"))
            // Every order the bot sent is in its latency histogram, whose buckets are cumulative up to +Inf.
            func value(_ series: String) -> Double? {
                metrics.text.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.split(separator: " ").last!) }
            }
            let labels = "bot=\"\(runID)\",strategy=\"sma-cross\""
            let orders = try #require(value("tradewind_trading_tick_to_order_seconds_count{\(labels)}"))
            #expect(orders >= Double(item["fills"] as? Int ?? .max))
            #expect(value("tradewind_trading_tick_to_order_seconds_bucket{\(labels),le=\"+Inf\"}") == orders)
            let fast = try #require(value("tradewind_trading_tick_to_order_seconds_bucket{\(labels),le=\"0.000005\"}"))
            let second = try #require(value("tradewind_trading_tick_to_order_seconds_bucket{\(labels),le=\"1\"}"))
            #expect(fast <= second && second <= orders)
            #expect(try #require(value("tradewind_trading_tick_to_order_seconds_sum{\(labels)}")) > 0)
            #expect(try #require(value("tradewind_trading_orders_total{\(labels)}")) == orders)
            #expect(value("tradewind_trading_reconnects_total{\(labels)}") == 0)
            #expect(try #require(value("tradewind_trading_gross_exposure{\(labels)}")) >= 0)

            // A bot whose every entry is too large for its position limit: refusals counted by the limit, no orders.
            let capped = try await client.send(.post, "/api/trading/start", body:
                #"{"strategy":"sma-cross","data":"sample:spy-daily","speed":"max","risk":{"max_position_fraction":0.5}}"#)
            let cappedID = try #require(capped.json["id"] as? Int)
            var cappedState = ""
            for _ in 0..<600 where cappedState != "finished" {
                try await Task.sleep(for: .milliseconds(50))
                cappedState = (try await client.send(.get, "/api/trading/status")).json["items"]
                    .flatMap { ($0 as? [[String: Any]])?.first { $0["id"] as? Int == cappedID }?["state"] as? String } ?? ""
            }
            #expect(cappedState == "finished")
            let after = try await client.send(.get, "/metrics").text
            let cappedLabels = "bot=\"\(cappedID)\",strategy=\"sma-cross\""
            let refused = after.split(separator: "\n").first {
                $0.hasPrefix("tradewind_trading_risk_rejections_by_limit_total{\(cappedLabels),limit=\"max_position_fraction\"} ")
            }
            #expect(Double(try #require(refused).split(separator: " ").last!) ?? 0 > 0)
            #expect(after.contains("tradewind_trading_orders_total{\(cappedLabels)} 0.0"))
        }
    }

    @Test func badBotRequestsAreClearErrors() async throws {
        let server = try await TestServer.make()
        try await server.application().test(.router) { client in
            let cases: [(String, String, HTTPResponse.Status, String?)] = [
                ("/api/trading/start", #"{"strategy":"sma-cross","data":"sample:spy-daily","speed":"warp"}"#, .badRequest, "speed"),
                ("/api/trading/start", #"{"strategy":"sma-cross","data":"sample:spy-daily","risk":{"max_drawdown":3}}"#, .badRequest, "risk"),
                ("/api/trading/start", #"{"strategy":"sma-cross","data":"sample:spy-daily","colour":1}"#, .badRequest, "colour"),
                ("/api/trading/start", #"{"strategy":"no-such","data":"sample:spy-daily"}"#, .badRequest, nil),
                ("/api/trading/tick", #"{"id":99}"#, .notFound, nil),
                ("/api/trading/stop", #"{"id":"x"}"#, .badRequest, nil),
            ]
            for (path, body, status, field) in cases {
                let r = try await client.send(.post, path, body: body)
                #expect(r.status == status, "\(path) \(body): \(r.status) \(r.text)")
                if let field { #expect(r.json["field"] as? String == field, "\(body): \(r.text)") }
            }
        }
    }
}
