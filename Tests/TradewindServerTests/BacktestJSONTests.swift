import Foundation
import Testing
import TradewindCore
import TradewindEngine
import TradewindTestSupport
@testable import TradewindServer

@Suite("Backtest JSON written by hand")
struct BacktestJSONTests {
    @Test func theTradeLogIsJSONEncodersTextByteForByte() throws {
        var rng = SplitMix64(seed: 7)
        let objects: [[String: Any]] = (0..<300).map { i in
            ["symbol": i % 3 == 0 ? #"odd "sym"\ é/"# + "\u{8}\u{C}" : "SPY", "side": i % 2 == 0 ? "long" : "short",
             "entry_time": "2024-03-01T14:30:00.\(i)+00:00", "exit_time": "2024-03-08T14:30:00+00:00",
             "entry_price": EncoderFixtures.number(&rng), "exit_price": EncoderFixtures.number(&rng), "quantity": EncoderFixtures.number(&rng),
             "net_pnl": EncoderFixtures.number(&rng), "return": EncoderFixtures.number(&rng), "bars_held": Int(rng.next() % 500),
             "open": i % 5 == 0]
        }
        let rows = try JSONDecoder().decode([TradeLogRow].self, from: JSONSerialization.data(withJSONObject: objects))
        #expect(rows.count == 300)
        #expect(BacktestJSON.trades(rows) == (try EncoderFixtures.sortedKeysText(rows)))
        #expect(BacktestJSON.trades([]) == "[]")
    }

    /// An equity point as the API documents it: the time as the server's `Timestamps` give it.
    struct EncodablePoint: Encodable {
        var time: String
        var equity: Double
    }

    @Test(arguments: [ZoneRules.utc, .newYork])
    func theEquityCurveIsJSONEncodersTextByteForByte(_ zone: ZoneRules) throws {
        var rng = SplitMix64(seed: 11)
        let times = Timestamps(zone: zone)
        let start = UnixTime.midnightUTC(CivilDate(year: 2013, month: 1, day: 2)!)
        // Whole minutes, and fractions of a second now and then, across both of New York's offsets.
        let points = (0..<500).map { i in
            EquityPoint(time: start + Int64(i) * 86_400_000_000_000 + Int64(rng.next() % 1440) * 60_000_000_000
                            + (i % 9 == 0 ? Int64(rng.next() % 1_000_000_000) : 0),
                        equity: EncoderFixtures.number(&rng))
        }
        let expected = points.map { EncodablePoint(time: times.string($0.time), equity: $0.equity) }
        #expect(BacktestJSON.equity(points, times: times) == (try EncoderFixtures.sortedKeysText(expected)))
        #expect(BacktestJSON.equity([], times: times) == "[]")
    }
}
