import Foundation

/// Tick-to-order latency samples: from a step's bars reaching the runtime to each order of that step handed to the
/// broker (strategy, risk manager and journal included; the journal's flush to the device is timed apart, by
/// `FileJournal.flushNanos`, and subtracted here).
public final class LatencyRecorder: @unchecked Sendable {
    public private(set) var samples: [Int64] = []
    var stepStart: UInt64 = 0
    /// Flush time spent since the step started (subtracted from its samples).
    var flushAtStepStart: Int64 = 0

    public init() {}

    @inline(__always) static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    func record(flushSinceStart: Int64) {
        samples.append(Int64(Self.now() - stepStart) - flushSinceStart)
    }

    /// The `q`-quantile (0…1) in nanoseconds (nil without samples).
    public func quantile(_ q: Double) -> Int64? {
        guard !samples.isEmpty else { return nil }
        let sorted = samples.sorted()
        return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * q).rounded()))]
    }
}
