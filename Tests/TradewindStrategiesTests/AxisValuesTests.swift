import Testing
@testable import TradewindStrategies

/// `AxisValues`, which turns a batch of intraday points back into the grid's axes: the distinct values in order, and a
/// value's place among them, as `Set` and `firstIndex(of:)` would give them.
@Suite struct AxisValuesTests {
    @Test func distinctValuesComeAscendingWhateverTheOrderAndRunsOfTheBatch() {
        var rng = TestRandom(seed: 5)
        for _ in 0..<200 {
            let pool = (0..<Int(1 + rng.next() % 40)).map { _ in Double(Int(rng.next() % 200)) / 10 - 3 }
            var batch: [Double] = []
            for _ in 0..<Int(rng.next() % 300) {
                let v = pool[Int(rng.next() % UInt64(pool.count))]
                batch += Array(repeating: v, count: Int(1 + rng.next() % 4))
            }
            let axis = AxisValues.sorted(batch)
            #expect(axis == Array(Set(batch)).sorted())
            for v in pool {
                #expect(AxisValues.index(of: v, in: axis ?? []) == axis?.firstIndex(of: v))
            }
            #expect(AxisValues.index(of: 1_000, in: axis ?? []) == nil)
        }
        #expect(AxisValues.sorted([0.0, -0.0, 0.0]) == [0.0])
        #expect(AxisValues.sorted([Int]()) == [])
    }

    @Test func aValueThatEqualsNothingOrTooManyValuesAreNotAGrid() {
        #expect(AxisValues.sorted([1.0, .nan, 2.0]) == nil)
        #expect(AxisValues.sorted((0..<5_000).map(Double.init)) == nil)
        #expect(AxisValues.sorted((0..<4_096).map(Double.init))?.count == 4_096)
    }
}
