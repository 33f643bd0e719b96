#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import COpenBLAS
import TradewindCore

/// How many threads the matrix products of the calling thread may use — a per-caller setting, not a process-wide
/// one: two training jobs on two threads each keep their own count and never change each other's.
///
/// OpenBLAS itself always runs single-threaded (its own thread count is process-wide, so two callers setting it
/// would set it for each other); `CPUBackend.gemm` splits a large product into fixed pieces — along the batch of
/// matrices, else the rows, else the columns of the result — and runs them on the caller's `ThreadBudget`. The
/// pieces depend only on the shape and the thread count, and each piece is an independent single-threaded GEMM
/// over the whole inner dimension, so results are deterministic for a seed and thread count (and in practice
/// identical across thread counts). Set it on the thread that trains or predicts (e.g. inside a
/// `DedicatedThread`); threads that never set it use 1.
public enum BLASThreads {
    /// Sets the calling thread's matrix-product thread count (values below 1 mean 1).
    public static func set(_ threads: Int) {
        pthread_setspecific(key, UnsafeRawPointer(bitPattern: max(1, threads)))
    }

    /// The calling thread's matrix-product thread count (1 where it was never set).
    public static var current: Int { max(1, Int(bitPattern: pthread_getspecific(key))) }

    /// `body(i)` for every `i` in `0..<parts`, in index order: at once, each on `current / parts` threads, when the
    /// calling thread's count allows one thread per part; one after the other on the calling thread otherwise. For
    /// independent parts of one op (the two directions of a bidirectional layer), so the result never depends on
    /// which ran where.
    static func split<T: Sendable>(_ parts: Int, _ body: @Sendable (Int) -> T) -> [T] {
        let threads = current
        guard parts > 1, threads >= parts else { return (0..<parts).map(body) }
        let share = threads / parts
        return ThreadBudget(parts).map(parts) { i in
            let before = current
            set(share)
            defer { set(before) }
            return body(i)
        }
    }

    /// Products of at least this many multiply-adds (batch · m · n · k) are split across the caller's threads;
    /// smaller ones cost less than handing pieces to other threads.
    static let splitThreshold = 1 << 21

    fileprivate static let key: pthread_key_t = {
        var k = pthread_key_t()
        pthread_key_create(&k, nil)
        return k
    }()
}

/// A pointer handed to the parts of `BLASThreads.split`, which write disjoint elements through it.
struct SendablePointer<T>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<T>
    init(_ pointer: UnsafeMutablePointer<T>) { self.pointer = pointer }
    init(_ pointer: UnsafePointer<T>) { self.pointer = UnsafeMutablePointer(mutating: pointer) }
}
