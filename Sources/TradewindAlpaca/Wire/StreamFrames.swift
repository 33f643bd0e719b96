import Foundation
import HummingbirdWSClient

extension WebSocketMessage {
    /// The frame's bytes: Alpaca's streams send JSON in text frames, the paper `trade_updates` stream in binary ones.
    public var payload: Data {
        switch self {
        case .text(let t): return Data(t.utf8)
        case .binary(let b): return Data(b.readableBytesView)
        }
    }
}
