import CSystem

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
}
