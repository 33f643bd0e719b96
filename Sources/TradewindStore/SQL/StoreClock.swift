import Foundation
import TradewindCore

/// The store's clock: instants as `UnixNanos` (UTC nanoseconds), truncated to microseconds so that every
/// backend keeps them exactly.
public enum StoreClock {
    /// Now, in UTC nanoseconds (microsecond resolution).
    public static func now() -> UnixNanos {
        let t = Date().timeIntervalSince1970
        return Int64((t * 1_000_000).rounded(.down)) * 1_000
    }
}
