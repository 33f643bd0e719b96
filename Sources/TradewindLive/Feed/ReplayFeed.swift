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
    /// The warm-up steps before `timeline` (`warmupSteps(_:)`).
    public let history: [FeedStep]

    /// A replay of `data` (bars starting in `[from, to)`), of which the first `warmup` steps are history for a run's
    /// warm-up (`warmupSteps(_:)`, as `BacktestConfig.warmup` counts them) and the rest are played. Throws
    /// `BacktestError.noData` as a backtest would for an empty period or a bar with a non-finite price.
    public init(_ data: MarketDataset, from: UnixNanos? = nil, to: UnixNanos? = nil, speed: Speed = .max,
                batchSize: Int = 4096, warmup: Int = 0) throws(BacktestError) {
        let series = try data.simulatedSeries(from: from, to: to)
        symbols = series.map(\.symbol)
        interval = series.map(\.interval).min() ?? .daily
        self.speed = speed
        self.batchSize = max(batchSize, 1)
        let all = FeedStep.steps(of: series)
        let k = min(max(warmup, 0), all.count)
        history = Array(all[..<k])
        timeline = Array(all[k...])
    }

    /// The last `count` of the replay's warm-up steps.
    public func warmupSteps(_ count: Int) async throws -> [FeedStep] { Array(history.suffix(max(count, 0))) }

    /// Number of steps the replay delivers.
    public var stepCount: Int { timeline.count }

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
