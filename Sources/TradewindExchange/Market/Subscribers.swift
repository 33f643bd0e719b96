import Foundation
import Synchronization
import TradewindAlpaca

/// The clients of one stream: each has a bounded queue of text frames (a client too slow to keep up loses the
/// oldest frames rather than holding the market back).
final class Subscribers: Sendable {
    struct Client {
        let continuation: AsyncStream<String>.Continuation
        /// Symbols whose bars it wants (`*`: all); unused by `trade_updates`.
        var symbols: Set<String>
        /// Symbols whose trades and quotes it wants (data stream only).
        var trades: Set<String> = []
        var quotes: Set<String> = []
    }

    private let clients = Mutex<(next: Int, all: [Int: Client])>((0, [:]))

    /// A new client's id and frames.
    func connect(symbols: Set<String> = []) -> (id: Int, frames: AsyncStream<String>) {
        let (stream, continuation) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(100_000))
        let id = clients.withLock { c in
            c.next += 1
            c.all[c.next] = Client(continuation: continuation, symbols: symbols)
            return c.next
        }
        return (id, stream)
    }

    func disconnect(_ id: Int) {
        clients.withLock { $0.all.removeValue(forKey: id) }?.continuation.finish()
    }

    /// Clients subscribed to at least one symbol (bars, trades or quotes).
    var subscribed: Int {
        clients.withLock { $0.all.values.count { !$0.symbols.isEmpty || !$0.trades.isEmpty || !$0.quotes.isEmpty } }
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
        guard !messages.isEmpty else { return }
        let encoder = JSONEncoder()
        clients.withLock { c in
            for client in c.all.values where !client.trades.isEmpty || !client.quotes.isEmpty {
                let mine = messages.filter { m in
                    let wanted = m.T == "t" ? client.trades : client.quotes
                    return wanted.contains("*") || wanted.contains(m.S ?? "")
                }
                guard !mine.isEmpty, let data = try? encoder.encode(mine) else { continue }
                client.continuation.yield(String(decoding: data, as: UTF8.self))
            }
        }
    }

    /// Every client gets `frame`; returns how many clients there were.
    @discardableResult
    func publish(_ frame: String) -> Int {
        clients.withLock { c in
            for client in c.all.values { client.continuation.yield(frame) }
            return c.all.count
        }
    }

    /// Each client gets one frame with the bars of the symbols it subscribed.
    func publishBars(_ bars: [(String, AlpacaBar)]) {
        guard !bars.isEmpty else { return }
        let encoder = JSONEncoder()
        clients.withLock { c in
            for client in c.all.values {
                let mine = bars.filter { client.symbols.contains("*") || client.symbols.contains($0.0) }
                guard !mine.isEmpty, let data = try? encoder.encode(mine.map { AlpacaDataMessage.bar($0.0, $0.1) }) else { continue }
                client.continuation.yield(String(decoding: data, as: UTF8.self))
            }
        }
    }
}
