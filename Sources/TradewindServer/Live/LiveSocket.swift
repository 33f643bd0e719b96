import Foundation
import Hummingbird
import HummingbirdWebSocket
import NIOCore
import TradewindCore
import TradewindStore

/// `/ws`: live job progress, log lines, ends and stored results as `{type, data}` JSON messages. A client starts
/// subscribed to everything; it may send `{"type":"subscribe","data":{"jobs":[ID…]}}` (only those jobs; server-wide
/// messages always arrive), `{"type":"subscribe","data":{"all":true}}` or `{"type":"unsubscribe","data":{"jobs":[…]}}`.
/// When users exist the upgrade needs a token: `?token=…` or `Authorization: Bearer …`.
enum LiveSocket {
    struct ClientMessage: Decodable {
        struct Data: Decodable {
            var jobs: [Int64]?
            var all: Bool?
        }
        var type: String
        var data: Data?
    }

    static func add(to router: Router<APIContext>, _ state: ServerState) {
        router.ws("/ws") { request, _ in
            guard await state.credentials.authenticationRequired() else { return .upgrade([:]) }
            let token = request.uri.queryParameters.get("token") ?? AuthMiddleware.bearer(request.headers[.authorization])
            guard let token, await state.credentials.user(bearer: token) != nil else { return .dontUpgrade }
            return .upgrade([:])
        } onUpgrade: { inbound, outbound, context in
            let queue = state.hub.connect()
            defer { state.hub.disconnect(queue) }
            let counts = (try? await state.store.jobCounts()) ?? [:]
            let hello = LiveMessage(type: "server.status", jobID: nil,
                                    data: ServerStatusEvent(version: TradewindRelease.version, queued: counts[.queued] ?? 0,
                                                            running: counts[.running] ?? 0, clients: state.hub.clientCount))
            try await outbound.write(.text(hello.text))
            // From here on the hub's messages go straight into the socket, on its event loop (`LiveChannelWriter`);
            // what was queued since `connect` follows the hello.
            let channel = context.requestContext.channel
            try await LiveChannelWriter.attach(queue, to: channel)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await _ in queue.closed {}
                    guard queue.tooSlow else { return }
                    // A client that does not read would not read a close frame either: the socket is closed.
                    state.logger.warning("websocket client disconnected: too slow, messages dropped past the limit",
                                         metadata: ["dropped_messages": "\(queue.droppedCount)", "limit": "\(state.hub.dropLimit)"])
                    try? await channel.close()
                }
                group.addTask {
                    for try await message in inbound.messages(maxSize: 64 * 1024) {
                        guard case let .text(text) = message,
                              let m = try? JSONDecoder().decode(ClientMessage.self, from: Data(text.utf8))
                        else { continue }
                        switch m.type {
                        case "subscribe": queue.subscribe(all: m.data?.all ?? false, jobs: m.data?.jobs ?? [])
                        case "unsubscribe": queue.unsubscribe(jobs: m.data?.jobs ?? [])
                        default: continue
                        }
                    }
                }
                _ = try await group.next()
                group.cancelAll()
                queue.close()
            }
        }
        // A plain GET of /ws (no upgrade, or refused) is answered here with JSON.
    }
}
