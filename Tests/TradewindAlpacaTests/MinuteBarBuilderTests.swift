import Foundation
import Testing
import TradewindAlpaca
import TradewindCore
import TradewindData
import TradewindExchange
import TradewindProviders

/// Minute bars from trades by Alpaca's rules: which conditions set the price and which the volume, the bar's time,
/// when a minute closes, and late trades.
@Suite struct MinuteBarBuilderTests {
    static let nine30 = RFC3339.parse("2022-04-11T13:30:00Z")!

    static func trade(_ second: Double, _ price: Double, _ size: Double, _ conditions: [String] = ["@"]) -> (AlpacaTrade, UnixNanos) {
        let at = nine30 + UnixNanos(second * 1e9)
        return (AlpacaTrade(t: AlpacaJSON.preciseTime(at), x: "V", p: price, s: size, c: conditions, z: "C"), at)
    }

    @Test func oddLotsCountInVolumeOnlyAndOutOfSequenceTradesSetTheRangeButNotTheOpenOrClose() {
        var b = MinuteBarBuilder()
        for (trade, at) in [Self.trade(1, 10.00, 100), Self.trade(5, 12.00, 10, ["@", "I"]), Self.trade(9, 8.00, 50, ["@", "Z"]),
                            Self.trade(20, 10.50, 200, ["@", "F"]), Self.trade(30, 30.00, 1000, ["@", "M"]),
                            Self.trade(59.999, 10.25, 100, [" "])] {
            #expect(b.add("AAPL", trade, at: at).closed.isEmpty, "the minute is still open")
        }
        let bars = b.close(through: Self.nine30 + UnixTime.nanosPerMinute)
        #expect(bars.count == 1)
        let bar = bars[0].bar
        // Open and close: the regular, sweep and blank-condition trades; high and low: those and the out-of-sequence
        // trade (Z); volume: all but the official close (M).
        #expect(bar.t == "2022-04-11T13:30:00Z", "labelled with the minute's start")
        #expect([bar.o, bar.h, bar.l, bar.c] == [10.00, 10.50, 8.00, 10.25])
        #expect(bar.v == 460)
        #expect(bar.n == 5)
        let vwap = (10.00 * 100 + 12.00 * 10 + 8.00 * 50 + 10.50 * 200 + 10.25 * 100) / 460
        #expect(abs(bar.vw! - vwap) < 1e-12)
    }

    @Test func aMinuteClosesWhenALaterTradeArrivesAndALateTradeIsDroppedAndCounted() {
        var b = MinuteBarBuilder()
        _ = b.add("AAPL", Self.trade(10, 10, 1).0, at: Self.trade(10, 10, 1).1)
        _ = b.add("MSFT", Self.trade(20, 50, 1).0, at: Self.trade(20, 50, 1).1)
        let (next, at) = Self.trade(61, 11, 1)
        let closed = b.add("AAPL", next, at: at).closed
        #expect(closed.map(\.symbol) == ["AAPL", "MSFT"], "a later minute's trade closes every symbol's bar, by symbol")
        #expect(closed.map(\.start) == [Self.nine30, Self.nine30])
        let (late, lateAt) = Self.trade(59, 99, 1)
        #expect(b.add("MSFT", late, at: lateAt).accepted == false)
        #expect(b.lateTrades == 1)
        #expect(b.closeAll().map(\.bar.c) == [11], "the late trade changed nothing")
    }

    @Test func aMinuteWithoutATradeThatCanBeItsOpenOrCloseHasNoBar() {
        #expect(MinuteBarBuilder.bars("X", from: [Self.trade(1, 10, 5, ["@", "I"]).0, Self.trade(2, 10, 5, ["Q"]).0,
                                                  Self.trade(3, 11, 5, ["@", "Z"]).0]).isEmpty)
    }

    @Test func eachConditionListFollowsTheSIPsGuidanceAsAlpacaAppliesIt() {
        // Range but not first/last price: bunched sold, prior reference, sold out of sequence, derivatively priced.
        for code in ["G", "P", "Z", "4"] {
            #expect(TradeConditions.updatesHighLow(["@", code]) && !TradeConditions.updatesOpenClose(["@", code]), "\(code)")
        }
        // Neither range nor price, but volume: average price, cash, price variation, odd lot, next day, seller,
        // extended out of sequence, contingent, qualified contingent.
        for code in ["B", "W", "C", "H", "I", "N", "R", "U", "V", "7"] {
            #expect(!TradeConditions.updatesHighLow([code]) && !TradeConditions.updatesOpenClose([code]) && TradeConditions.updatesVolume([code]), "\(code)")
        }
        // Reports, not trades: no price and no volume (9 sets the price: only its volume is a duplicate).
        for code in ["M", "Q"] { #expect(!TradeConditions.updatesOpenClose([code]) && !TradeConditions.updatesVolume([code])) }
        #expect(TradeConditions.updatesOpenClose(["9"]) && !TradeConditions.updatesVolume(["9"]))
        // Regular, blank-padded, intermarket sweep, extended hours (Tradewind's choice, documented) set everything.
        for c in [["@"], [" "], ["@", "F"], ["@", "T"], ["@", "F", "T"], nil] as [[String]?] {
            #expect(TradeConditions.updatesOpenClose(c) && TradeConditions.updatesHighLow(c) && TradeConditions.updatesVolume(c))
        }
    }

    /// The trades of Alpaca's documentation (Tests/Fixtures/alpaca/ticks/SOURCE.md): the two odd lots make no bar, the
    /// regular trade makes the 17:56 bar.
    @Test func alpacasDocumentedTradesMakeOneBarFromTheRegularTrade() throws {
        let ticks = try TickRecording.load(directory: Self.ticksFixture)
        #expect(ticks.symbols == ["AAPL", "SPY"])
        #expect(ticks.quotes["SPY"]?.ticks.map(\.bp) == [387.67, 387.58])
        let bars = ticks.minuteBars()
        let aapl = try #require(bars["AAPL"])
        #expect(aapl.count == 1)
        #expect(aapl.time == [RFC3339.parse("2022-04-11T17:56:00Z")!])
        #expect([aapl.open[0], aapl.high[0], aapl.low[0], aapl.close[0], aapl.volume[0]] == [166.81, 166.81, 166.81, 166.81, 300])
        #expect(aapl.vwap == [166.81] && aapl.tradeCount == [1], "the bar's VWAP and trade count are kept")
    }

    @Test func aTickRecordingLineThatIsNotATradeIsAnErrorNamingTheFileAndLine() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ticks-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "{\"t\":\"2022-04-11T12:00:36Z\",\"p\":1,\"s\":1}\n\n{\"t\":\"x\"}\n".write(toFile: dir + "/ABC.trades.jsonl", atomically: true, encoding: .utf8)
        #expect(TickRecording.isRecording(at: dir))
        let error = try #require(throws: DataError.self) { try TickRecording.load(directory: dir) }
        #expect(error.line == 3)
        #expect(error.file.hasSuffix("ABC.trades.jsonl"))
    }

    static var ticksFixture: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/alpaca/ticks").path
    }
}
