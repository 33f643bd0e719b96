import Foundation
import TradewindCore
import TradewindData
import TradewindEngine
import TradewindLive
import TradewindStore
import TradewindStrategies

/// A bot as the API shows it: what it trades, its state and its runtime's status.
struct BotView: Encodable, Sendable {
    var id: Int
    var strategy: String
    var parameters: [String: String]
    var symbols: [String]
    var data: String
    var broker: String
    /// `manual` (one step per `POST /api/trading/tick`), `max`, or market seconds per second.
    var speed: String
    /// `running`, `manual`, `stopped`, `finished`, `failed`.
    var state: String
    var reason: String?
    var steps: Int
    var totalSteps: Int
    var time: String?
    var equity: Double
    var cash: Double
    var profitAndLoss: Double
    var positions: [String: Double]
    var openOrders: Int
    var fills: Int
    var riskRejections: Int
    var haltReason: String?
    /// The bot's trading journal in the server's store (`tradewind trade status --database … --journal-name NAME`).
    var journal: String
    /// For `/metrics`, not part of the JSON: tick-to-order latency of the bot's orders, orders handed to the broker,
    /// risk refusals by limit, broker reconnects, gross exposure and (live feeds only) feed lag.
    var latency = LatencyRecorder.Histogram()
    var ordersSent = 0
    var refusalsByKind: [String: Int] = [:]
    var reconnects = 0
    var grossExposure = 0.0
    var feedLagSeconds: Double?

    enum CodingKeys: String, CodingKey {
        case id, strategy, parameters, symbols, data, broker, speed, state, reason, steps, time, equity, cash, positions, fills
        case totalSteps = "total_steps", profitAndLoss = "profit_and_loss", openOrders = "open_orders"
        case riskRejections = "risk_rejections", haltReason = "halt_reason", journal
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        for (k, v) in [(CodingKeys.id, id), (.steps, steps), (.totalSteps, totalSteps), (.openOrders, openOrders), (.fills, fills),
                       (.riskRejections, riskRejections)] { try c.encode(v, forKey: k) }
        for (k, v) in [(CodingKeys.strategy, strategy), (.data, data), (.broker, broker), (.speed, speed), (.state, state),
                       (.journal, journal)] {
            try c.encode(v, forKey: k)
        }
        try c.encode(parameters, forKey: .parameters)
        try c.encode(symbols, forKey: .symbols)
        try c.encode(reason, forKey: .reason)
        try c.encode(time, forKey: .time)
        try c.encode(equity, forKey: .equity)
        try c.encode(cash, forKey: .cash)
        try c.encode(profitAndLoss, forKey: .profitAndLoss)
        try c.encode(positions, forKey: .positions)
        try c.encode(haltReason, forKey: .haltReason)
    }
}

/// What `POST /api/trading/start` asks for, checked.
struct BotPlan: Sendable {
    var strategy: String
    var parameters: [String: String]
    var data: String
    var symbols: [String]?
    var speed: BotSpeed
    var risk: RiskLimits
    var backtest: BacktestSettings
}

enum BotSpeed: Sendable, Equatable {
    case manual
    case replay(ReplayFeed.Speed)

    var text: String {
        switch self {
        case .manual: return "manual"
        case .replay(.max): return "max"
        case .replay(.factor(let f)): return String(f)
        }
    }
}

/// The server's paper-trading bots: each a `TradingRuntime` with the paper broker on a replay of stored or bundled
/// data, run to the end of the data (`max` or a speed) or one step per tick (`manual`). Bots live in this actor;
/// their fills, halts and status go out on the WebSocket (`trading.*`). Each bot journals every intent, broker report
/// and risk event in the server's store (the trading-journal area, under the bot's journal name) before acting on it,
/// as `tradewind trade --database` does.
actor BotRegistry {
    final class Bot {
        let id: Int
        let plan: BotPlan
        let symbols: [String]
        let runtime: TradingRuntime
        let journal: String
        let timeline: [FeedStep]
        var next = 0
        var state: String
        var reason: String?
        var stopRequested = false
        let latency = LatencyRecorder()

        init(id: Int, plan: BotPlan, symbols: [String], runtime: TradingRuntime, journal: String, timeline: [FeedStep],
             state: String) {
            self.id = id
            self.journal = journal
            self.plan = plan
            self.symbols = symbols
            self.runtime = runtime
            self.timeline = timeline
            self.state = state
            runtime.measureLatency(into: latency)
        }
    }

    private var bots: [Int: Bot] = [:]
    private var nextID = 1
    private let loader: MarketLoader
    private let catalog: StrategyCatalog
    private let publish: @Sendable (String, Int, BotView) -> Void
    private let notifierFactory: @Sendable (Int) -> any TradingNotifier
    private let store: any TradingJournalStore

    init(loader: MarketLoader, catalog: StrategyCatalog, store: any TradingJournalStore,
         publish: @escaping @Sendable (String, Int, BotView) -> Void, notifier: @escaping @Sendable (Int) -> any TradingNotifier) {
        self.loader = loader
        self.store = store
        self.catalog = catalog
        self.publish = publish
        notifierFactory = notifier
    }

    /// Starts a bot; a `max` or speed bot runs on its own task until the data ends or it is stopped.
    func start(_ plan: BotPlan, zone: ZoneRules) throws -> BotView {
        let descriptor = try catalog.named(plan.strategy)
        let parameters = try descriptor.parameters(plan.parameters)
        let data = try loader.load(plan.data, symbols: plan.symbols, zone: zone, adjust: .raw, threads: .single)
        var config = try plan.backtest.config(zone: zone)
        config = try descriptor.prepare(config, parameters: parameters, data: data).config
        let id = nextID
        nextID += 1
        let speed: ReplayFeed.Speed = if case .replay(let s) = plan.speed { s } else { .max }
        // Bot ids restart at 1 with the server: the journal's name carries the start time too, so no run's journal
        // is read back as an earlier run's.
        let journal = "bot-\(id)-\(ISO8601.utc(UnixNanos(Date().timeIntervalSince1970 * 1e9)))"
        let session = ReplaySession(data: data, config: config, speed: speed, risk: plan.risk,
                                    journal: StoreJournal(store: store, name: journal), notifier: notifierFactory(id))
        let feed = try session.feed()
        let runtime = try session.runtime(for: feed) { setup in try descriptor.stream(parameters, setup) }
        let bot = Bot(id: id, plan: plan, symbols: feed.symbols, runtime: runtime, journal: journal, timeline: feed.timeline,
                      state: plan.speed == .manual ? "manual" : "running")
        try runtime.start()
        bots[id] = bot
        if case .replay = plan.speed { Task { await self.drive(id, feed) } }
        return view(bot)
    }

    /// Runs a bot over its feed inside the actor, a batch at a time (other requests are served between batches).
    private func drive(_ id: Int, _ feed: ReplayFeed) async {
        guard let bot = bots[id] else { return }
        do {
            for try await batch in feed.steps() {
                if bot.stopRequested { break }
                for step in batch { try bot.runtime.process(step) }
                bot.next += batch.count
                publish("trading.status", id, view(bot))
                await Task.yield()
            }
            await end(bot, state: bot.stopRequested ? "stopped" : "finished")
        } catch {
            bot.reason = "\(error)"
            await end(bot, state: "failed")
        }
    }

    private func end(_ bot: Bot, state: String) async {
        guard bot.state == "running" || bot.state == "manual" else { return }
        do {
            _ = try await bot.runtime.finish()
            bot.state = state
        } catch {
            bot.state = "failed"
            bot.reason = bot.reason ?? "\(error)"
        }
        publish("trading.status", bot.id, view(bot))
    }

    /// One step of a manual bot (the next bar of its data); finishes it after the last.
    func tick(_ id: Int) async throws -> BotView {
        guard let bot = bots[id] else { throw APIError.notFound("no bot \(id)") }
        guard bot.state == "manual" else {
            throw APIError(.conflict, "conflict", "bot \(id) is \(bot.state); only a bot started with speed \"manual\" ticks")
        }
        if bot.next < bot.timeline.count {
            do {
                try bot.runtime.process(bot.timeline[bot.next])
            } catch {
                bot.reason = "\(error)"
                await end(bot, state: "failed")
                return view(bot)
            }
            bot.next += 1
        }
        if bot.next == bot.timeline.count { await end(bot, state: "finished") }
        publish("trading.status", id, view(bot))
        return view(bot)
    }

    /// Stops a bot: a running one at its next batch, a manual one at once.
    func stop(_ id: Int) async throws -> BotView {
        guard let bot = bots[id] else { throw APIError.notFound("no bot \(id)") }
        bot.stopRequested = true
        if bot.state == "manual" { await end(bot, state: "stopped") }
        return view(bot)
    }

    func list() -> [BotView] { bots.keys.sorted().compactMap { bots[$0].map(view) } }

    func bot(_ id: Int) throws -> BotView {
        guard let bot = bots[id] else { throw APIError.notFound("no bot \(id)") }
        return view(bot)
    }

    private func view(_ bot: Bot) -> BotView {
        let s = bot.runtime.currentStatus()
        return BotView(id: bot.id, strategy: bot.plan.strategy, parameters: bot.plan.parameters, symbols: bot.symbols,
                       data: bot.plan.data, broker: "paper", speed: bot.plan.speed.text, state: bot.state, reason: bot.reason,
                       steps: s.steps, totalSteps: bot.timeline.count, time: s.steps > 0 ? ISO8601.utc(s.time) : nil,
                       equity: s.equity, cash: s.cash, profitAndLoss: s.equity - s.initialCash, positions: s.positions,
                       openOrders: s.openOrders, fills: s.fills, riskRejections: s.riskRejections, haltReason: s.haltReason,
                       journal: bot.journal, latency: bot.latency.snapshot(), ordersSent: s.ordersSent, refusalsByKind: s.refusalsByKind,
                       reconnects: s.reconnects, grossExposure: s.grossExposure, feedLagSeconds: s.feedLagSeconds)
    }
}
