import TradewindCore

extension ReturnSeries {
    /// The benchmark's returns on exactly this series' times, for `Performance.greeks` and the report.
    ///
    /// The benchmark may cover more times (they are ignored); every time of this series must be present
    /// in it with a finite return, otherwise `missingBenchmarkObservation` names the first one lacking.
    /// Benchmark times must increase strictly.
    public func alignedBenchmark(returns benchmark: [Double], times benchmarkTimes: [UnixNanos]) throws(AnalyticsError) -> [Double] {
        guard benchmark.count == benchmarkTimes.count else {
            throw .lengthMismatch(what: "benchmark times", expected: benchmark.count, actual: benchmarkTimes.count)
        }
        try ReturnSeries.checkSorted(benchmarkTimes)
        var out = [Double]()
        out.reserveCapacity(count)
        var j = 0
        for t in times {
            while j < benchmarkTimes.count, benchmarkTimes[j] < t { j += 1 }
            guard j < benchmarkTimes.count, benchmarkTimes[j] == t, benchmark[j].isFinite else {
                throw .missingBenchmarkObservation(time: t)
            }
            out.append(benchmark[j])
        }
        return out
    }
}
