import Foundation

/// Tick-to-order latency: from a step's bars reaching the runtime to each order of that step handed to the broker
/// (strategy, risk manager and journal included; the journal's flush to the device is timed apart, by
/// `FileJournal.flushNanos`, and subtracted here).
///
/// A bot runs for months, so the recorder keeps a fixed-size histogram (Prometheus' cumulative buckets, exported by
/// the server at `/metrics`), not every sample; a benchmark that wants exact quantiles asks for the samples too.
public final class LatencyRecorder: @unchecked Sendable {
    /// Upper bounds of the histogram's buckets in nanoseconds, 5 µs to 1 s (and an implicit +Inf bucket).
    public static let bucketBounds: [Int64] = [
        5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000,
        1_000_000, 2_500_000, 5_000_000, 10_000_000, 25_000_000, 50_000_000, 100_000_000, 250_000_000, 500_000_000,
        1_000_000_000,
    ]

    /// The histogram so far: orders counted per bucket (not cumulative; the last entry counts those above 1 s),
    /// their number and their summed latency.
    public struct Histogram: Sendable, Equatable {
        public var counts = [Int](repeating: 0, count: LatencyRecorder.bucketBounds.count + 1)
        public var count = 0
        public var sumNanos: Int64 = 0

        /// An empty histogram.
        public init() {}

        /// The upper bound of the bucket holding the `q`-quantile (0…1; the same order statistic as `quantile`), in
        /// nanoseconds: an estimate no lower than the exact quantile (nil without samples; `Int64.max` when it lies beyond the last bound).
        public func quantileUpperBound(_ q: Double) -> Int64? {
            guard count > 0 else { return nil }
            let rank = LatencyRecorder.quantileIndex(q, count: count) + 1
            var seen = 0
            for (i, n) in counts.enumerated() {
                seen += n
                if seen >= rank { return i < LatencyRecorder.bucketBounds.count ? LatencyRecorder.bucketBounds[i] : .max }
            }
            return .max
        }
    }

    public private(set) var histogram = Histogram()
    /// Every sample in nanoseconds, kept only when the recorder was made with `keepingSamples: true`.
    public private(set) var samples: [Int64] = []
    private let keepsSamples: Bool
    private let lock = NSLock()
    var stepStart: UInt64 = 0
    /// Flush time spent since the step started (subtracted from its samples).
    var flushAtStepStart: Int64 = 0

    /// A recorder holding the histogram only, or every sample as well (for a benchmark's exact quantiles).
    public init(keepingSamples: Bool = false) {
        keepsSamples = keepingSamples
    }

    @inline(__always) static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    func record(flushSinceStart: Int64) {
        add(Int64(Self.now() - stepStart) - flushSinceStart)
    }

    /// Adds one latency in nanoseconds (negative values, from a clock read out of order, count as 0).
    public func add(_ nanos: Int64) {
        let value = max(0, nanos)
        var bucket = Self.bucketBounds.count
        for (i, bound) in Self.bucketBounds.enumerated() where value <= bound {
            bucket = i
            break
        }
        lock.lock()
        defer { lock.unlock() }
        histogram.counts[bucket] += 1
        histogram.count += 1
        histogram.sumNanos &+= value
        if keepsSamples { samples.append(value) }
    }

    /// A copy of the histogram, safe to read while the runtime goes on recording.
    public func snapshot() -> Histogram {
        lock.lock()
        defer { lock.unlock() }
        return histogram
    }

    /// The exact `q`-quantile (0…1) of the kept samples in nanoseconds (nil without samples, or when the recorder
    /// keeps only the histogram: use `snapshot().quantileUpperBound`).
    public func quantile(_ q: Double) -> Int64? {
        guard !samples.isEmpty else { return nil }
        return samples.sorted()[Self.quantileIndex(q, count: samples.count)]
    }

    /// The index, in ascending order, of the sample taken as the `q`-quantile of `count` samples (nearest rank).
    static func quantileIndex(_ q: Double, count: Int) -> Int {
        min(count - 1, Int((Double(count - 1) * min(max(q, 0), 1)).rounded()))
    }
}
