import TradewindCore
import TradewindML

/// A window's position: its symbol (an index into the set's symbols) and the bar it ends on (the decision bar).
public struct WindowSample: Sendable, Equatable, Hashable {
    public let symbol: Int
    public let row: Int
}

/// Windows of scaled features with their outcomes, batched for the universal BiGRU: x [n, window, 18], the
/// next-day class and the next-day % change (0 and NEUTRAL where the next bar is not known yet).
public struct WindowSet: TrainingData, Sendable {
    public let symbols: [String]
    /// Each symbol's bar times.
    public let times: [[UnixNanos]]
    /// Each symbol's scaled features, row-major (`FeatureTable.width` per bar).
    let scaled: [[Float]]
    public let window: Int
    public let samples: [WindowSample]
    public let labels: [Int]
    public let targets: [Float]

    public var count: Int { samples.count }

    /// The decision time of sample `i` (its window's last bar).
    public func time(of i: Int) -> UnixNanos { times[samples[i].symbol][samples[i].row] }

    /// The samples at `indices`, in that order (for splits).
    func subset(_ indices: [Int]) -> WindowSet {
        WindowSet(symbols: symbols, times: times, scaled: scaled, window: window, samples: indices.map { samples[$0] },
                  labels: indices.map { labels[$0] }, targets: indices.map { targets[$0] })
    }

    /// Sample `i`'s window, `window × FeatureTable.width` values.
    public func features(of i: Int) -> ArraySlice<Float> {
        let s = samples[i], w = FeatureTable.width
        return scaled[s.symbol][((s.row - window + 1) * w)..<((s.row + 1) * w)]
    }

    public func batch(_ indices: [Int]) throws(MLError) -> UniversalBiGRU.Batch {
        var x: [Float] = []
        x.reserveCapacity(indices.count * window * FeatureTable.width)
        for i in indices { x.append(contentsOf: features(of: i)) }
        return UniversalBiGRU.Batch(x: try Tensor(shape: [indices.count, window, FeatureTable.width], scalars: x),
                                    labels: indices.map { labels[$0] },
                                    targets: try Tensor(shape: [indices.count], scalars: indices.map { targets[$0] }))
    }
}
