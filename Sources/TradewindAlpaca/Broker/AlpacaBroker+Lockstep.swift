/// What `tradewind exchange` says about its streams (`GET /tradewind/streams`, a Tradewind extension, not Alpaca's).
public struct ExchangeStreams: Codable, Sendable, Hashable {
    /// Data-stream clients subscribed to something.
    public var dataSubscribers: Int
    /// `trade_updates` events published so far (each listening client gets every one).
    public var tradeUpdatesPublished: Int

    public init(dataSubscribers: Int, tradeUpdatesPublished: Int) {
        self.dataSubscribers = dataSubscribers
        self.tradeUpdatesPublished = tradeUpdatesPublished
    }
}

/// Why a lockstep catch-up with `tradewind exchange` failed.
public struct LockstepError: Error, Sendable, CustomStringConvertible {
    public let received: Int
    public let published: Int
    public var description: String {
        "lockstep: the exchange published \(published) trade_updates events but only \(received) arrived in time; is the trade_updates stream connected?"
    }
}

extension AlpacaBroker {
    /// Lockstep with `tradewind exchange` (only there: it asks the exchange's `GET /tradewind/streams`): waits until
    /// every `trade_updates` event the exchange has published has arrived here, at most `timeout`. Called before each
    /// bar (`tradewind trade --lockstep`), it books each fill on the bar the exchange made it, as a backtest does,
    /// although the bars and the events come on two connections. Events the exchange published before this
    /// connection listened (an earlier run, another client, the time a reconnect took) never arrive: the count is
    /// taken as a baseline on the first call of each connection, when none of this run's events is in flight.
    public func catchUpWithExchange(timeout: Duration = .seconds(60)) async throws {
        let published = try await client.get(ExchangeStreams.self, "/tradewind/streams").tradeUpdatesPublished
        let epoch = connectionEpoch
        if lockstepBaseline.epoch != epoch { lockstepBaseline = (epoch, max(0, published - eventsReceived)) }
        let expected = published - lockstepBaseline.missed
        let deadline = ContinuousClock.now + timeout
        while eventsReceived < expected {
            guard ContinuousClock.now < deadline else { throw LockstepError(received: eventsReceived, published: expected) }
            try await Task.sleep(for: .microseconds(200))
        }
    }
}
