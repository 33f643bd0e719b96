import Foundation
import Testing
@testable import TradewindAlpaca
import TradewindCore
@testable import TradewindExchange

/// The exchange's hand-written bars pages decode to exactly the values the `Codable` pages of `AlpacaBar`s held.
@Suite struct BarsPageEncodingTests {
    /// A series with prices of every shape: cents, long decimals, tiny, huge, exponents; fractional-second times;
    /// trade counts and VWAPs (some missing, as NaN).
    static func series(_ symbol: String, seed: UInt64, count: Int = 300) -> BarSeries {
        var g = Xoshiro256StarStar(seed: seed)
        func price() -> Double {
            switch g.next() % 5 {
            case 0: return Double(Int(g.next() % 1_000_000)) / 100
            case 1: return Double.random(in: 0.0001...5000, using: &g)
            case 2: return Double.random(in: 1e-9...1e-5, using: &g)
            case 3: return Double.random(in: 1e10...1e16, using: &g)
            default: return Double(Int(g.next() % 100_000_000)) / 10_000
            }
        }
        var t: [UnixNanos] = [], o: [Double] = [], h: [Double] = [], l: [Double] = [], c: [Double] = [], v: [Double] = []
        var n: [Double] = [], vw: [Double] = []
        var time: UnixNanos = 1_700_000_000 * UnixTime.nanosPerSecond
        for _ in 0..<count {
            time += Int64(g.next() % 90_000_000_000_000) + 1
            t.append(time); o.append(price()); h.append(price()); l.append(price()); c.append(price())
            v.append(Double(g.next() % 10_000_000))
            n.append(Double(g.next() % 5000))
            vw.append(g.next() % 4 == 0 ? .nan : price())
        }
        return BarSeries(symbol: symbol, interval: .minute, time: t, open: o, high: h, low: l, close: c, volume: v,
                         vwap: vw, tradeCount: n)
    }

    /// What the `Codable` page served: `AlpacaBar(recorded:)` of each row.
    static func bars(_ s: BarSeries, _ rows: some Sequence<Int>) -> [AlpacaBar] {
        rows.map { i in
            AlpacaBar(recorded: s.time[i], o: s.open[i], h: s.high[i], l: s.low[i], c: s.close[i], v: s.volume[i],
                      n: s.tradeCount?[i], vw: s.vwap.flatMap { $0[i].isNaN ? nil : $0[i] })
        }
    }

    @Test func multiSymbolPagesDecodeToTheRecordedBars() throws {
        let a = Self.series("AAA", seed: 1), b = Self.series(#"B"\Q"#, seed: 2)
        let slices = [BarSlice(symbol: a.symbol, series: a, rows: stride(from: 10, to: 300, by: 1), count: 290),
                      BarSlice(symbol: b.symbol, series: b, rows: stride(from: 299, to: -1, by: -1), count: 300)]
        for token in [nil, "1-2a"] as [String?] {
            let buffer = BarsPageJSON.multi(slices, token: token)
            let page = try AlpacaJSON.decoder().decode(AlpacaMultiBarsPage.self, from: Data(buffer.readableBytesView))
            #expect(page.bars[a.symbol] == Self.bars(a, stride(from: 10, to: 300, by: 1)))
            #expect(page.bars[b.symbol] == Self.bars(b, stride(from: 299, to: -1, by: -1)))
            #expect(page.nextPageToken == token)
        }
    }

    @Test func singleSymbolPagesDecodeToTheRecordedBarsAndEmptyPagesToNone() throws {
        let a = Self.series("AAA", seed: 3)
        let buffer = BarsPageJSON.single(BarSlice(symbol: "AAA", series: a, rows: stride(from: 0, to: 300, by: 1), count: 300),
                                         symbol: "AAA", token: "0-12c")
        let page = try AlpacaJSON.decoder().decode(AlpacaBarsPage.self, from: Data(buffer.readableBytesView))
        #expect(page.bars == Self.bars(a, 0..<300))
        #expect(page.symbol == "AAA" && page.nextPageToken == "0-12c")
        let empty = try AlpacaJSON.decoder().decode(AlpacaBarsPage.self,
                                                    from: Data(BarsPageJSON.single(nil, symbol: "AAA", token: nil).readableBytesView))
        #expect(empty.bars == [] && empty.nextPageToken == nil)
    }

    @Test func descendingPagesOverHTTPFollowTheirTokensToEveryBar() async throws {
        let data = ExchangeHarness.recording()
        try await ExchangeHarness.with(try ExchangeHarness.market(data)) { x in
            x.market.advance(120)
            let series = data["AAA"]!
            var got: [AlpacaBar] = []
            var token: String?
            var pages = 0
            repeat {
                var query = [("timeframe", "1Min"), ("limit", "37"), ("sort", "desc")]
                if let token { query.append(("page_token", token)) }
                let answer = try await x.client().call(.GET, x.base, "/v2/stocks/AAA/bars", query: query, idempotent: true)
                let page = try AlpacaJSON.decoder().decode(AlpacaBarsPage.self, from: answer.body)
                got += page.bars ?? []
                token = page.nextPageToken
                pages += 1
            } while token != nil && pages < 10
            #expect(pages == 4)
            #expect(got == Self.bars(series, (0..<120).reversed()))
        }
    }
}
