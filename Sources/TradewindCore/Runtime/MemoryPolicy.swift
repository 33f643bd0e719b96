import CTradewindSystem
#if canImport(Glibc)
import Glibc
#endif

/// How the process's allocator treats the large, short-lived columns that backtests and optimizations create
/// (an equity curve of a year of minute bars is ~0.8 MB per column, and an optimization makes thousands).
public enum MemoryPolicy {
    /// Keeps freed large blocks inside the process instead of returning them to the kernel (glibc on Linux;
    /// a no-op elsewhere).
    ///
    /// By default glibc serves blocks over 128 KiB–32 MiB with fresh `mmap`s and gives freed memory back
    /// with `munmap`/heap trimming, so every run pays a page fault per 4 KiB it writes: on a one-year minute
    /// backtest that is more time than the simulation itself. With this policy such blocks come from the
    /// heap and are reused by the next run. Call once, at process start (the `tradewind` command does);
    /// the cost is that the process keeps its peak heap until it exits.
    ///
    /// Opt-in, by executables only: the setting is process-wide, so no Tradewind library calls it. A server
    /// embedding the libraries decides for itself (a long-running process may prefer glibc's defaults, which
    /// return memory to the system).
    public static func keepFreedMemoryInProcess() {
        #if canImport(Glibc)
        _ = mallopt(M_MMAP_THRESHOLD, 32 << 20)     // the largest value glibc accepts on 64-bit
        _ = mallopt(M_TRIM_THRESHOLD, Int32.max)
        #endif
    }

    /// Marks the 2 MiB-aligned interior of a large allocation that nothing has touched yet as a transparent
    /// huge page candidate (Linux; a hint, nothing changes where the kernel ignores it). A fresh 8 MB column
    /// otherwise costs 2,048 page faults when it is first written; with huge pages, four. Only the memory of
    /// the allocation itself is affected (whole huge pages inside it), so it is safe for libraries to call on
    /// buffers they own. Buffers under 4 MiB are left alone.
    @inline(__always)
    public static func adviseHugePages(_ start: UnsafeMutableRawPointer, bytes: Int) {
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
}
