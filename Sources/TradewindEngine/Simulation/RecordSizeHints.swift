import Synchronization

/// How many orders, order-log events, fills and trades the last runs on a `PreparedMarket` produced, so the next
/// run reserves its record lists once instead of growing (and copying) them as it goes. Only a hint: concurrent
/// runs may overwrite each other's figures, and a run that records more simply grows its lists as before.
final class RecordSizeHints: Sendable {
    let orders = Atomic<Int>(0)
    let events = Atomic<Int>(0)
    let fills = Atomic<Int>(0)
    let trades = Atomic<Int>(0)

    /// Remembers a run's counts (the largest seen recently).
    func remember(orders o: Int, events e: Int, fills f: Int, trades t: Int) {
        func raise(_ a: borrowing Atomic<Int>, _ v: Int) {
            if a.load(ordering: .relaxed) < v { a.store(v, ordering: .relaxed) }
        }
        raise(orders, o)
        raise(events, e)
        raise(fills, f)
        raise(trades, t)
    }
}
