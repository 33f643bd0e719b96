#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Synchronization
import TradewindCore

/// Process-wide settings of the indicator kernels.
public enum IndicatorKernels {
    /// Whether a kernel that may take a second thread (within its `ThreadBudget`) first checks that a core is
    /// idle right now (Linux: fewer runnable threads than online cores in `/proc/loadavg`), and stays on one
    /// thread when none is: a helper that has to share a core with another process makes a kernel slower than
    /// one thread.
    ///
    /// Off by default: library callers get exactly the budget they pass, with no probing of the machine.
    /// The `tradewind` executable turns it on at start (it runs one job at a time on a machine it does not
    /// own); a server that divides the cores between its own jobs should leave it off. Values never depend
    /// on it. The same setting as `PagePopulation.probesIdleCores` (the engine's and the cache reader's helpers).
    public static var probesIdleCores: Bool {
        get { PagePopulation.probesIdleCores }
        set { PagePopulation.probesIdleCores = newValue }
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
    /// while a second thread populates their pages (`PagePopulation`: measured on MACD, ~0.3 ms faster than a
    /// helper working from the back). Columns shorter than `populateThreshold` are left to `body`.
    static func whilePopulating(_ columns: [UnsafeMutablePointer<Double>], count n: Int, threads: ThreadBudget,
                                _ body: () -> Void) {
        guard n >= populateThreshold else { return body() }
        PagePopulation.whilePopulating(columns.map { (start: UnsafeMutableRawPointer($0), bytes: n * 8) }, threads: threads,
                                       minimumAbsentPages: populateThreshold / 512, body)
    }

    /// Whether a kernel may take a helper thread (`PagePopulation.helperAllowed`).
    @inline(__always)
    static func helperAllowed(_ threads: ThreadBudget) -> Bool { PagePopulation.helperAllowed(threads) }

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

