import TradewindCore

/// The on-disk layout of a Tradewind bar cache file (`SYMBOL.twc`), version 1. Little-endian.
///
/// ```
/// offset  size  field
///      0     8  magic "TWBARS\0\u{1}"
///      8     4  format version (1)
///     12     4  header length in bytes (a multiple of 64; columns start here)
///     16     8  bar count n
///     24     4  column mask (bit i set = column i present; bits 0–5 always set)
///     28     1  interval unit (0 seconds, 1 day, 2 week, 3 month)
///     29     3  reserved (0)
///     32     8  interval count
///     40     2  symbol length in bytes (≤ 255)
///     42     6  reserved (0)
///     48     8  payload checksum (Checksum64 of every byte after the header)
///     56     8  header checksum (Checksum64 of bytes 0..<56 and the symbol bytes)
///     64     …  symbol, UTF-8, zero-padded to the header length
/// header  …     columns in bit order, each n × 8 bytes (Int64 for time, Float64 for the rest),
///               each zero-padded to a multiple of 64 bytes
/// ```
/// Column bits: 0 time, 1 open, 2 high, 3 low, 4 close, 5 volume, 6 vwap, 7 tradeCount,
/// 8 dividend, 9 splitCoefficient, 10 sourceAdjustedClose.
enum BarCacheFormat {
    static let magic: [UInt8] = Array("TWBARS".utf8) + [0, 1]
    static let version: UInt32 = 1
    static let requiredMask: UInt32 = 0b11_1111
    static let knownMask: UInt32 = 0b111_1111_1111
    static let columnCount = 11

    static func padded(_ bytes: Int) -> Int { (bytes + 63) & ~63 }

    static func headerLength(symbolBytes: Int) -> Int { padded(64 + symbolBytes) }

    static func unitCode(_ u: BarInterval.Unit) -> UInt8 {
        switch u {
        case .seconds: return 0
        case .day: return 1
        case .week: return 2
        case .month: return 3
        }
    }

    static func interval(unit: UInt8, count: Int64) -> BarInterval? {
        guard count > 0, count < Int64(Int32.max) else { return nil }
        switch unit {
        case 0: return BarInterval(seconds: Int(count))
        case 1: return count == 1 ? .daily : BarInterval("\(count)d")
        case 2: return count == 1 ? .weekly : BarInterval("\(count)w")
        case 3: return count == 1 ? .monthly : BarInterval("\(count)mo")
        default: return nil
        }
    }
}
