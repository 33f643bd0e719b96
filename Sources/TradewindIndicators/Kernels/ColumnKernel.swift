#if canImport(Glibc)
import Glibc
#endif
import Dispatch

/// Specialised batch kernels for the core indicators (SMA, EMA, RSI, BBANDS, MACD, ATR, ADX, STOCH, VWAP and
/// the moving averages behind MA/BBANDS/STOCH).
///
/// Each kernel is the streaming state's `update` unrolled over whole columns: the same floating-point
/// operations in the same order (so the values are bit-identical to feeding the state bar by bar), but as
/// tight loops over raw buffers that write straight into the preallocated output columns, with no per-bar
/// optionals, rings or output copies. A kernel always starts from the state's initial (fresh) state and
/// reads only its constants (periods, smoothing factors).
enum ColumnKernel {
    /// A column of `n` doubles whose storage the caller fills completely before reading it. Large columns
    /// ask the kernel for transparent huge pages first (as NumPy does): a fresh 8 MB column otherwise costs
    /// thousands of page faults, which can take longer than the indicator itself.
    @inline(__always)
    static func uninitialized(_ n: Int) -> [Double] {
        [Double](unsafeUninitializedCapacity: n) { buffer, count in
            if let base = buffer.baseAddress { adviseHugePages(UnsafeMutableRawPointer(base), bytes: n * 8) }
            count = n
        }
    }

    /// Marks the 2 MB-aligned interior of a large, untouched allocation as a huge-page candidate (Linux only;
    /// a hint: nothing changes if the kernel ignores it).
    @inline(__always)
    static func adviseHugePages(_ start: UnsafeMutableRawPointer, bytes: Int) {
        #if os(Linux)
        let huge = 1 << 21
        guard bytes >= 2 * huge else { return }
        let first = (Int(bitPattern: start) + huge - 1) & ~(huge - 1)
        let last = (Int(bitPattern: start) + bytes) & ~(huge - 1)
        if last > first, let p = UnsafeMutableRawPointer(bitPattern: first) {
            _ = madvise(p, last - first, Int32(MADV_HUGEPAGE))
        }
        #endif
    }

    /// One output column computed by `body` into its raw storage (`n` may be 0).
    @inline(__always)
    static func column(_ n: Int, _ body: (UnsafeMutablePointer<Double>) -> Void) -> [Double] {
        var out = uninitialized(n)
        if n > 0 { out.withUnsafeMutableBufferPointer { body($0.baseAddress!) } }
        return out
    }

    /// Three output columns computed together by `body` into their raw storage. Large columns are first
    /// faulted in on two threads (see `prefault`).
    @inline(__always)
    static func columns3(_ n: Int, _ body: (UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>,
                                            UnsafeMutablePointer<Double>) -> Void) -> [[Double]] {
        var a = uninitialized(n), b = uninitialized(n), c = uninitialized(n)
        if n > 0 {
            a.withUnsafeMutableBufferPointer { pa in
                b.withUnsafeMutableBufferPointer { pb in
                    c.withUnsafeMutableBufferPointer { pc in
                        prefault([pa.baseAddress!, pb.baseAddress!, pc.baseAddress!], count: n)
                        body(pa.baseAddress!, pb.baseAddress!, pc.baseAddress!)
                    }
                }
            }
        }
        return [a, b, c]
    }

    /// Columns at least this long are pre-faulted on two threads.
    static let prefaultThreshold = 1 << 18

    /// Touches one double per 4 KB page of fresh, not yet initialised columns, splitting the pages between
    /// two threads. A fresh multi-megabyte column costs the kernel a page fault and a page clear per page
    /// (more than the arithmetic of a whole multi-line indicator); two cores take those faults in parallel.
    /// Only memory is touched, never values: the result is the same on any number of cores.
    static func prefault(_ columns: [UnsafeMutablePointer<Double>], count n: Int) {
        guard n >= prefaultThreshold else { return }
        let addresses = columns.map { Int(bitPattern: $0) }
        let pageStride = 512
        let pages = (n + pageStride - 1) / pageStride
        let total = pages * addresses.count
        DispatchQueue.concurrentPerform(iterations: 2) { part in
            // Part 0 takes the first half of all pages (column after column), part 1 the rest.
            let from = part == 0 ? 0 : total / 2
            let to = part == 0 ? total / 2 : total
            for k in from..<to {
                let base = UnsafeMutablePointer<Double>(bitPattern: addresses[k / pages])!
                base[(k % pages) * pageStride] = 0
            }
        }
    }

    /// Two output columns computed together by `body` into their raw storage.
    @inline(__always)
    static func columns2(_ n: Int, _ body: (UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>) -> Void) -> [[Double]] {
        var a = uninitialized(n), b = uninitialized(n)
        if n > 0 {
            a.withUnsafeMutableBufferPointer { pa in
                b.withUnsafeMutableBufferPointer { pb in body(pa.baseAddress!, pb.baseAddress!) }
            }
        }
        return [a, b]
    }

    /// Writes NaN to `out[from..<to]` (clamped to an empty range when `to <= from`).
    @inline(__always)
    static func fillNaN(_ out: UnsafeMutablePointer<Double>, from: Int = 0, to: Int) {
        if to > from { (out + from).update(repeating: .nan, count: to - from) }
    }
}
