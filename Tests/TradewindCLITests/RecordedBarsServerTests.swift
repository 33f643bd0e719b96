import Foundation
import Testing
@testable import TradewindBenchmarks
import TradewindCore
import TradewindProviders

/// The `bench fetch` loopback server (`RecordedBarsServer`): malformed or out-of-range query values are answered
/// with 422, as `tradewind exchange` and Alpaca answer them, never a trap.
@Suite struct RecordedBarsServerTests {
    /// 30 minute bars from 2024-01-02 14:30 UTC.
    static let start: UnixNanos = UnixTime.midnightUTC(CivilDate(year: 2024, month: 1, day: 2)!) + (14 * 60 + 30) * UnixTime.nanosPerMinute
    static let server: RecordedBarsServer = {
        let times = (0..<30).map { start + UnixNanos($0) * UnixTime.nanosPerMinute }
        let prices = (0..<30).map { 100 + Double($0) }
        return RecordedBarsServer(series: BarSeries(symbol: "AAA", interval: .minute, time: times, open: prices, high: prices,
                                                    low: prices, close: prices, volume: prices))
    }()

    static func query(_ extra: [String: String] = [:]) -> [String: String] {
        ["start": RFC3339.format(start), "end": RFC3339.format(start + 29 * UnixTime.nanosPerMinute)].merging(extra) { $1 }
    }

    @Test func wellFormedPagesAreServed() {
        #expect(Self.server.single("AAA", Self.query(["limit": "10"])).status.code == 200)
        #expect(Self.server.single("AAA", Self.query(["page_token": "30"])).status.code == 200)
        #expect(Self.server.multi(Self.query(["symbols": "AAA,BBB", "page_token": "1:29", "limit": "10000"])).status.code == 200)
    }

    @Test func malformedOrOutOfRangeQueryValuesAre422NotATrap() {
        let huge = "9223372036854775807", tooBig = "99999999999999999999999"
        let single: [[String: String]] = [
            ["page_token": huge], ["page_token": "-1"], ["page_token": "31"], ["page_token": tooBig], ["page_token": "x"],
            ["limit": "0"], ["limit": "10001"], ["limit": huge], ["limit": "-5"], ["limit": "ten"],
            ["start": RFC3339.format(Self.start + UnixTime.nanosPerHour)], // after end
            ["end": "not a time"], ["start": ""], ["end": "9999-12-31T23:59:59Z"], ["start": "0001-01-01T00:00:00Z"],
        ]
        for extra in single {
            #expect(Self.server.single("AAA", Self.query(extra)).status.code == 422, "\(extra)")
        }
        let multi: [[String: String]] = [
            ["page_token": "-1:0"], ["page_token": "2:0"], ["page_token": "\(huge):0"], ["page_token": "0:\(huge)"],
            ["page_token": "0:-3"], ["page_token": "0"], ["page_token": "0:1:2"], ["page_token": ":"], ["limit": huge],
            ["start": RFC3339.format(Self.start + UnixTime.nanosPerHour)],
        ]
        for extra in multi {
            #expect(Self.server.multi(Self.query(extra.merging(["symbols": "AAA,BBB"]) { $1 })).status.code == 422, "\(extra)")
        }
        #expect(Self.server.multi(Self.query()).status.code == 422) // no symbols
    }
}
