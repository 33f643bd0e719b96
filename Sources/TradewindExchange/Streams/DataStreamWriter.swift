import Foundation
import HummingbirdWebSocket
import NIOCore
import TradewindAlpaca

/// One data-stream connection's encoding: JSON text frames by default, MessagePack binary frames when the client
/// connected with `Content-Type: application/msgpack` (as Alpaca's stream does). Either way a frame is an array of
/// messages.
struct DataStreamWriter: Sendable {
    let outbound: WebSocketOutboundWriter
    let messagePack: Bool

    /// Sends `messages` as one frame.
    func send(_ messages: [AlpacaDataMessage]) async throws {
        if messagePack {
            try await outbound.write(.binary(ByteBuffer(bytes: MessagePack.array(messages.map(\.messagePack)).encoded())))
        } else {
            try await outbound.write(.text(String(decoding: (try? JSONEncoder().encode(messages)) ?? Data("[]".utf8), as: UTF8.self)))
        }
    }

    /// Sends a frame the market published (a JSON array of messages), re-encoded for a MessagePack client.
    func forward(_ frame: String) async throws {
        guard messagePack else { return try await outbound.write(.text(frame)) }
        guard let messages = try? JSONDecoder().decode([AlpacaDataMessage].self, from: Data(frame.utf8)) else { return }
        try await send(messages)
    }

    /// A client's action, from a JSON or a MessagePack frame; nil when it is neither.
    static func action(_ message: WebSocketMessage) -> AlpacaDataAction? {
        let data = message.payload
        if let action = try? JSONDecoder().decode(AlpacaDataAction.self, from: data) { return action }
        guard let value = try? MessagePack.decode(data) else { return nil }
        return AlpacaDataAction(messagePack: value)
    }
}
