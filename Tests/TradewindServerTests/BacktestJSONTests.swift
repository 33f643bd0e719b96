import Foundation
import Testing
import TradewindCore
import TradewindEngine
@testable import TradewindServer

@Suite("Backtest JSON written by hand")
struct BacktestJSONTests {
    static func encoded<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Prices, quantities and returns of every magnitude the engine gives: integral, tiny, huge, negative.
    static func numbers(_ rng: inout SplitMix64) -> Double {
        let base = Double(rng.next() % 2_000_001) / 1000 - 1000
        switch rng.next() % 6 {
        case 0: return base.rounded()
        case 1: return base * 1e-9
        case 2: return base * 1e12
        case 3: return Double(rng.next() % 1_000_000) / 7
        case 4: return -0.0
        default: return base
        }
    }

    @Test func theTradeLogIsJSONEncodersTextByteForByte() throws {
        var rng = SplitMix64(seed: 7)
        let objects: [[String: Any]] = (0..<300).map { i in
            ["symbol": i % 3 == 0 ? #"odd "sym"\ é/"# + "\u{8}\u{C}" : "SPY", "side": i % 2 == 0 ? "long" : "short",
             "entry_time": "2024-03-01T14:30:00.\(i)+00:00", "exit_time": "2024-03-08T14:30:00+00:00",
             "entry_price": Self.numbers(&rng), "exit_price": Self.numbers(&rng), "quantity": Self.numbers(&rng),
             "net_pnl": Self.numbers(&rng), "return": Self.numbers(&rng), "bars_held": Int(rng.next() % 500),
             "open": i % 5 == 0]
        }
        let rows = try JSONDecoder().decode([TradeLogRow].self, from: JSONSerialization.data(withJSONObject: objects))
        #expect(rows.count == 300)
        #expect(BacktestJSON.trades(rows) == (try Self.encoded(rows)))
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
                        equity: Self.numbers(&rng))
        }
        let expected = points.map { EncodablePoint(time: times.string($0.time), equity: $0.equity) }
        #expect(BacktestJSON.equity(points, times: times) == (try Self.encoded(expected)))
        #expect(BacktestJSON.equity([], times: times) == "[]")
    }
}
