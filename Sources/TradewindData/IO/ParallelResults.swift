import Synchronization

/// Slots that parallel workers fill by index (one writer per index), read after the workers finish.
final class ParallelResults<T: Sendable>: Sendable {
    private let slots: Mutex<[T?]>

    init(count: Int) { slots = Mutex([T?](repeating: nil, count: count)) }

    func set(_ i: Int, _ value: T) { slots.withLock { $0[i] = value } }

    /// The first filled slot in index order.
    var first: T? { slots.withLock { $0.lazy.compactMap { $0 }.first } }

    /// Every slot's value, in index order (slots never set are skipped).
    var all: [T] { slots.withLock { $0.compactMap { $0 } } }
}
