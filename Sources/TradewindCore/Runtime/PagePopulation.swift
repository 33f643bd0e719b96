#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Synchronization

/// Takes the page faults of fresh, large buffers off the thread that writes them: a helper thread maps their
/// pages with `MADV_POPULATE_WRITE` (Linux 5.14 and later) while the owner writes values into them.
///
/// A fresh multi-megabyte buffer costs a page fault and a page clear per page (per 2 MB with huge pages, see
/// `MemoryPolicy.adviseHugePages`): about 0.1 ms per MB, as much as the arithmetic of a simple indicator or a
/// third of a one-symbol backtest's run. The populate call maps the pages writable without touching their
/// contents, so it can run while the owner writes values into the same pages: no value is ever read or
/// written by the helper, and the result is the same on any number of cores.
///
/// The helper works in 2 MB-aligned chunks, front to back from the second chunk of each range (chunk k of
/// every range before chunk k + 1 of any), then the first chunks: the owner takes the faults of the first chunk
/// itself while the helper gets ahead. `finish()` stops the helper after its current chunk and waits for it. No
/// helper starts where the budget or the idle-core probe forbids one (`helperAllowed`) or where the allocator
/// reused memory (fewer than `minimumAbsentPages` 4 KB pages missing, as `mincore` tells). On kernels without
/// `MADV_POPULATE_WRITE` the helper stops at its first call.
public final class PagePopulation: Sendable {
    private static let probing = Atomic<Bool>(false)

    /// Whether a helper thread is started only when a core is idle right now (Linux: fewer runnable threads
    /// than online cores in `/proc/loadavg`): a helper that has to share a core with another process makes the
    /// owner slower than one thread. Off by default: library callers get exactly the budget they pass, with no
    /// probing of the machine. The `tradewind` executable turns it on at start (it runs one job at a time on a
    /// machine it does not own); a server that divides the cores between its own jobs should leave it off.
    /// Values never depend on it. (`IndicatorKernels.probesIdleCores` is this setting.)
    public static var probesIdleCores: Bool {
        get { probing.load(ordering: .relaxed) }
        set { probing.store(newValue, ordering: .relaxed) }
    }

    /// Whether work may take a helper thread: `threads` allows two or more and, with `probesIdleCores` on, a
    /// core is idle right now (`idleCore`).
    @inline(__always)
    public static func helperAllowed(_ threads: ThreadBudget) -> Bool {
        threads.threads >= 2 && (!probesIdleCores || idleCore())
    }

    /// Runs `body`, which writes the byte ranges `ranges` (fresh allocations) from front to back, while a helper
    /// thread populates their pages where `threads` allows one (see the type's notes).
    @inline(__always)
    public static func whilePopulating<R, E: Error>(_ ranges: [(start: UnsafeMutableRawPointer, bytes: Int)],
                                                    threads: ThreadBudget, minimumAbsentPages: Int = 512,
                                                    _ body: () throws(E) -> R) throws(E) -> R {
        let population = start(ranges, threads: threads, minimumAbsentPages: minimumAbsentPages)
        defer { population?.finish() }
        return try body()
    }

    /// Starts a helper populating `ranges` (nil when none starts: see the type's notes); the owner calls
    /// `finish()` once it has written them (or gives up on them).
    public static func start(_ ranges: [(start: UnsafeMutableRawPointer, bytes: Int)], threads: ThreadBudget,
                             minimumAbsentPages: Int = 512) -> PagePopulation? {
        #if os(Linux)
        let ranges = ranges.filter { $0.bytes > 0 }.map { (start: Int(bitPattern: $0.start), bytes: $0.bytes) }
        guard threads.threads >= 2, !ranges.isEmpty, absentPages(ranges) >= minimumAbsentPages, helperAllowed(threads) else {
            return nil
        }
        let job = PagePopulation(ranges)
        ThreadBudget.startHelper { job.run() }
        return job
        #else
        return nil
        #endif
    }

    /// Each range's bytes (start address, length).
    private let ranges: [(start: Int, bytes: Int)]
    private let stop = Atomic<Bool>(false)
    /// 0: queued, not started; 1: running (it signals `done` when it ends); 2: abandoned by `finish` before it
    /// started (it never runs). A helper may start late (every helper thread busy): the owner never waits for one
    /// that has not started.
    private let state = Atomic<Int>(0)
    private let done = DispatchSemaphore(value: 0)

    private init(_ ranges: [(start: Int, bytes: Int)]) { self.ranges = ranges }

    /// Stops the helper after its current chunk and waits for it (every page the owner has written by now is
    /// present in any case).
    public func finish() {
        stop.store(true, ordering: .relaxed)
        if state.compareExchange(expected: 0, desired: 2, ordering: .acquiringAndReleasing).exchanged { return }
        done.wait()
    }

    #if os(Linux)
    private func run() {
        guard state.compareExchange(expected: 0, desired: 1, ordering: .acquiringAndReleasing).exchanged else { return }
        defer { done.signal() }
        let huge = 1 << 21, page = 1 << 12
        // Chunk boundaries of each range: its start, the 2 MB boundaries inside it, its end.
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
        // Chunk 1 onwards, then chunk 0 (by then normally written by the owner already).
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

    /// How many 4 KB pages of the byte ranges are not yet mapped (`mincore`; reused allocator memory usually is
    /// mapped already, and then a helper thread would only cost its start-up).
    public static func absentPages(_ ranges: [(start: Int, bytes: Int)]) -> Int {
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

    /// Whether a core is idle right now, so that a helper thread would run beside this one instead of taking
    /// turns with it (Linux: fewer runnable threads, this one included, than online cores, from
    /// `/proc/loadavg`; elsewhere true). Only asked when `probesIdleCores` is on.
    public static func idleCore() -> Bool {
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
}
