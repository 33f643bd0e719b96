import Foundation
import Testing
import TradewindCore
@testable import TradewindProviders

@Suite("Alpaca bars pages read straight from the bytes agree with JSONDecoder")
struct AlpacaPageScannerTests {
    /// The page as `JSONDecoder` reads it (the reference), in the scanner's terms.
    static func decoded(_ data: Data, multi: Bool) throws -> [String: [AlpacaPageScanner.Row]] {
        func rows(_ bars: [AlpacaBarsClient.Bar]) -> [AlpacaPageScanner.Row] {
            bars.map { AlpacaPageScanner.Row(t: RFC3339.parse($0.t)!, o: $0.o, h: $0.h, l: $0.l, c: $0.c, v: $0.v, n: $0.n, vw: $0.vw) }
        }
        if multi { return try JSONDecoder().decode(AlpacaBarsClient.MultiPage.self, from: data).bars?.mapValues(rows) ?? [:] }
        return ["": rows(try JSONDecoder().decode(AlpacaBarsClient.SinglePage.self, from: data).bars ?? [])]
    }

    struct Token: Decodable { let next_page_token: String? }

    static func scanned(_ data: Data, multi: Bool) -> [String: [AlpacaPageScanner.Row]]? {
        guard let page = AlpacaPageScanner.scan(data, multi: multi) else { return nil }
        return Dictionary(page.bars.map { ($0.symbol ?? "", $0.rows) }, uniquingKeysWith: { $1 })
    }

    @Test func theRecordedPagesReadTheSameBothWays() throws {
        for (file, multi) in [("aapl-daily-page1.json", false), ("aapl-daily-page2.json", false), ("tsla-daily-desc.json", false),
                              ("empty.json", false), ("multi-daily.json", true)] {
            let data = Fixture.data("alpaca/" + file)
            let fast = try #require(Self.scanned(data, multi: multi), "\(file) was not scanned")
            let reference = try Self.decoded(data, multi: multi)
            #expect(fast.filter { !$0.value.isEmpty } == reference.filter { !$0.value.isEmpty }, "\(file)")
            let token = try JSONDecoder().decode(Token.self, from: data).next_page_token
            #expect(AlpacaPageScanner.scan(data, multi: multi)?.nextPageToken == token, "\(file)")
        }
    }

    @Test func keysInAnyOrderUnknownFieldsNullsAndExponentsReadAsJSONDecoderReadsThem() throws {
        let page = """
             { "next_page_token" : "QUFQTHxNfDIwMjI=", "extra": {"a": [1, {"b": "x\\"y"}], "c": null, "d": true},
              "bars" : [ {"vw":null, "c": 1.5e2 ,"t":"2024-03-08T14:30:00.5-05:00", "x": [1,2], "o": -0.25, "h": 151,
                          "l": 0.1, "v": 12345678901234567890, "n": 7},
                         {"t":"2024-03-11T13:30:00Z","o":0.30000000000000004,"h":2.675,"l":1E-3,"c":123456.789,"v":0} ],
              "symbol": "X" }
            """
        let data = Data(page.utf8)
        let fast = try #require(Self.scanned(data, multi: false))
        #expect(fast == (try Self.decoded(data, multi: false)))
        #expect(AlpacaPageScanner.scan(data, multi: false)?.nextPageToken == "QUFQTHxNfDIwMjI=")
    }

    @Test func numbersAreConvertedExactlyAsSwiftReadsThem() {
        var rng = SplitMix64(seed: 42)
        for k in 0..<20_000 {
            let magnitude = Double(rng.next() % 1_000_000_000) / Double([1, 10, 100, 1000, 10_000, 1_000_000][k % 6])
            let text = k % 7 == 0 ? String(Double(bitPattern: rng.next() >> 2)) : String(magnitude)
            let json = #"{"bars":[{"t":"2024-01-02T14:30:00Z","o":\#(text),"h":1,"l":1,"c":1,"v":1}]}"#
            let row = AlpacaPageScanner.scan(Data(json.utf8), multi: false)?.bars.first?.rows.first
            #expect(row?.o.bitPattern == Double(text)?.bitPattern, "\(text)")
        }
    }

    @Test func shapesItDoesNotReadExactlyAreLeftToJSONDecoder() {
        for page in [#"{"bars":[{"t":"2024-01-02T14:30:00Z","o":1,"h":1,"l":1,"c":1}]}"#,  // no volume
                     #"{"bars":[{"t":"2024-01-02\u0054"}]}"#,  // an escaped time
                     #"{"bars":[{"t":"2024-01-02T14:30:00Z","o":"1","h":1,"l":1,"c":1,"v":1}]}"#,  // a string price
                     #"{"bars":[{"t":"2024-01-02T14:30:00Z","o":1,"h":1,"l":1,"c":1,"v":1}]"#,  // truncated
                     #"{"bars":[]} trailing"#, ""] {
            #expect(AlpacaPageScanner.scan(Data(page.utf8), multi: false) == nil, "\(page)")
        }
    }
}
