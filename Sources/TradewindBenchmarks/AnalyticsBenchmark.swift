import TradewindAnalytics
import TradewindCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Cost of the performance metrics on one return series (default 5,000 bars), the number the optimizer
/// pays per trial. Input: a deterministic pseudo-random daily return series (timing only; no claim
/// about markets is made from it). Each case reports the median wall time per call over `repeats` runs.
public enum AnalyticsBenchmark {
    public struct Row: Sendable, Equatable {
        public let name: String
        public let microsecondsPerCall: Double
    }

    /// Runs every case on `bars` returns; `minimumSeconds` of calls per case.
    public static func run(bars: Int = 5_000, minimumSeconds: Double = 0.2) throws -> [Row] {
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        var returns = [Double](repeating: 0, count: bars)
        for i in 0..<bars {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            returns[i] = 0.0004 + 0.012 * (Double(state >> 11) / Double(1 << 53) * 2 - 1)
        }
        let times = (0..<bars).map { Int64($0) * UnixTime.nanosPerDay }
        let series = try ReturnSeries(returns: returns, times: times)
        var sink = 0.0
        var rows: [Row] = []
        func measure(_ name: String, _ body: () -> Double) {
            var calls = 0
            let start = now()
            var elapsed = 0.0
            while elapsed < minimumSeconds || calls < 3 {
                sink += body()
                calls += 1
                elapsed = now() - start
            }
            rows.append(Row(name: name, microsecondsPerCall: elapsed / Double(calls) * 1e6))
        }
        measure("QuickMetrics (total return, CAGR, vol, Sharpe, Sortino, max DD, Calmar)") {
            QuickMetrics(returns: returns).sharpe
        }
        measure("Performance.sharpe") { Performance.sharpe(returns) }
        measure("Performance.maxDrawdown") { Performance.maxDrawdown(returns) }
        measure("Performance.omega") { Performance.omega(returns) }
        measure("Performance.valueAtRisk + conditionalValueAtRisk") {
            Performance.valueAtRisk(returns) + Performance.conditionalValueAtRisk(returns)
        }
        measure("Performance.skew + kurtosis") { Performance.skew(returns) + Performance.kurtosis(returns) }
        measure("Performance.tailRatio (quickselect)") { Performance.tailRatio(returns) }
        measure("Performance.drawdownPeriods") { Double(Performance.drawdownPeriods(series).count) }
        measure("Performance.monthlyReturns") { Double(Performance.monthlyReturns(series).count) }
        measure("Performance.rollingSharpe (126)") { Performance.rollingSharpe(returns).last ?? 0 }
        measure("PerformanceReport (everything)") {
            (try? PerformanceReport(series: series))?.sharpe ?? 0
        }
        if sink == 42 { print("") }  // keep the results alive
        return rows
    }

    /// The rows as an aligned text table.
    public static func format(_ rows: [Row], bars: Int) -> String {
        let w = rows.map(\.name.count).max() ?? 0
        var out = "Analytics on \(bars) bars (µs per call)\n"
        for r in rows {
            let us = (r.microsecondsPerCall * 10).rounded() / 10
            out += r.name + String(repeating: " ", count: w - r.name.count) + "  " + String(us) + "\n"
        }
        return out
    }

    public static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }
}
