import Foundation
import Hummingbird
import TradewindCore
import TradewindEngine
import TradewindLive

extension Routes {
    /// `POST /api/trading/start`: a paper-trading bot on a replay of `data`.
    struct BotStart: Decodable {
        var plan: BotPlan
        var tz: String?
        enum CodingKeys: String, CodingKey, CaseIterable { case strategy, data, symbols, params, speed, risk, backtest, tz }

        init(from decoder: any Decoder) throws {
            try rejectUnknownKeys(decoder, allowed: CodingKeys.allCases.map(\.rawValue))
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let symbols = try c.decodeIfPresent([String].self, forKey: .symbols)
            if let symbols, symbols.isEmpty {
                throw APIError.badRequest("symbols []: expected at least one symbol, or leave it out for every symbol", field: "symbols")
            }
            let speedText = try c.decodeIfPresent(ParameterText.self, forKey: .speed)?.text ?? "manual"
            let speed: BotSpeed
            if speedText == "manual" {
                speed = .manual
            } else {
                do { speed = .replay(try ReplayFeed.Speed(parsing: speedText)) } catch {
                    throw APIError.badRequest("speed \(speedText): expected \"manual\", \"max\" or market seconds per second > 0", field: "speed")
                }
            }
            let risk = try c.decodeIfPresent(RiskLimits.self, forKey: .risk) ?? RiskLimits()
            do { try risk.validate() } catch { throw APIError.badRequest(error.description, field: "risk") }
            plan = BotPlan(strategy: try c.decode(String.self, forKey: .strategy),
                           parameters: try c.decodeIfPresent([String: ParameterText].self, forKey: .params)?.mapValues(\.text) ?? [:],
                           data: try c.decode(String.self, forKey: .data), symbols: symbols, speed: speed, risk: risk,
                           backtest: try c.decodeIfPresent(BacktestSettings.self, forKey: .backtest) ?? BacktestSettings())
            tz = try c.decodeIfPresent(String.self, forKey: .tz)
        }
    }

    /// `POST /api/trading/stop` and `/tick`: which bot.
    struct BotID: Decodable {
        var id: Int
        enum CodingKeys: String, CodingKey { case id }
        init(from decoder: any Decoder) throws {
            try rejectUnknownKeys(decoder, allowed: ["id"])
            id = try decoder.container(keyedBy: CodingKeys.self).decode(Int.self, forKey: .id)
        }
    }

    struct BotPage: Encodable {
        var items: [BotView]
        var total: Int
        var limit: Int
        var offset: Int
    }

    static func addTrading(to router: Router<APIContext>, _ state: ServerState) {
        router.get("/api/trading/status") { request, _ -> Response in
            let page = try Query(request).page()
            let all = await state.bots.list()
            let items = Array(all.dropFirst(page.offset).prefix(page.limit))
            return try JSON.response(BotPage(items: items, total: all.count, limit: page.limit, offset: page.offset))
        }
        router.post("/api/trading/start") { request, _ -> Response in
            let body = try await JSON.decode(BotStart.self, from: request)
            let zone = try MarketLoader.zone(body.tz)
            try state.loader.check(body.plan.data)
            let bots = state.bots
            let view = try await BotStarter.start(body.plan, zone: zone, bots: bots)
            return try JSON.response(view, status: .created)
        }
        router.post("/api/trading/stop") { request, _ -> Response in
            let body = try await JSON.decode(BotID.self, from: request)
            return try JSON.response(try await state.bots.stop(body.id))
        }
        router.post("/api/trading/tick") { request, _ -> Response in
            let body = try await JSON.decode(BotID.self, from: request)
            return try JSON.response(try await state.bots.tick(body.id))
        }
    }
}

/// Starting a bot loads data and builds the runtime: CPU work, kept off the event loop.
enum BotStarter {
    static func start(_ plan: BotPlan, zone: ZoneRules, bots: BotRegistry) async throws -> BotView {
        do {
            return try await bots.start(plan, zone: zone)
        } catch let e as APIError {
            throw e
        } catch {
            throw APIError.badRequest("\(error)")
        }
    }
}

/// A bot's alerts as WebSocket messages: `trading.fill`, `trading.halt`, `trading.error`, `trading.session`.
final class HubNotifier: TradingNotifier, @unchecked Sendable {
    struct Alert: Encodable {
        var botID: Int
        var text: String
        enum CodingKeys: String, CodingKey { case text, botID = "bot_id" }
    }

    let botID: Int
    let hub: EventHub

    init(botID: Int, hub: EventHub) {
        self.botID = botID
        self.hub = hub
    }

    func send(_ alert: TradingAlert) {
        let type: String
        switch alert {
        case .fill: type = "trading.fill"
        case .halt: type = "trading.halt"
        case .error: type = "trading.error"
        case .sessionSummary: type = "trading.session"
        }
        hub.publish(LiveMessage(type: type, jobID: nil, data: Alert(botID: botID, text: alert.text)))
    }
}
