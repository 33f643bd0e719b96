import Hummingbird
import HummingbirdWebSocket
import Logging
import TradewindAlpaca
import TradewindCore

/// The exchange's server: every Alpaca path on one loopback port, and the replay clock running at a speed.
public struct ExchangeServer: Sendable {
    /// How the replay clock runs.
    public enum Pace: Sendable, Hashable {
        /// `factor` seconds of market time per second.
        case factor(Double)
        /// Only when asked: `POST /tradewind/clock/advance?steps=N` (deterministic tests, lockstep runs).
        case manual
    }

    public let market: ExchangeMarket
    public let keys: ExchangeKeys
    public let host: String
    public let port: Int
    public let pace: Pace

    public init(market: ExchangeMarket, keys: ExchangeKeys, host: String = "127.0.0.1", port: Int = 0, pace: Pace = .manual) {
        self.market = market
        self.keys = keys
        self.host = host
        self.port = port
        self.pace = pace
    }

    /// The REST router (tests drive it with HummingbirdTesting).
    public func router() -> Router<ExchangeContext> {
        let router = Router(context: ExchangeContext.self)
        router.add(middleware: AlpacaMiddleware(keys: keys))
        TradingRoutes.add(to: router, market)
        MarketDataRoutes.add(to: router, market)
        TickRoutes.add(to: router, market)
        let market = market
        router.post("/tradewind/clock/advance") { request, _ in
            let steps = try Query.int(request.uri.queryParameters.get("steps"), "steps", default: 1, range: 1...10_000_000)
            let played = market.advance(steps)
            return AlpacaReply.json(ClockAdvance(played: played, stepsPlayed: market.stepsPlayed, finished: market.finished,
                                                 now: AlpacaJSON.time(market.now)))
        }
        // The data-stream clients subscribed to something and the trade_updates events published so far: a lockstep
        // driver waits for its trader's subscription, a trader (`trade --lockstep`) for every event before a bar.
        router.get("/tradewind/streams") { _, _ in
            AlpacaReply.json(ExchangeStreams(dataSubscribers: market.dataStreamSubscribers,
                                             tradeUpdatesPublished: market.tradeUpdatesPublished))
        }
        router.post("/tradewind/faults/drop-data-streams") { _, _ in
            AlpacaReply.json(["dropped": market.dropDataStreams()])
        }
        router.post("/tradewind/faults/data-stream-frame") { request, _ in
            let body = try await request.body.collect(upTo: 1 << 20)
            return AlpacaReply.json(["sent": market.sendDataStreamFrame(String(buffer: body))])
        }
        return router
    }

    struct ClockAdvance: Codable { let played: Int; let stepsPlayed: Int; let finished: Bool; let now: String }

    /// The application; `onRunning` receives the bound port. The clock runs with it (at `pace`).
    public func application(logger: Logger = Logger(label: "tradewind.exchange"),
                            onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let ws = Router(context: ExchangeContext.self)
        StreamRoutes.add(to: ws, market, keys)
        let market = market, pace = pace
        return Application(
            router: router(),
            server: .http1WebSocketUpgrade(webSocketRouter: ws),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "tradewind-exchange"),
            onServerRunning: { channel in
                await onRunning(channel.localAddress?.port ?? 0)
                if case .factor(let f) = pace {
                    Task { await Self.runClock(market, factor: f) }
                }
            },
            logger: logger)
    }

    /// Plays each step when its bar completes in replayed time (`factor` market seconds per second).
    static func runClock(_ market: ExchangeMarket, factor: Double) async {
        let timeline = market.replay.timeline
        guard let origin = timeline.first?.time else { return }
        let clock = ContinuousClock(), start = clock.now
        let interval = market.replay.interval.nominalNanos
        while !market.finished, !Task.isCancelled {
            let k = market.stepsPlayed
            let due = Double(timeline[k].time - origin + interval) / 1e9 / factor
            let wait = start.advanced(by: .seconds(due)) - clock.now
            if wait > .zero { try? await Task.sleep(for: wait) }
            market.advance(1)
        }
    }
}
