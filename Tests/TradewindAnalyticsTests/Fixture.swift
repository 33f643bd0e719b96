import Foundation
import Testing
import TradewindCore
@testable import TradewindAnalytics

/// One QuantStats golden file from Tests/Fixtures/analytics (written by Scripts/fixtures/quantstats_metrics.py).
struct QuantStatsFixture {
    let name: String
    let periodsPerYear: Double
    let riskFree: Double
    let times: [UnixNanos]
    /// As stored: NaN marks a missing observation.
    let rawReturns: [Double]
    let expected: [String: Any]
    let drawdownPeriods: [[String: Any]]
    let monthly: [(year: Int, month: Int, value: Double)]
    let yearly: [(year: Int, value: Double)]
    let rollingWindow: Int?
    let rollingSharpe: [Double]?
    let rollingVolatility: [Double]?
    let benchmark: [Double]?

    static let directory: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.lastPathComponent != "Tests" { url.deleteLastPathComponent() }
        return url.appendingPathComponent("Fixtures/analytics")
    }()

    static let allNames = ["aapl_daily", "jpm_daily_rf2", "tsla_daily", "ko_vs_spy", "all_positive", "flat",
                           "short", "missing_values", "spy_minute"]

    static func load(_ name: String) throws -> QuantStatsFixture {
        let data = try Data(contentsOf: directory.appendingPathComponent(name + ".json"))
        let o = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        func doubles(_ key: String) -> [Double]? {
            (o[key] as? [Any])?.map { ($0 as? NSNumber)?.doubleValue ?? .nan }
        }
        return QuantStatsFixture(
            name: name,
            periodsPerYear: (o["periods_per_year"] as! NSNumber).doubleValue,
            riskFree: (o["risk_free"] as! NSNumber).doubleValue,
            times: (o["times"] as! [NSNumber]).map { $0.int64Value * UnixTime.nanosPerSecond },
            rawReturns: doubles("returns")!,
            expected: o["expected"] as! [String: Any],
            drawdownPeriods: o["drawdown_periods"] as! [[String: Any]],
            monthly: (o["monthly"] as! [[Any]]).map { (($0[0] as! NSNumber).intValue, ($0[1] as! NSNumber).intValue,
                                                         ($0[2] as! NSNumber).doubleValue) },
            yearly: (o["yearly"] as! [[Any]]).map { (($0[0] as! NSNumber).intValue, ($0[1] as! NSNumber).doubleValue) },
            rollingWindow: (o["rolling_window"] as? NSNumber)?.intValue,
            rollingSharpe: doubles("rolling_sharpe"),
            rollingVolatility: doubles("rolling_volatility"),
            benchmark: doubles("benchmark"))
    }

    /// The series with missing observations dropped (QuantStats skips them).
    func series() throws -> ReturnSeries {
        try ReturnSeries.droppingMissing(returns: rawReturns, times: times)
    }

    /// QuantStats' value: a number, NaN for null, ±inf for "inf"/"-inf". nil when the key is absent.
    func value(_ key: String) -> Double? {
        guard let v = expected[key] else { return nil }
        if let n = v as? NSNumber { return n.doubleValue }
        if let s = v as? String { return s == "inf" ? .infinity : (s == "-inf" ? -.infinity : nil) }
        return .nan  // NSNull
    }

    func string(_ key: String) -> String? { expected[key] as? String }
}

/// Same within `rel` relative error (absolute below 1e-300), both NaN, or the same infinity.
func close(_ a: Double, _ b: Double, rel: Double = 1e-9) -> Bool {
    if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
    if a.isInfinite || b.isInfinite { return a == b }
    let scale = max(abs(a), abs(b))
    return abs(a - b) <= rel * scale || abs(a - b) < 1e-300
}

func day(_ t: UnixNanos) -> String { UnixTime.utcDate(of: t).description }
