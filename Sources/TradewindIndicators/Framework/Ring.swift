/// A fixed-capacity circular buffer of the most recent values (allocated once, at creation).
@usableFromInline
struct Ring: Sendable {
    @usableFromInline var storage: [Double]
    /// Position the next push writes to; once full, also the position of the oldest value.
    @usableFromInline var next = 0
    @usableFromInline var filled = 0

    @usableFromInline
    init(capacity: Int) {
        storage = [Double](repeating: 0, count: max(1, capacity))
    }

    @inlinable var capacity: Int { storage.count }
    @inlinable var isFull: Bool { filled == storage.count }

    /// Appends `x`, overwriting the oldest value once full.
    @inline(__always) @inlinable
    mutating func push(_ x: Double) {
        storage[next] = x
        next += 1
        if next == storage.count { next = 0 }
        if filled < storage.count { filled += 1 }
    }

    /// The oldest value held (valid once full).
    @inlinable var oldest: Double { storage[next] }

    /// The value pushed `age` pushes ago (0 = the latest).
    @inlinable
    func back(_ age: Int) -> Double {
        var i = next - 1 - age
        if i < 0 { i += storage.count }
        return storage[i]
    }
}

/// Tracks the highest (or lowest) value of a sliding window and its bar index exactly as TA-Lib's MAX/MIN
/// family does, in O(1) amortised time (a monotonic deque replaces TA-Lib's rescans).
///
/// TA-Lib keeps the index of the current extreme; when a new value ties or beats it the new bar takes over,
/// and when the extreme leaves the window it rescans the window. `latestOnRescan` says which of several equal
/// extremes that rescan picks: the earliest (MAX, MIN, STOCH, WILLR…) or the latest (AROON).
@usableFromInline
struct WindowExtreme: Sendable {
    @usableFromInline
    struct Entry: Sendable {
        @usableFromInline var index: Int
        @usableFromInline var value: Double
        @inlinable init(_ index: Int, _ value: Double) {
            self.index = index
            self.value = value
        }
    }

    @usableFromInline let isMax: Bool
    @usableFromInline let window: Int
    @usableFromInline let latestOnRescan: Bool
    // Monotonic deque of (index, value) in a power-of-two circular array.
    @usableFromInline var entries: [Entry]
    @usableFromInline let mask: Int
    @usableFromInline var head = 0
    @usableFromInline var size = 0
    /// Bars seen so far; the bar just pushed has index `seen - 1`.
    @usableFromInline var seen = 0
    /// TA-Lib's current extreme index (-1 before the first).
    @usableFromInline var extremeIndex = -1
    @usableFromInline var extremeValue = 0.0

    @usableFromInline
    init(window: Int, max isMax: Bool, latestOnRescan: Bool = false) {
        self.isMax = isMax
        self.window = window
        self.latestOnRescan = latestOnRescan
        var cap = 1
        while cap < window + 1 { cap <<= 1 }
        entries = [Entry](repeating: Entry(0, 0), count: cap)
        mask = cap - 1
    }

    /// True when the new value `a` removes the older `b` from the deque.
    @inlinable
    func dominates(_ a: Double, _ b: Double) -> Bool {
        if latestOnRescan { return isMax ? a >= b : a <= b }
        return isMax ? a > b : a < b
    }

    /// Pushes the next bar's value and returns TA-Lib's (index, value) of the extreme over the last `window` bars.
    @inlinable
    @discardableResult
    mutating func push(_ x: Double) -> (index: Int, value: Double) {
        let today = seen
        seen += 1
        while size > 0 && dominates(x, entries[(head + size - 1) & mask].value) { size -= 1 }
        entries[(head + size) & mask] = Entry(today, x)
        size += 1
        let trailing = today - window + 1
        while entries[head].index < trailing {
            head = (head + 1) & mask
            size -= 1
        }
        // TA-Lib starts tracking at the first full window with a rescan (extremeIndex -1).
        if today <= window - 1 || extremeIndex < trailing {
            let front = entries[head]
            extremeIndex = front.index
            extremeValue = front.value
        } else if isMax ? x >= extremeValue : x <= extremeValue {
            extremeIndex = today
            extremeValue = x
        }
        return (extremeIndex, extremeValue)
    }
}
