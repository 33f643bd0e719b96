import Foundation
import NIOCore
import Synchronization
import TradewindAlpaca

/// One frame for one client, in the encoding its connection negotiated: JSON text, or MessagePack binary.
enum StreamFrame: Sendable, Hashable {
    case text(String)
    case binary(ByteBuffer)
}

/// The clients of one stream: each has a bounded queue of frames (a client too slow to keep up loses the oldest
/// frames rather than holding the market back). A step's messages are encoded once per distinct selection and
/// encoding, and the bytes are shared by every client that gets the same frame.
final class Subscribers: Sendable {
    struct Client {
        let continuation: AsyncStream<StreamFrame>.Continuation
        /// Whether it gets MessagePack binary frames (data stream clients that asked for `application/msgpack`).
        let messagePack: Bool
        /// Symbols whose bars it wants (`*`: all); unused by `trade_updates`.
        var symbols: Set<String>
        /// Symbols whose trades and quotes it wants (data stream only).
        var trades: Set<String> = []
        var quotes: Set<String> = []

        /// Whether it wants the trades or quotes of any symbol.
        var wantsTicks: Bool { !trades.isEmpty || !quotes.isEmpty }
    }

    private let clients = Mutex<(next: Int, all: [Int: Client])>((0, [:]))
    private let encodings = Atomic<Int>(0)

    /// Frames encoded so far (each distinct frame once per encoding, however many clients share it).
    var framesEncoded: Int { encodings.load(ordering: .relaxed) }

    /// A new client's id and frames; `messagePack` asks for binary MessagePack frames instead of JSON text.
    func connect(symbols: Set<String> = [], messagePack: Bool = false) -> (id: Int, frames: AsyncStream<StreamFrame>) {
        let (stream, continuation) = AsyncStream<StreamFrame>.makeStream(bufferingPolicy: .bufferingNewest(100_000))
        let id = clients.withLock { c in
            c.next += 1
            c.all[c.next] = Client(continuation: continuation, messagePack: messagePack, symbols: symbols)
            return c.next
        }
        return (id, stream)
    }

    func disconnect(_ id: Int) {
        clients.withLock { $0.all.removeValue(forKey: id) }?.continuation.finish()
    }

    /// Clients subscribed to at least one symbol (bars, trades or quotes).
    var subscribed: Int {
        clients.withLock { $0.all.values.count { !$0.symbols.isEmpty || $0.wantsTicks } }
    }

    /// Whether any client wants bars, and whether any wants trades or quotes (a step's messages of a kind nobody
    /// wants are not even built).
    var wants: (bars: Bool, ticks: Bool) {
        clients.withLock { c in
            (c.all.values.contains { !$0.symbols.isEmpty }, c.all.values.contains { $0.wantsTicks })
        }
    }

    /// Ends every client's frames (their connections close); returns how many there were.
    func disconnectAll() -> Int {
        let all = clients.withLock { c in
            defer { c.all = [:] }
            return Array(c.all.values)
        }
        for client in all { client.continuation.finish() }
        return all.count
    }

    /// Sets a data client's subscriptions.
    func subscribe(_ id: Int, _ change: (inout Set<String>) -> Void) -> Set<String> {
        clients.withLock { c in
            guard var client = c.all[id] else { return [] }
            change(&client.symbols)
            c.all[id] = client
            return client.symbols
        }
    }

    /// Sets a data client's trade and quote subscriptions; returns them.
    func subscribeTicks(_ id: Int, _ change: (inout Set<String>, inout Set<String>) -> Void) -> (trades: Set<String>, quotes: Set<String>) {
        clients.withLock { c in
            guard var client = c.all[id] else { return ([], []) }
            change(&client.trades, &client.quotes)
            c.all[id] = client
            return (client.trades, client.quotes)
        }
    }

    /// Each client gets one frame with the trades and quotes (`t` and `q` messages, in time order) of the symbols it
    /// subscribed to.
    func publishTicks(_ messages: [AlpacaDataMessage]) {
        publish(messages) { client, m in
            let wanted = m.T == "t" ? client.trades : client.quotes
            return wanted.contains("*") || wanted.contains(m.S ?? "")
        }
    }

    /// Each client gets one frame with the bars (`b` messages) of the symbols it subscribed to.
    func publishBars(_ bars: [AlpacaDataMessage]) {
        publish(bars) { client, m in client.symbols.contains("*") || client.symbols.contains(m.S ?? "") }
    }

    /// Every client gets `frame` (a JSON array of messages) as it is; a MessagePack client gets the same messages in
    /// MessagePack, or nothing when the text is not such an array. Returns how many clients there were.
    @discardableResult
    func publish(_ frame: String) -> Int {
        clients.withLock { c in
            var packed: ByteBuffer??
            for client in c.all.values {
                guard client.messagePack else {
                    client.continuation.yield(.text(frame))
                    continue
                }
                if packed == nil {
                    packed = (try? JSONDecoder().decode([AlpacaDataMessage].self, from: Data(frame.utf8))).map(Self.messagePack)
                }
                if let bytes = packed ?? nil { client.continuation.yield(.binary(bytes)) }
            }
            return c.all.count
        }
    }

    /// Each client gets one frame with the messages `wants` picks for it (none when it picks none); clients that
    /// pick the same messages share one encoding of them per format.
    private func publish(_ messages: [AlpacaDataMessage], _ wants: (Client, AlpacaDataMessage) -> Bool) {
        guard !messages.isEmpty else { return }
        clients.withLock { c in
            var encoded: [[Int]: (json: StreamFrame?, pack: StreamFrame?)] = [:]
            for client in c.all.values {
                let picked = messages.indices.filter { wants(client, messages[$0]) }
                guard !picked.isEmpty else { continue }
                var frames = encoded[picked] ?? (nil, nil)
                let frame: StreamFrame
                if client.messagePack {
                    if frames.pack == nil { frames.pack = .binary(Self.messagePack(picked.map { messages[$0] })) }
                    frame = frames.pack!
                } else {
                    if frames.json == nil { frames.json = .text(Self.json(picked.map { messages[$0] })) }
                    frame = frames.json!
                }
                encoded[picked] = frames
                client.continuation.yield(frame)
            }
            encodings.add(encoded.values.reduce(0) { $0 + ($1.json == nil ? 0 : 1) + ($1.pack == nil ? 0 : 1) }, ordering: .relaxed)
        }
    }

    /// `messages` as the data stream's JSON text frame.
    static func json(_ messages: [AlpacaDataMessage]) -> String {
        String(decoding: (try? JSONEncoder().encode(messages)) ?? Data("[]".utf8), as: UTF8.self)
    }

    /// `messages` as the data stream's MessagePack binary frame.
    static func messagePack(_ messages: [AlpacaDataMessage]) -> ByteBuffer {
        ByteBuffer(bytes: MessagePack.array(messages.map(\.messagePack)).encoded())
    }
}
