import Foundation
import NIOCore
import Testing
@testable import TradewindServer
@testable import TradewindStore

@Suite("History JSON written by hand")
struct HistoryJSONTests {
    static func summary(id: Int64, symbol: String, parameters: [ResultParameter], metrics: ResultMetrics,
                        objective: String? = "sharpe", job: Int64? = 3) -> ResultSummary {
        ResultSummary(id: id, jobID: job, kind: .optimize, symbol: symbol, strategy: "sma-cross", parameters: parameters,
                      objectiveName: objective, metrics: metrics, createdAt: 1_709_303_400_123_000_000)
    }

    static func object(_ body: ByteBuffer) throws -> [String: Any] {
        try object(String(buffer: body))
    }

    static func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func aPageIsValidJSONWithEveryFieldOfEveryResult() throws {
        let full = Self.summary(id: 7, symbol: "SPY", parameters: [ResultParameter(name: "slow", value: "30"),
                                                                   ResultParameter(name: "fast", value: "10")],
                                metrics: ResultMetrics(sharpe: 1.25, totalReturn: -0.5, maxGain: 2, winRate: 0.1,
                                                       maxDrawdown: 1e-7, trades: 40, objective: 1.25))
        let empty = Self.summary(id: 8, symbol: #"odd "name"\ é"#, parameters: [], metrics: ResultMetrics(), objective: nil, job: nil)
        let page = Page(items: [full, empty], total: 120, limit: 2, offset: 4)
        let json = try Self.object(HistoryJSON.page(page, times: Timestamps(zone: .utc)))
        #expect(json["total"] as? Int == 120)
        #expect(json["limit"] as? Int == 2)
        #expect(json["offset"] as? Int == 4)
        let items = try #require(json["items"] as? [[String: Any]])
        #expect(items.count == 2)
        let a = items[0]
        #expect(a["id"] as? Int == 7)
        #expect(a["job_id"] as? Int == 3)
        #expect(a["kind"] as? String == "optimize")
        #expect(a["symbol"] as? String == "SPY")
        #expect(a["strategy"] as? String == "sma-cross")
        #expect(a["parameters"] as? [String: String] == ["fast": "10", "slow": "30"])
        #expect(a["objective"] as? String == "sharpe")
        #expect(a["objective_value"] as? Double == 1.25)
        #expect(a["sharpe"] as? Double == 1.25)
        #expect(a["total_return"] as? Double == -0.5)
        #expect(a["max_gain"] as? Double == 2)
        #expect(a["win_rate"] as? Double == 0.1)
        #expect(a["max_drawdown"] as? Double == 1e-7)
        #expect(a["trades"] as? Int == 40)
        #expect(a["created_at"] as? String == "2024-03-01T14:30:00.123+00:00")
        let b = items[1]
        #expect(b["symbol"] as? String == #"odd "name"\ é"#)
        #expect(b["parameters"] as? [String: String] == [:])
        for key in ["job_id", "objective", "objective_value", "sharpe", "total_return", "max_gain", "win_rate", "max_drawdown"] {
            #expect(b[key] is NSNull, "\(key) should be null")
        }
        #expect(Set(a.keys) == Set(b.keys))
        #expect(a.keys.count == 15)
    }

    @Test func keysAreSortedAndIntegralNumbersHaveNoFraction() {
        var out = ""
        HistoryJSON.item(Self.summary(id: 1, symbol: "A", parameters: [ResultParameter(name: "n", value: "2")],
                                      metrics: ResultMetrics(sharpe: 3, totalReturn: .nan, maxGain: .infinity, trades: 1)),
                         times: Timestamps(zone: .utc), into: &out)
        #expect(out == #"{"created_at":"2024-03-01T14:30:00.123+00:00","id":1,"job_id":3,"kind":"optimize","max_drawdown":null,"max_gain":null,"objective":"sharpe","objective_value":null,"parameters":{"n":"2"},"sharpe":3,"strategy":"sma-cross","symbol":"A","total_return":null,"trades":1,"win_rate":null}"#)
    }

    @Test func aRepeatedParameterNameKeepsItsFirstValue() throws {
        var out = ""
        HistoryJSON.item(Self.summary(id: 1, symbol: "A", parameters: [ResultParameter(name: "n", value: "2"), ResultParameter(name: "n", value: "5")],
                                      metrics: ResultMetrics()), times: Timestamps(zone: .utc), into: &out)
        #expect(try Self.object(out)["parameters"] as? [String: String] == ["n": "2"])
    }

    @Test func theStoresParameterTextIsReadWithoutADecoderAndAnythingElseFallsBack() {
        let lists: [[ResultParameter]] = [[], [ResultParameter(name: "fast", value: "10")],
                                          [ResultParameter(name: "a", value: ""), ResultParameter(name: "b", value: "é 1.5")]]
        for list in lists {
            #expect(ResultParameter.canonicalList(SQLStore.json(list)) == list)
        }
        // Escapes, whitespace, other key orders and broken text are left to JSONDecoder.
        #expect(ResultParameter.canonicalList(SQLStore.json([ResultParameter(name: "path", value: "a/b\"c")])) == nil)
        for text in [#"[ {"name":"a","value":"1"}]"#, #"[{"value":"1","name":"a"}]"#, #"[{"name":"a","value":"1"}"#,
                     #"[{"name":"a","value":"1"}]x"#, #"[{"name":"a","value":1}]"#, "", "[", "null"] {
            #expect(ResultParameter.canonicalList(text) == nil, "\(text)")
        }
    }
}
