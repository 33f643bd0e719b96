/// Faults the exchange injects on request, for testing clients' recovery.
extension ExchangeMarket {
    /// Closes every data-stream connection, as a dropped WebSocket does (clients must reconnect, resubscribe and
    /// backfill the bars they missed); the bars played until they are back go to nobody. Returns how many were open.
    @discardableResult
    public func dropDataStreams() -> Int { barUpdates.disconnectAll() }

    /// Sends `frame` as it is (malformed, an unknown type, a repeated or out-of-order bar, an error code…) to every
    /// data-stream connection, after what was already queued for it. Returns how many there were.
    @discardableResult
    public func sendDataStreamFrame(_ frame: String) -> Int { barUpdates.publish(frame) }
}

extension ExchangeMarket {
    /// Data-stream connections subscribed to at least one symbol's bars.
    public var dataStreamSubscribers: Int { barUpdates.subscribed }
}
