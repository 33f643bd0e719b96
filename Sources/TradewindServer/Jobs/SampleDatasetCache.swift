import Synchronization
import TradewindCore
import TradewindData

/// The bundled samples (`sample:NAME`) a server has loaded, kept parsed: they are files installed with Tradewind that
/// never change while it runs, and parsing them again was most of a `POST /api/backtest` on bundled data. Files and
/// directories under the server's home are read on every request (they may change); only samples are kept.
///
/// Holds at most `capacity` datasets (one per sample, symbol list, zone and adjustment); the least recently used one
/// goes first.
final class SampleDatasetCache: Sendable {
    struct Key: Hashable, Sendable {
        var spec: String
        var symbols: [String]?
        var zone: ZoneRules
        var adjust: AdjustmentMode
    }

    private struct Entry {
        var data: MarketDataset
        var lastUse: UInt64
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        var clock: UInt64 = 0
    }

    let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int = 16) {
        self.capacity = max(1, capacity)
    }

    /// Whether `spec` names data this cache keeps.
    static func keeps(_ spec: String) -> Bool { spec.hasPrefix("sample:") }

    /// The dataset of `key`, loading it with `load` (outside the lock) when it is not kept yet.
    func dataset(_ key: Key, load: () throws -> MarketDataset) throws -> MarketDataset {
        let kept = state.withLock { s -> MarketDataset? in
            guard var entry = s.entries[key] else { return nil }
            s.clock += 1
            entry.lastUse = s.clock
            s.entries[key] = entry
            return entry.data
        }
        if let kept { return kept }
        let loaded = try load()
        state.withLock { s in
            s.clock += 1
            s.entries[key] = Entry(data: loaded, lastUse: s.clock)
            while s.entries.count > capacity, let oldest = s.entries.min(by: { $0.value.lastUse < $1.value.lastUse })?.key {
                s.entries[oldest] = nil
            }
        }
        return loaded
    }

    /// How many datasets are kept.
    var count: Int { state.withLock { $0.entries.count } }
}
