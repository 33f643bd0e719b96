import Foundation
import TradewindCore
import TradewindEngine

/// Recorded bars played back as a live feed: every instant at which any symbol has a bar (the union of their
/// times, as a backtest steps), within a period, at a chosen speed.
public struct ReplayFeed: MarketFeed {
    /// How fast recorded time passes.
    public enum Speed: Sendable, Hashable {
        /// As fast as the runtime takes the bars.
        case max
        /// `factor` seconds of market time per second (60 = an hour a minute).
        case factor(Double)
    }

    public let symbols: [String]
    public let interval: BarInterval
    public let speed: Speed
    /// Steps per batch at full speed.
    public let batchSize: Int
    /// Every step the replay delivers, in order.
    public let timeline: [FeedStep]

    /// A replay of `data` (bars starting in `[from, to)`). Throws `BacktestError.noData` as a backtest would for
    /// an empty period or a bar with a non-finite price.
    public init(_ data: MarketDataset, from: UnixNanos? = nil, to: UnixNanos? = nil, speed: Speed = .max,
                batchSize: Int = 4096) throws(BacktestError) {
        let series = try data.simulatedSeries(from: from, to: to)
        symbols = series.map(\.symbol)
        interval = series.map(\.interval).min() ?? .daily
        self.speed = speed
        self.batchSize = max(batchSize, 1)
        timeline = Self.merge(series)
    }

    /// Number of steps the replay delivers.
    public var stepCount: Int { timeline.count }

    /// Merges the series' bars into time steps (a k-way walk over the sorted times): every bar in one array, each
    /// step a slice of it.
    static func merge(_ series: [BarSeries]) -> [FeedStep] {
        var next = Array(repeating: 0, count: series.count)
        var bars: [StreamedBar] = []
        bars.reserveCapacity(series.reduce(0) { $0 + $1.count })
        var bounds: [(time: UnixNanos, start: Int)] = []
        while true {
            var t = UnixNanos.max
            for (s, x) in series.enumerated() where next[s] < x.count { t = min(t, x.time[next[s]]) }
            if t == .max { break }
            bounds.append((t, bars.count))
            for (s, x) in series.enumerated() where next[s] < x.count && x.time[next[s]] == t {
                let k = next[s]
                bars.append(StreamedBar(symbol: s, open: x.open[k], high: x.high[k], low: x.low[k], close: x.close[k],
                                        volume: x.volume[k], dividend: x.dividend?[k] ?? 0,
                                        splitCoefficient: x.splitCoefficient?[k] ?? 1))
                next[s] += 1
            }
        }
        return bounds.indices.map { i in
            let end = i + 1 < bounds.count ? bounds[i + 1].start : bars.count
            return FeedStep(time: bounds[i].time, bars: bars[bounds[i].start..<end])
        }
    }

    public func steps() -> AsyncThrowingStream<ArraySlice<FeedStep>, any Error> {
        let timeline = timeline, speed = speed, batch = batchSize, interval = interval
        return AsyncThrowingStream { continuation in
            let task = Task {
                var k = 0
                switch speed {
                case .max:
                    while k < timeline.count && !Task.isCancelled {
                        let end = min(k + batch, timeline.count)
                        continuation.yield(timeline[k..<end])
                        k = end
                    }
                case .factor(let factor):
                    let clock = ContinuousClock()
                    let start = clock.now
                    let origin = timeline.first?.time ?? 0
                    while k < timeline.count && !Task.isCancelled {
                        // A bar is delivered when it completes: its start plus the interval, in replayed time.
                        let due = Double(timeline[k].time - origin + interval.nominalNanos) / 1e9 / factor
                        let wait = start.advanced(by: .seconds(due)) - clock.now
                        if wait > .zero { try? await Task.sleep(for: wait) }
                        continuation.yield(timeline[k...k])
                        k += 1
                    }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
