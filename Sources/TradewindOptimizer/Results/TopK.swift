/// One evaluated trial: its number (the tie-breaker), point, objective value and any further
/// metrics the runner chose to keep.
public struct RankedTrial: Sendable, Hashable {
    public let number: Int
    public let point: ParameterPoint
    public let objective: Double
    public let metrics: [Double]

    public init(number: Int, point: ParameterPoint, objective: Double, metrics: [Double] = []) {
        self.number = number
        self.point = point
        self.objective = objective
        self.metrics = metrics
    }
}

/// Keeps the best `capacity` trials of a stream in O(capacity) memory. The order is total —
/// better objective first, then smaller trial number, NaN last (`ObjectiveDirection.ranksBefore`)
/// — so the kept set and its order do not depend on the order of insertion: per-thread
/// collectors can be merged in any order with the same result.
public struct TopK: Sendable {
    public let capacity: Int
    public let direction: ObjectiveDirection
    /// A binary heap whose root is the worst kept trial.
    private var heap: [RankedTrial] = []

    public init(capacity: Int, direction: ObjectiveDirection) {
        precondition(capacity >= 1, "TopK needs a capacity of at least 1")
        self.capacity = capacity
        self.direction = direction
        heap.reserveCapacity(min(capacity, 1 << 16))
    }

    public var count: Int { heap.count }

    /// True when `a` ranks strictly before `b`.
    @inline(__always)
    func before(_ a: RankedTrial, _ b: RankedTrial) -> Bool {
        direction.ranksBefore(a.objective, a.number, b.objective, b.number)
    }

    /// Offers a trial; it is kept when it ranks among the best `capacity` so far.
    public mutating func insert(_ t: RankedTrial) {
        if heap.count < capacity {
            heap.append(t)
            siftUp(heap.count - 1)
        } else if before(t, heap[0]) {
            heap[0] = t
            siftDown(0)
        }
    }

    /// Offers every trial of `other`.
    public mutating func merge(_ other: TopK) {
        for t in other.heap { insert(t) }
    }

    /// The kept trials, best first.
    public func sorted() -> [RankedTrial] { heap.sorted { before($0, $1) } }

    /// The best trial so far.
    public var best: RankedTrial? {
        heap.min { before($0, $1) }
    }

    // The heap orders "worse" towards the root: parent is worse than (ranks after) its children.
    private mutating func siftUp(_ i0: Int) {
        var i = i0
        while i > 0 {
            let p = (i - 1) / 2
            if before(heap[p], heap[i]) { heap.swapAt(p, i); i = p } else { return }
        }
    }

    private mutating func siftDown(_ i0: Int) {
        var i = i0
        let n = heap.count
        while true {
            let l = 2 * i + 1, r = l + 1
            var worst = i
            if l < n && before(heap[worst], heap[l]) { worst = l }
            if r < n && before(heap[worst], heap[r]) { worst = r }
            if worst == i { return }
            heap.swapAt(i, worst)
            i = worst
        }
    }
}
