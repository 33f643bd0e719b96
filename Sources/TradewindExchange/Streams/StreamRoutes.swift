import Foundation
import Hummingbird
import HummingbirdWebSocket
import TradewindAlpaca

/// The WebSocket streams: `trade_updates` at `/stream`, and the real-time stock data stream at `/v2/iex` and
/// `/v2/sip` (each step's recorded trades and quotes, then its bars, as the replay clock plays it).
enum StreamRoutes {
    static func add(to router: Router<ExchangeContext>, _ market: ExchangeMarket, _ keys: ExchangeKeys) {
        router.ws("/stream") { inbound, outbound, _ in
            var listening: (id: Int, frames: AsyncStream<StreamFrame>)?
            defer { if let listening { market.tradeUpdates.disconnect(listening.id) } }
            var authorized = false
            var messages = inbound.messages(maxSize: 1 << 16).makeAsyncIterator()
            // Authenticate, then listen; the frames may be text or binary JSON.
            while listening == nil, let message = try await messages.next() {
                let data = message.payload
                guard let action = try? AlpacaJSON.decoder().decode(AlpacaStreamAction.self, from: data) else {
                    try await outbound.write(.text(status("error", AlpacaStreamStatus(message: "invalid syntax"))))
                    continue
                }
                switch action.action {
                case "auth", "authenticate":
                    let verdict = keys.check(keyID: action.key ?? action.data?.keyId, secretKey: action.secret ?? action.data?.secretKey)
                    authorized = verdict == .valid
                    try await outbound.write(.text(status("authorization", AlpacaStreamStatus(
                        status: authorized ? "authorized" : "unauthorized", action: "authenticate",
                        message: authorized ? nil : "access key verification failed"))))
                    if !authorized {
                        try await outbound.close(.policyViolation, reason: "access key verification failed")
                        return
                    }
                case "listen":
                    guard authorized else {
                        try await outbound.write(.text(status("authorization", AlpacaStreamStatus(
                            status: "unauthorized", action: "listen", message: "not authenticated"))))
                        continue
                    }
                    let streams = action.data?.streams ?? []
                    try await outbound.write(.text(status("listening", AlpacaStreamStatus(streams: streams.filter { $0 == "trade_updates" }))))
                    if streams.contains("trade_updates") { listening = market.tradeUpdates.connect() }
                default:
                    try await outbound.write(.text(status("error", AlpacaStreamStatus(message: "unknown action \(action.action)"))))
                }
            }
            guard let frames = listening?.frames else { return }
            let forward = Task { for await frame in frames { try await outbound.write(frame.outbound) } }
            defer { forward.cancel() }
            // Until the client goes away (anything it sends now is ignored).
            while try await messages.next() != nil {}
        }
        for feed in ["/v2/iex", "/v2/sip", "/v2/test"] {
            router.ws(RouterPath(feed)) { inbound, outbound, context in
                // Alpaca's negotiation: MessagePack frames for clients that connect with that content type.
                let msgpack = context.request.headers[.contentType]?.lowercased().contains("msgpack") == true
                try await dataStream(inbound, DataStreamWriter(outbound: outbound, messagePack: msgpack), market, keys)
            }
        }
    }

    private static func status(_ stream: String, _ s: AlpacaStreamStatus) -> String {
        String(decoding: (try? AlpacaJSON.encoder().encode(AlpacaStreamEnvelope(stream: stream, data: s))) ?? Data(), as: UTF8.self)
    }

    /// The data stream's protocol: `connected`, then `auth` (402 on wrong keys, 401 before auth, 403 twice),
    /// `subscribe`/`unsubscribe` answered with the subscription, 400 on invalid syntax. Actions may come as JSON or
    /// MessagePack; answers go in the connection's negotiated encoding.
    private static func dataStream(_ inbound: WebSocketInboundStream, _ out: DataStreamWriter,
                                   _ market: ExchangeMarket, _ keys: ExchangeKeys) async throws {
        try await out.send([.success("connected")])
        let client = market.barUpdates.connect(messagePack: out.messagePack)
        defer { market.barUpdates.disconnect(client.id) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { for await f in client.frames { try await out.forward(f) } }
            group.addTask {
                var authorized = false
                for try await message in inbound.messages(maxSize: 1 << 16) {
                    guard let action = DataStreamWriter.action(message) else {
                        try await out.send([.error(400, "invalid syntax")])
                        continue
                    }
                    switch action.action {
                    case "auth":
                        if authorized {
                            try await out.send([.error(403, "already authenticated")])
                        } else if keys.check(keyID: action.key, secretKey: action.secret) == .valid {
                            authorized = true
                            try await out.send([.success("authenticated")])
                        } else {
                            try await out.send([.error(402, "auth failed")])
                            try await out.outbound.close(.policyViolation, reason: "auth failed")
                            return
                        }
                    case "subscribe", "unsubscribe":
                        guard authorized else {
                            try await out.send([.error(401, "not authenticated")])
                            continue
                        }
                        let add = action.action == "subscribe"
                        let bars = market.barUpdates.subscribe(client.id) { set in
                            for s in action.bars ?? [] { if add { set.insert(s.uppercased()) } else { set.remove(s.uppercased()) } }
                        }
                        let ticks = market.barUpdates.subscribeTicks(client.id) { trades, quotes in
                            for s in action.trades ?? [] { if add { trades.insert(s.uppercased()) } else { trades.remove(s.uppercased()) } }
                            for s in action.quotes ?? [] { if add { quotes.insert(s.uppercased()) } else { quotes.remove(s.uppercased()) } }
                        }
                        var m = AlpacaDataMessage(T: "subscription")
                        m.bars = bars.sorted()
                        m.trades = ticks.trades.sorted()
                        m.quotes = ticks.quotes.sorted()
                        try await out.send([m])
                    default:
                        try await out.send([.error(400, "invalid syntax")])
                    }
                }
            }
            _ = try await group.next()
            group.cancelAll()
        }
    }
}
