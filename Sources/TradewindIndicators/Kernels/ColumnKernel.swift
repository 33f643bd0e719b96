#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Synchronization
import TradewindCore

/// Process-wide settings of the indicator kernels.
public enum IndicatorKernels {
    private static let probing = Atomic<Bool>(false)

    /// Whether a kernel that may take a second thread (within its `ThreadBudget`) first checks that a core is
    /// idle right now (Linux: fewer runnable threads than online cores in `/proc/loadavg`), and stays on one
    /// thread when none is: a helper that has to share a core with another process makes a kernel slower than
    /// one thread.
    ///
    /// Off by default: library callers get exactly the budget they pass, with no probing of the machine.
    /// The `tradewind` executable turns it on at start (it runs one job at a time on a machine it does not
    /// own); a server that divides the cores between its own jobs should leave it off. Values never depend
    /// on it.
    public static var probesIdleCores: Bool {
        get { probing.load(ordering: .relaxed) }
        set { probing.store(newValue, ordering: .relaxed) }
    }
}

/// Specialised batch kernels for the core indicators (SMA, EMA, RSI, BBANDS, MACD, ATR, ADX, STOCH, VWAP and
/// the moving averages behind MA/BBANDS/STOCH).
///
/// Each kernel is the streaming state's `update` unrolled over whole columns: the same floating-point
/// operations in the same order (so the values are bit-identical to feeding the state bar by bar), but as
/// tight loops over raw buffers that write straight into the preallocated output columns, with no per-bar
/// optionals, rings or output copies. A kernel always starts from the state's initial (fresh) state and
/// reads only its constants (periods, smoothing factors).
///
/// Long columns use more threads where the caller's `ThreadBudget` allows them (`helperAllowed`; see also
/// `IndicatorKernels.probesIdleCores`) and that cannot change a value: the page faults of fresh output
/// columns are taken by a helper thread while the kernel computes (`whilePopulating`), and BBANDS, ATR and
/// VWAP cut a long column where their state depends only on bars from there on (a variance refresh bar, a
/// four-bar step, a session start) and compute the parts concurrently. Every kernel gives the same bits on
/// one thread as on several; the property tests check both against the streaming states.
enum ColumnKernel {
    /// A column of `n` doubles whose storage the caller fills completely before reading it. Large columns
    /// ask the kernel for transparent huge pages first (as NumPy does): a fresh 8 MB column otherwise costs
    /// thousands of page faults. Even with huge pages, clearing fresh pages costs about 0.1 ms per MB here,
    /// as much as the arithmetic of a simple indicator: see `whilePopulating` for taking it off the critical
    /// path.
    @inline(__always)
    static func uninitialized(_ n: Int) -> [Double] {
        [Double](unsafeUninitializedCapacity: n) { buffer, count in
            if let base = buffer.baseAddress { adviseHugePages(UnsafeMutableRawPointer(base), bytes: n * 8) }
            count = n
        }
    }

    /// Marks a large, untouched allocation's interior as a huge-page candidate (`MemoryPolicy.adviseHugePages`).
    @inline(__always)
    static func adviseHugePages(_ start: UnsafeMutableRawPointer, bytes: Int) {
        MemoryPolicy.adviseHugePages(start, bytes: bytes)
    }

    /// One output column computed by `body` into its raw storage (`n` may be 0), its pages populated on a
    /// second thread meanwhile where `threads` allows one (see `whilePopulating`). `populate` false leaves the
    /// pages to `body` (a kernel that already runs on two threads).
    @inline(__always)
    static func column(_ n: Int, populate: Bool = true, threads: ThreadBudget = .all,
                       _ body: (UnsafeMutablePointer<Double>) -> Void) -> [Double] {
        var out = uninitialized(n)
        if n > 0 {
            out.withUnsafeMutableBufferPointer { p in
                let a = p.baseAddress!
                if populate {
                    whilePopulating([a], count: n, threads: threads) { body(a) }
                } else {
                    body(a)
                }
            }
        }
        return out
    }

    /// Two output columns computed together by `body` into their raw storage (see `column`).
    @inline(__always)
    static func columns2(_ n: Int, threads: ThreadBudget = .all,
                         _ body: (UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>) -> Void) -> [[Double]] {
        var a = uninitialized(n), b = uninitialized(n)
        if n > 0 {
            a.withUnsafeMutableBufferPointer { pa in
                b.withUnsafeMutableBufferPointer { pb in
                    let a = pa.baseAddress!, b = pb.baseAddress!
                    whilePopulating([a, b], count: n, threads: threads) { body(a, b) }
                }
            }
        }
        return [a, b]
    }

    /// Three output columns computed together by `body` into their raw storage (see `column`). `populate`
    /// false leaves the pages to `body` (a kernel that already runs on two threads).
    @inline(__always)
    static func columns3(_ n: Int, populate: Bool = true, threads: ThreadBudget = .all,
                         _ body: (UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>,
                                  UnsafeMutablePointer<Double>) -> Void) -> [[Double]] {
        var a = uninitialized(n), b = uninitialized(n), c = uninitialized(n)
        if n > 0 {
            a.withUnsafeMutableBufferPointer { pa in
                b.withUnsafeMutableBufferPointer { pb in
                    c.withUnsafeMutableBufferPointer { pc in
                        let a = pa.baseAddress!, b = pb.baseAddress!, c = pc.baseAddress!
                        if populate {
                            whilePopulating([a, b, c], count: n, threads: threads) { body(a, b, c) }
                        } else {
                            body(a, b, c)
                        }
                    }
                }
            }
        }
        return [a, b, c]
    }

    /// Columns at least this long (2 MB) have their pages populated on a second thread.
    static let populateThreshold = 1 << 18

    /// Runs `body`, which writes `columns` (each `n` doubles, fresh from `uninitialized`) from front to back,
    /// while a second thread populates their pages with `MADV_POPULATE_WRITE`, front to back from the
    /// second 2 MB chunk of each column on.
    ///
    /// A fresh multi-megabyte column costs a page fault and a page clear per page (per 2 MB with huge
    /// pages): about 0.1 ms per MB here, as much as or more than the arithmetic of a whole indicator. The
    /// populate call maps the pages writable without touching their contents, so it can run while `body`
    /// writes values into the same pages: no value is ever read or written by the second thread, and the
    /// result is the same on any number of cores. `body` takes the faults of the first chunk itself while the
    /// helper gets ahead; populating is slower than most kernels' arithmetic, so `body` then catches up with
    /// the helper near the end instead of taking faults (measured on MACD: ~0.3 ms faster than a helper
    /// working from the back, which leaves `body` faulting the whole front half). When `body` returns the
    /// helper stops after its current chunk (every page is present by then) and is waited for. No helper
    /// starts where the budget or the probe forbids one (`helperAllowed`) or where the allocator reused memory (fewer than 512
    /// pages missing, as `mincore` tells). On kernels without `MADV_POPULATE_WRITE` (before Linux 5.14) the
    /// helper stops at its first call. (This replaces a two-thread pre-fault that wrote zeros and so had to finish before
    /// the kernel started: that made the faults cheaper per page but left them all on the critical path.)
    static func whilePopulating(_ columns: [UnsafeMutablePointer<Double>], count n: Int, threads: ThreadBudget,
                                _ body: () -> Void) {
        #if os(Linux)
        guard n >= populateThreshold, threads.threads >= 2 else { return body() }
        let ranges = columns.map { (Int(bitPattern: $0), n * 8) }
        guard absentPages(ranges) >= populateThreshold / 512, helperAllowed(threads) else { return body() }
        let job = PopulateJob(ranges)
        DispatchQueue.global().async { job.run() }
        body()
        job.finish()
        #else
        body()
        #endif
    }

    /// Whether a kernel may take a helper thread: `threads` allows two or more, and, when the executable has
    /// turned on `IndicatorKernels.probesIdleCores`, a core is idle right now (`idleCore`).
    @inline(__always)
    static func helperAllowed(_ threads: ThreadBudget) -> Bool {
        threads.threads >= 2 && (!IndicatorKernels.probesIdleCores || idleCore())
    }

    /// Whether a core is idle right now, so that a helper thread would run beside this one instead of taking
    /// turns with it (Linux: fewer runnable threads, this one included, than online cores, from
    /// `/proc/loadavg`; elsewhere true). A helper that has to share a core with another process makes a
    /// kernel slower than one thread: this thread then waits for the helper's slices, milliseconds apart.
    /// Only asked when `IndicatorKernels.probesIdleCores` is on.
    static func idleCore() -> Bool {
        #if os(Linux)
        let fd = open("/proc/loadavg", O_RDONLY)
        guard fd >= 0 else { return true }
        defer { close(fd) }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 128) { buffer in
            let count = read(fd, buffer.baseAddress, 128)
            guard count > 0 else { return true }
            // "0.52 0.58 0.59 2/467 12345": the number before "/" counts the runnable threads.
            var field = 0, running = 0, k = 0
            while k < count && field < 3 {
                if buffer[k] == UInt8(ascii: " ") { field += 1 }
                k += 1
            }
            while k < count, buffer[k] >= UInt8(ascii: "0"), buffer[k] <= UInt8(ascii: "9") {
                running = running * 10 + Int(buffer[k] - UInt8(ascii: "0"))
                k += 1
            }
            return running < sysconf(Int32(_SC_NPROCESSORS_ONLN))
        }
        #else
        return true
        #endif
    }

    #if os(Linux)
    /// How many 4 KB pages of the byte ranges are not yet mapped (`mincore`; reused allocator memory usually is
    /// mapped already, and then a helper thread would only cost its start-up).
    static func absentPages(_ ranges: [(start: Int, bytes: Int)]) -> Int {
        let page = 1 << 12
        var absent = 0
        for r in ranges {
            let from = r.start & ~(page - 1)
            let pages = (r.start + r.bytes - from + page - 1) / page
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: pages) { v in
                guard mincore(UnsafeMutableRawPointer(bitPattern: from), r.start + r.bytes - from, v.baseAddress!) == 0 else {
                    absent += pages
                    return
                }
                for k in 0..<pages where v[k] & 1 == 0 { absent += 1 }
            }
        }
        return absent
    }
    #endif

    /// Writes NaN to `out[from..<to]` (clamped to an empty range when `to <= from`).
    @inline(__always)
    static func fillNaN(_ out: UnsafeMutablePointer<Double>, from: Int = 0, to: Int) {
        if to > from { (out + from).update(repeating: .nan, count: to - from) }
    }
}

/// Pieces of work offered to a helper thread in order (`claimNext`, `complete`); the owner can take back
/// every piece the helper has not started (`takeRest`) and wait for those it has (`waitFor`).
///
/// Waiting spins briefly (a piece usually finishes within microseconds of the owner's need) and then parks the
/// owner on a semaphore the helper signals after each piece, so that an owner whose helper has lost its core to
/// another process sleeps instead of yielding in a loop for the helper's whole time slice.
final class PieceQueue: Sendable {
    let count: Int
    private let claimed = Atomic<Int>(0)
    private let completed = Atomic<Int>(0)
    /// Signalled once per completed piece (so never fewer signals than pieces finished).
    private let finished = DispatchSemaphore(value: 0)
    /// Checks of `completed` before the owner parks.
    static let spinsBeforeParking = 64

    init(count: Int) { self.count = count }

    /// The helper's next piece, nil once the owner has taken the rest.
    func claimNext() -> Int? {
        while true {
            let k = claimed.load(ordering: .acquiring)
            guard k < count else { return nil }
            if claimed.compareExchange(expected: k, desired: k + 1, ordering: .acquiringAndReleasing).exchanged { return k }
        }
    }

    /// The helper finished piece `k` (pieces finish in order).
    func complete(_ k: Int) {
        completed.store(k + 1, ordering: .releasing)
        finished.signal()
    }

    /// The owner takes every piece the helper has not claimed; returns how many the helper has.
    func takeRest() -> Int { claimed.exchange(count, ordering: .acquiringAndReleasing) }

    /// Waits until the helper has finished piece `k` (which it has claimed, so a signal is still to come while
    /// it is unfinished).
    func waitFor(_ k: Int) {
        var spins = 0
        while completed.load(ordering: .acquiring) <= k {
            if spins < Self.spinsBeforeParking {
                spins += 1
            } else {
                finished.wait()
            }
        }
    }
}

#if os(Linux)
/// The helper thread's work for `ColumnKernel.whilePopulating`: the columns' pages in 2 MB-aligned chunks,
/// populated front to back from the second chunk (chunk k of every column before chunk k + 1 of any) and the
/// first chunk last, until the main thread says its columns are written.
private final class PopulateJob: Sendable {
    /// Each column's byte range (start address, length).
    let ranges: [(start: Int, bytes: Int)]
    let stop = Atomic<Bool>(false)
    let done = DispatchSemaphore(value: 0)

    init(_ ranges: [(Int, Int)]) { self.ranges = ranges.map { (start: $0.0, bytes: $0.1) } }

    func run() {
        defer { done.signal() }
        let huge = 1 << 21, page = 1 << 12
        // Chunk boundaries of each column: its start, the 2 MB boundaries inside it, its end.
        let bounds = ranges.map { r -> [Int] in
            var b = [r.start]
            var k = (r.start + huge) & ~(huge - 1)
            while k < r.start + r.bytes {
                b.append(k)
                k += huge
            }
            b.append(r.start + r.bytes)
            return b
        }
        let chunks = bounds.map { $0.count - 1 }.max() ?? 0
        // Chunk 1 onwards, then chunk 0 (by then normally written by the main thread already).
        for k in Array(1..<max(1, chunks)) + [0] {
            for b in bounds where b.count - 1 > k {
                if stop.load(ordering: .relaxed) { return }
                let from = b[k] & ~(page - 1)
                // One call per chunk (a page-aligned start; the kernel rounds the length up to whole pages).
                guard madvise(UnsafeMutableRawPointer(bitPattern: from), b[k + 1] - from, MADV_POPULATE_WRITE) == 0 else {
                    return
                }
            }
        }
    }

    /// Called by the main thread once its columns are written: stops the helper and waits for it.
    func finish() {
        stop.store(true, ordering: .relaxed)
        done.wait()
    }
}
#endif
