import Foundation
import Logging
import Synchronization
import Testing
@testable import TradewindAlpaca
import TradewindCore
import TradewindEngine
import TradewindExchange
import TradewindLive
import TradewindProviders

/// The feed on a data stream that misbehaves (frames injected by the exchange's
/// `POST /tradewind/faults/data-stream-frame`): repeated and out-of-order bars, malformed frames and unknown message
/// types, the stream's error codes, and a day the clocks change.
@Suite struct DataStreamFaultTests {
    /// A feed reading `market`'s stream into `got`, logging into `logs`, until `body` returns.
    static func withFeed(_ x: ExchangeHarness, logs: CapturedLogs, source: AlpacaFeed.BarSource = .streamedBars,
                         _ body: (AlpacaFeed, StepsSeen, Task<Void, any Error>) async throws -> Void) async throws {
        let feed = AlpacaFeed(symbols: ["AAA", "BBB"], credentials: ExchangeHarness.credentials,
                              endpoints: AlpacaEndpoints(oneServer: x.base), feed: "iex", policy: ExchangeHarness.quick,
                              source: source, logger: logs.logger)
        let got = StepsSeen()
        let reader = Task {
            for try await batch in feed.steps() { got.withLock { $0.append(contentsOf: batch) } }
        }
        defer { feed.stop(); reader.cancel() }
        // Subscribed, then a first bar came through.
        #expect(await eventually { x.market.dataStreamSubscribers > 0 })
        x.market.advance(1)
        #expect(await eventually { !got.withLock { $0.isEmpty } })
        try await body(feed, got, reader)
    }

    static func frame(_ bars: [(String, UnixNanos, Double)]) -> String {
        let messages = bars.map { AlpacaDataMessage.bar($0.0, AlpacaBar(t: AlpacaJSON.time($0.1), o: $0.2, h: $0.2, l: $0.2, c: $0.2, v: 1)) }
        return String(decoding: try! JSONEncoder().encode(messages), as: UTF8.self)
    }

    @Test func repeatedAndOutOfOrderBarsAreDeliveredOnceInOrderAndLateOnesDroppedWithALoggedReason() async throws {
        try await ExchangeHarness.with(try ExchangeHarness.market()) { x in
            let logs = CapturedLogs()
            try await Self.withFeed(x, logs: logs) { _, got, _ in
                let timeline = x.market.replay.timeline
                x.market.advance(2)
                let k = x.market.stepsPlayed
                #expect(await eventually { got.withLock { $0.last?.time } == timeline[k - 1].time })
                // The next two steps' bars, newest first, in one frame; then the same again; then the exchange plays them.
                let t1 = timeline[k].time, t2 = timeline[k + 1].time
                let reversed = Self.frame([("AAA", t2, 2), ("BBB", t2, 2), ("AAA", t1, 1), ("BBB", t1, 1)])
                #expect(x.market.sendDataStreamFrame(reversed) == 1)
                #expect(x.market.sendDataStreamFrame(reversed) == 1)
                x.market.advance(3)
                let end = timeline[x.market.stepsPlayed - 1].time
                #expect(await eventually { got.withLock { $0.last?.time } == end })
                let steps = got.withLock { $0 }
                #expect(steps.map(\.time) == Array(Set(steps.map(\.time))).sorted(), "once each, in time order")
                let injected = steps.filter { $0.time == t1 || $0.time == t2 }
                #expect(injected.map { $0.bars.map(\.close) } == [[1, 1], [2, 2]], "the out-of-order frame was put in order")
                let dropped = logs.all.filter { $0.message.contains("dropped a bar already given out") }
                #expect(dropped.count >= 4, "the repeated frame's and the exchange's own bars for those steps are logged")
                #expect(dropped.contains { $0.metadata["time"] == AlpacaJSON.time(t1) })
            }
        }
    }

    @Test func malformedFramesAndUnknownMessageTypesAreLoggedShortenedAndSkipped() async throws {
        try await ExchangeHarness.with(try ExchangeHarness.market()) { x in
            let logs = CapturedLogs()
            try await Self.withFeed(x, logs: logs) { _, got, _ in
                let before = got.withLock { $0.count }
                let long = "[{\"T\":\"b\",\"S\":\"AAA\",\"o\":" + String(repeating: "9", count: 1000)
                for frame in ["not json", #"[{"T":"b","S":"AAA","o":1"#, long, #"[{"T":"zz","S":"AAA"}]"#, #"{"T":"b"}"#] {
                    #expect(x.market.sendDataStreamFrame(frame) == 1)
                }
                x.market.advance(3)
                #expect(await eventually { got.withLock { $0.count } >= before + 2 }, "the stream went on")
                let malformed = logs.all.filter { $0.message.contains("malformed data-stream frame") }
                if malformed.count != 4 { print(logs.all.map(\.text).joined(separator: "\n")) }
                #expect(malformed.count == 4)
                #expect(malformed.contains { $0.metadata["frame"] == "not json" })
                let shortened = try #require(malformed.first { $0.metadata["frame"]?.hasPrefix("[{\"T\":\"b\",\"S\":\"AAA\",\"o\":999") == true })
                #expect(shortened.metadata["frame"]!.count < 260, "the frame is shortened in the log")
                #expect(logs.all.contains { $0.message.contains("unknown type") && $0.metadata["message"]?.contains("zz") == true })
                #expect(!logs.all.contains { $0.text.contains(ExchangeHarness.credentials.secretKey) }, "no secret in any log line")
                #expect(malformed.allSatisfy { $0.level == .warning })
            }
        }
    }

    /// Each documented code (400–409, 500), as `DataStreamError.handling` says.
    @Test(arguments: [400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 500])
    func eachStreamErrorCodeIsHandledAsDocumented(code: Int) async throws {
        try await ExchangeHarness.with(try ExchangeHarness.market()) { x in
            let logs = CapturedLogs()
            try await Self.withFeed(x, logs: logs) { _, got, reader in
                let expected = DataStreamError(code: code, message: "injected", path: "/v2/iex").handling
                #expect(x.market.sendDataStreamFrame(#"[{"T":"error","code":\#(code),"msg":"injected"}]"#) == 1)
                switch expected {
                case .stop:
                    let error = await #expect(throws: DataStreamError.self) { try await reader.value }
                    #expect(error?.code == code)
                    #expect(error.map { "\($0)" }?.contains("error \(code)") == true)
                case .reconnect:
                    #expect(await eventually { logs.all.contains { $0.message.contains("reconnecting") } })
                    #expect(await eventually { x.market.dataStreamSubscribers == 1 }, "subscribed again")
                    let before = got.withLock { $0.count }
                    #expect(await eventually { x.market.advance(1); return got.withLock { $0.count } > before }, "and bars flow")
                case .ignore:
                    #expect(await eventually { logs.all.contains { $0.message.contains("error \(code)") } })
                    let before = got.withLock { $0.count }
                    x.market.advance(2)
                    #expect(await eventually { got.withLock { $0.count } > before })
                    #expect(!logs.all.contains { $0.message.contains("reconnecting") }, "the same connection goes on")
                }
            }
        }
    }

    @Test func stepsAcrossTheDaylightSavingSwitchKeepTheirUTCInstants() async throws {
        // Friday 2019-03-08 opens at 14:30 UTC (EST); Monday 2019-03-11 at 13:30 UTC (EDT).
        let data = ExchangeHarness.recording(days: 2, from: CivilDate(year: 2019, month: 3, day: 8)!)
        var config = BacktestConfig(initialCash: 100_000)
        config.session = .nyse
        let market = try ExchangeMarket(data: data, from: RFC3339.parse("2019-03-08T20:50:00Z")!, config: config)
        try await ExchangeHarness.with(market) { x in
            try await Self.withFeed(x, logs: CapturedLogs()) { _, got, _ in
                x.market.advance(15)
                let last = x.market.replay.timeline[x.market.stepsPlayed - 1].time
                #expect(await eventually { got.withLock { $0.last?.time } == last })
                let times = got.withLock { $0.map { AlpacaJSON.time($0.time) } }
                #expect(times.contains("2019-03-08T20:59:00Z"), "Friday's last minute, EST")
                let monday = try #require(times.firstIndex(of: "2019-03-11T13:30:00Z"), "Monday's first minute, EDT")
                #expect(times[monday - 1] == "2019-03-08T20:59:00Z", "nothing in between: the weekend and the switch")
                #expect(times[monday + 1] == "2019-03-11T13:31:00Z")
            }
        }
    }
}

/// The steps a feed delivered, shared between the reading task and the test.
final class StepsSeen: Sendable {
    private let steps = Mutex<[FeedStep]>([])
    func withLock<R>(_ body: (inout [FeedStep]) -> R) -> R { steps.withLock { body(&$0) } }
}
