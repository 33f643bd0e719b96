import TradewindCore

extension BarCache {
    /// The bytes read in one piece: a piece is checksummed and checked while it is still in the processor's cache.
    static let readPiece = 1 << 20

    /// Reads `count` values of `T` at `offset` of `raw` into a new array, `readPiece` bytes at a time, and hands each
    /// piece (and the index of its first value) to `visit` right after it is read. The array's pages are asked for as
    /// huge pages and, where `threads` allows a helper, populated by one while they are written (`PagePopulation`).
    static func readColumn<T: BitwiseCopyable>(_ raw: some CacheBytes, at offset: Int, count: Int, as _: T.Type,
                                               threads: ThreadBudget,
                                               _ visit: (UnsafeRawBufferPointer, Int) -> Void) throws(DataError) -> [T] {
        let stride = MemoryLayout<T>.stride, total = count * stride
        var failure: DataError?
        let values = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            initialized = 0
            guard count > 0, let base = buffer.baseAddress else { return }
            let bytes = UnsafeMutableRawPointer(base)
            MemoryPolicy.adviseHugePages(bytes, bytes: total)
            var done = 0
            PagePopulation.whilePopulating([(start: bytes, bytes: total)], threads: threads) {
                while done < total {
                    let length = min(readPiece, total - done)
                    do throws(DataError) { try raw.copy(to: bytes + done, length: length, from: offset + done) } catch {
                        failure = error
                        return
                    }
                    visit(UnsafeRawBufferPointer(start: bytes + done, count: length), done / stride)
                    done += length
                }
            }
            guard failure == nil else { return }
            initialized = count
        }
        if let failure { throw failure }
        return values
    }
}

/// The state of one cache file's column reads, shared by the thread that reads the first columns and the helper
/// that reads the rest (`BarCache.decode`). Each slot is written by one of them only (the first part's thread owns
/// `payload` and `timeCheck`), and the owner reads the slots after both have finished (`ThreadBudget.forEach` returns
/// only then): no slot is ever accessed by two threads at once.
final class ColumnReads: @unchecked Sendable {
    var time: [Int64] = []
    var doubles: [[Double]?]
    var failures: [DataError?]
    var payload = Checksum64.Stream()
    var timeCheck = BarTimeCheck()

    init(columns: Int) {
        doubles = Array(repeating: nil, count: BarCacheFormat.columnCount)
        failures = Array(repeating: nil, count: columns)
    }
}

/// The bar times' contract (strictly ascending, within the years the loaders accept), checked piece by piece as the
/// time column is read; the first bar that breaks it is kept.
struct BarTimeCheck {
    private var previous = Int64.min
    private(set) var fault: (bar: Int, time: Int64, ascending: Bool)?

    mutating func check(_ piece: UnsafeRawBufferPointer, firstBar: Int) {
        guard fault == nil else { return }
        let times = piece.bindMemory(to: Int64.self)
        for (k, t) in times.enumerated() {
            if !(t > previous && TimestampParsing.instantRange.contains(t)) {
                fault = (firstBar + k, t, t > previous)
                return
            }
            previous = t
        }
    }
}

/// A value handed to a helper thread that only reads it where the reads are safe at once (`pread` on one file).
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
