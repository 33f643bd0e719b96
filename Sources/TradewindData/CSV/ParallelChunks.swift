import Dispatch
import Synchronization

/// Runs independent pieces of work on all cores and returns their results in order.
enum ParallelChunks {
    static func map<T: Sendable>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
        if count == 1 { return [body(0)] }
        let slots = Mutex<[T?]>(Array(repeating: nil, count: count))
        DispatchQueue.concurrentPerform(iterations: count) { i in
            let r = body(i)
            slots.withLock { $0[i] = r }
        }
        return slots.withLock { $0.map { $0! } }
    }
}
