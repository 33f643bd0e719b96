import Foundation
import TradewindCore

extension TradingRuntime {
    /// What the live loop waits for: the feed's next batch, a clock tick, or the feed's end.
    private enum LiveInput: Sendable {
        case batch(ArraySlice<FeedStep>)
        case tick
        case feedEnded
    }

    /// Trades a live feed against the real clock: feed batches and clock ticks (every `clockTick`) are handled one at a
    /// time, in arrival order, on this task, so scheduled events run on time and a session closes when the clock
    /// says so, even when no bar comes (a halted symbol, a quiet feed, the close).
    func tradeInRealTime(_ feed: some MarketFeed, epoch: inout Int) async throws {
        let (inputs, sink) = AsyncThrowingStream<LiveInput, any Error>.makeStream()
        let tick = clockTick
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    for try await batch in feed.steps() { sink.yield(.batch(batch)) }
                    sink.yield(.feedEnded)
                } catch {
                    sink.finish(throwing: error)
                }
            }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: tick)
                    sink.yield(.tick)
                }
            }
            defer { group.cancelAll() }
            for try await input in inputs {
                switch input {
                case .batch(let batch):
                    try await consume(batch, epoch: &epoch)
                case .tick:
                    try clockAdvanced(to: wallClock())
                    onBatch?(currentStatus())
                case .feedEnded:
                    return
                }
                if Task.isCancelled { return }
            }
        }
    }

    /// The wall clock in nanoseconds since the Unix epoch (UTC).
    public static func systemClock() -> UnixNanos {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return UnixNanos(ts.tv_sec) * 1_000_000_000 + UnixNanos(ts.tv_nsec)
    }
}
