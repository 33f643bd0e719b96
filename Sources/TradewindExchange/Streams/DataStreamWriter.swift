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
        try await forward(messagePack ? .binary(Subscribers.messagePack(messages)) : .text(Subscribers.json(messages)))
    }

    /// Sends a frame the market published, already in this connection's encoding.
    func forward(_ frame: StreamFrame) async throws { try await outbound.write(frame.outbound) }

    /// A client's action, from a JSON or a MessagePack frame; nil when it is neither.
    static func action(_ message: WebSocketMessage) -> AlpacaDataAction? {
        let data = message.payload
        if let action = try? JSONDecoder().decode(AlpacaDataAction.self, from: data) { return action }
        guard let value = try? MessagePack.decode(data) else { return nil }
        return AlpacaDataAction(messagePack: value)
    }
}

extension StreamFrame {
    /// The WebSocket frame that carries it.
    var outbound: WebSocketOutboundWriter.OutboundFrame {
        switch self {
        case .text(let text): .text(text)
        case .binary(let bytes): .binary(bytes)
        }
    }
}
