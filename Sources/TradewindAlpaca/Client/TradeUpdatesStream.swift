import Foundation
import HummingbirdWSClient
import Logging
import Synchronization
import TradewindProviders

/// The `trade_updates` stream: connects, authenticates, listens, and hands every event to `onEvent`; when the
/// connection drops it reconnects (backing off up to 5 s) and counts a new epoch, so the broker catches up on what
/// it missed from REST. Frames may be text or binary JSON.
public final class TradeUpdatesStream: Sendable {
    public enum State: Sendable, Equatable {
        case connecting
        case listening(epoch: Int)
        /// The keys were refused: the stream stops.
        case refused(String)
    }

    let url: String
    let credentials: AlpacaCredentials
    let onEvent: @Sendable (AlpacaTradeUpdate) -> Void
    private let state = Mutex<State>(.connecting)
    private let task = Mutex<Task<Void, Never>?>(nil)
    private let malformed = Atomic<Int>(0)
    private let listenedEpoch = Mutex<Int>(-1)
    private let received = Atomic<Int>(0)

    public init(url: String, credentials: AlpacaCredentials, onEvent: @escaping @Sendable (AlpacaTradeUpdate) -> Void) {
        self.url = url
        self.credentials = credentials
        self.onEvent = onEvent
    }

    public var current: State { state.withLock { $0 } }
    /// `trade_updates` events received so far.
    public var eventsReceived: Int { received.load(ordering: .acquiring) }
    /// Frames that were not a `trade_updates` event nor a status (logged and skipped).
    public var malformedFrames: Int { malformed.load(ordering: .relaxed) }

    /// Starts the connection loop and waits (at most `timeout`) until the first `listening`; throws when the keys
    /// are refused or no connection was made in time.
    public func start(timeout: Duration = .seconds(10)) async throws(AlpacaError) {
        task.withLock { t in
            guard t == nil else { return }
            t = Task { await self.run() }
        }
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            switch current {
            case .listening: return
            case .refused(let why): throw .http(status: 401, code: nil, message: why, path: "/stream")
            case .connecting: try? await Task.sleep(for: .milliseconds(5))
            }
        }
        throw .unreachable(path: "/stream", detail: "no trade_updates stream after \(timeout)")
    }

    /// Closes the stream for good.
    public func stop() {
        task.withLock { $0?.cancel() }
    }

    private func run() async {
        var logger = Logger(label: "tradewind.alpaca.stream")
        logger.logLevel = .critical
        var epoch = -1
        var failures = 0
        while !Task.isCancelled {
            let nextEpoch = epoch + 1
            do {
                try await WebSocketClient.connect(url: url, logger: logger) { inbound, outbound, _ in
                    let auth = AlpacaStreamAction(action: "auth", key: self.credentials.keyID, secret: self.credentials.secretKey)
                    try await outbound.write(.text(String(decoding: try AlpacaJSON.encoder().encode(auth), as: UTF8.self)))
                    for try await message in inbound.messages(maxSize: 1 << 22) {
                        let data = message.payload
                        let decoder = AlpacaJSON.decoder()
                        if let e = try? decoder.decode(AlpacaStreamEnvelope<AlpacaTradeUpdate>.self, from: data), e.stream == "trade_updates" {
                            self.onEvent(e.data)
                            self.received.add(1, ordering: .releasing)
                        } else if let s = try? decoder.decode(AlpacaStreamEnvelope<AlpacaStreamStatus>.self, from: data) {
                            switch s.stream {
                            case "authorization" where s.data.status == "authorized":
                                let listen = AlpacaStreamAction(action: "listen", data: .init(streams: ["trade_updates"]))
                                try await outbound.write(.text(String(decoding: try AlpacaJSON.encoder().encode(listen), as: UTF8.self)))
                            case "authorization":
                                self.state.withLock { $0 = .refused(s.data.message ?? "access key verification failed") }
                                return
                            case "listening":
                                self.listenedEpoch.withLock { $0 = nextEpoch }
                                self.state.withLock { $0 = .listening(epoch: nextEpoch) }
                            default:
                                self.malformed.add(1, ordering: .relaxed)
                            }
                        } else {
                            self.malformed.add(1, ordering: .relaxed)
                        }
                    }
                }
            } catch {
                // Dropped or refused connection: retried below.
            }
            if case .refused = current { return }
            if listenedEpoch.withLock({ $0 }) == nextEpoch {
                epoch = nextEpoch
                failures = 0
            } else {
                failures += 1
            }
            state.withLock { if case .listening = $0 { $0 = .connecting } }
            let backoff = min(0.05 * pow(2, Double(min(failures, 7))), 5)
            try? await Task.sleep(for: .seconds(backoff))
        }
    }
}
