import Testing
@testable import TradewindLive

@Suite("Tick-to-order latency recorder")
struct LatencyRecorderTests {
    @Test func histogramCountsEachLatencyInTheFirstBucketThatHoldsIt() {
        let recorder = LatencyRecorder()
        for nanos: Int64 in [0, 5_000, 5_001, 999_999, 1_000_000, 2_000_000_000, -3] { recorder.add(nanos) }
        let h = recorder.snapshot()
        #expect(h.count == 7)
        #expect(h.sumNanos == 5_000 + 5_001 + 999_999 + 1_000_000 + 2_000_000_000)
        let bounds = LatencyRecorder.bucketBounds
        #expect(h.counts[0] == 3)                                  // 0, 5 µs and the negative reading, counted as 0
        #expect(h.counts[bounds.firstIndex(of: 10_000)!] == 1)     // 5.001 µs
        #expect(h.counts[bounds.firstIndex(of: 1_000_000)!] == 2)  // 999.999 µs and 1 ms (bounds are inclusive)
        #expect(h.counts[bounds.count] == 1)                       // 2 s: beyond the last bound
        #expect(h.counts.reduce(0, +) == h.count)
    }

    @Test func histogramQuantileIsTheUpperBoundOfItsBucket() throws {
        let recorder = LatencyRecorder(keepingSamples: true)
        for i in 1...100 { recorder.add(Int64(i) * 1_000) }  // 1 µs … 100 µs
        let h = recorder.snapshot()
        #expect(h.quantileUpperBound(0.5) == 100_000)  // the 51st of 100 samples, 51 µs
        #expect(h.quantileUpperBound(0.99) == 100_000)
        #expect(h.quantileUpperBound(0.01) == 5_000)
        // The exact quantile from the kept samples never exceeds the histogram's bound.
        for q in [0.01, 0.5, 0.9, 0.99, 1.0] {
            #expect(try #require(recorder.quantile(q)) <= (h.quantileUpperBound(q) ?? 0))
        }
        #expect(LatencyRecorder.Histogram().quantileUpperBound(0.5) == nil)
    }

    @Test func onlyARecorderAskedToKeepSamplesKeepsThem() {
        let bounded = LatencyRecorder()
        for i in 0..<10_000 { bounded.add(Int64(i)) }
        #expect(bounded.samples.isEmpty)
        #expect(bounded.quantile(0.5) == nil)
        #expect(bounded.snapshot().count == 10_000)
    }
}
