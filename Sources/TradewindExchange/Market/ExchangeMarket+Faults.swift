/// Faults the exchange injects on request, for testing clients' recovery.
extension ExchangeMarket {
    /// Closes every data-stream connection, as a dropped WebSocket does (clients must reconnect, resubscribe and
    /// backfill the bars they missed); the bars played until they are back go to nobody. Returns how many were open.
    @discardableResult
    public func dropDataStreams() -> Int { barUpdates.disconnectAll() }
}

extension ExchangeMarket {
    /// Data-stream connections subscribed to at least one symbol's bars.
    public var dataStreamSubscribers: Int { barUpdates.subscribed }
}
