import Foundation
import Testing
import TradewindAlpaca
import TradewindCore
import TradewindEngine
import TradewindLive
import TradewindProviders

/// Alpaca's recorded answers (from `alpaca-py`'s tests; `Payloads/SOURCE.md` names each) decode into the wire types.
@Suite struct AlpacaPayloadTests {
    static func payload(_ name: String) throws -> Data {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Payloads"))
        return try Data(contentsOf: url)
    }

    @Test func anOrderDecodesWithNumbersOrStringsForDecimals() throws {
        let order = try AlpacaJSON.decoder().decode(AlpacaOrder.self, from: Self.payload("market-order"))
        #expect(order.id == "61e69015-8549-4bfd-b9c3-01e75843f47d")
        #expect(order.qty == "1")
        #expect(order.filledQty == "0")
        #expect(order.filledAvgPrice == nil)
        #expect(order.status == "accepted")
        #expect(order.timeInForce == "day")
        let list = try AlpacaJSON.decoder().decode([AlpacaOrder].self, from: Self.payload("orders-list"))
        #expect(list.first?.type == "stop")
        #expect(list.first?.filledQty == "0")
        #expect(list.first?.replaces == "9f7d75bc-a9a2-40b0-9082-0fc0a09817ff")
        let cancelled = try AlpacaJSON.decoder().decode([AlpacaMultiStatus<AlpacaErrorBody>].self, from: Self.payload("cancel-all"))
        #expect(cancelled == [AlpacaMultiStatus(id: "497f6eca-6276-4993-bfeb-53cbbbba6f08", status: 200, body: nil)])
    }

    @Test func barPagesDecodeWithTheirTokensAndNullBars() throws {
        let page = try AlpacaJSON.decoder().decode(AlpacaBarsPage.self, from: Self.payload("bars-single-page"))
        #expect(page.bars?.count == 2)
        #expect(page.bars?.first == AlpacaBar(t: "2022-02-01T05:00:00Z", o: 174, h: 174.84, l: 172.31, c: 174.61, v: 85998033,
                                              n: 732412, vw: 173.703516))
        #expect(page.nextPageToken == "QUFQTHxEfDIwMjItMDItMDJUMDU6MDA6MDAuMDAwMDAwMDAwWg==")
        let multi = try AlpacaJSON.decoder().decode(AlpacaMultiBarsPage.self, from: Self.payload("bars-multi"))
        #expect(multi.bars.keys.sorted() == ["AAPL", "TSLA"])
        #expect(multi.bars["TSLA"]?.first?.o == 839)
        #expect(multi.nextPageToken == nil)
        let empty = try AlpacaJSON.decoder().decode(AlpacaBarsPage.self, from: Self.payload("bars-single-empty"))
        #expect(empty.bars == nil)
    }

    @Test func ordersTranslateBothWaysForEveryTypeAndTimeInForce() throws {
        let cases: [(OrderType, TimeInForce)] = [
            (.market, .day), (.limit(10.5), .gtc), (.stop(9), .ioc), (.stopLimit(stop: 9, limit: 8.5), .day),
            (.trailingStop(.amount(0.25)), .gtc), (.trailingStop(.percent(0.05)), .gtc), (.marketOnOpen, .day),
            (.marketOnClose, .day), (.limitOnOpen(10.25), .day), (.limitOnClose(11), .day), (.limit(10.5), .fok),
            (.market, .fok),
        ]
        for (type, tif) in cases {
            let o = BrokerOrder(clientOrderID: "c1", symbol: "SPY",
                                request: OrderRequest(symbol: 0, side: .sell, type: type, size: .units(3), timeInForce: tif))
            let wire = try AlpacaOrderRequest(o)
            let back = try wire.parsed(defaultClientOrderID: "x")
            #expect(back.order == o, "\(type) \(tif): \(wire)")
        }
        let loo = try AlpacaOrderRequest(BrokerOrder(clientOrderID: "c2", symbol: "SPY", request: OrderRequest(
            symbol: 0, side: .buy, type: .limitOnOpen(10.25), size: .units(1), timeInForce: .day)))
        #expect(loo.type == "limit" && loo.timeInForce == "opg" && loo.limitPrice == "10.25")
        let extended = BrokerOrder(clientOrderID: "c3", symbol: "SPY", request: OrderRequest(
            symbol: 0, side: .buy, type: .limit(10), size: .units(1), timeInForce: .day, extendedHours: true))
        let extendedWire = try AlpacaOrderRequest(extended)
        #expect(extendedWire.extendedHours == true)
        #expect(try extendedWire.parsed(defaultClientOrderID: "x").order == extended)
        #expect(AlpacaJSON.decimal(150.25) == "150.25")
        #expect(AlpacaJSON.decimal(100) == "100")
        #expect(AlpacaJSON.decimal(0.0001) == "0.0001")
    }

    @Test func extendedHoursAndAuctionOrdersAreRefusedAsAlpacaRefusesThem() {
        func refusal(_ r: AlpacaOrderRequest) -> AlpacaOrderRejection? {
            do { _ = try r.parsed(defaultClientOrderID: "x"); return nil } catch { return error }
        }
        let market = refusal(AlpacaOrderRequest(symbol: "SPY", qty: "1", side: "buy", type: "market", timeInForce: "day",
                                                extendedHours: true))
        #expect(market?.code == 40010001 && market?.message == "only type=\"limit\" is allowed for extended hours orders")
        let gtc = refusal(AlpacaOrderRequest(symbol: "SPY", qty: "1", side: "buy", type: "limit", timeInForce: "gtc",
                                             limitPrice: "10", extendedHours: true))
        #expect(gtc?.code == 40010001 && gtc?.field == "extended_hours")
        let stopOnOpen = refusal(AlpacaOrderRequest(symbol: "SPY", qty: "1", side: "buy", type: "stop", timeInForce: "opg",
                                                    stopPrice: "10"))
        #expect(stopOnOpen?.field == "time_in_force")
        // Windows (New York time, 2024-03-04, an NYSE session): opg refused 09:28–19:00, cls 15:50–19:00.
        let d = CivilDate(year: 2024, month: 3, day: 4)!
        func at(_ h: Int, _ m: Int) -> UnixNanos { ZoneRules.newYork.instant(d, hour: h, minute: m) }
        let opg = AlpacaOrderRequest(symbol: "SPY", qty: "1", side: "buy", type: "market", timeInForce: "opg")
        let cls = AlpacaOrderRequest(symbol: "SPY", qty: "1", side: "buy", type: "limit", timeInForce: "cls", limitPrice: "10")
        #expect(opg.auctionWindowProblem(at: at(9, 27)) == nil)
        #expect(opg.auctionWindowProblem(at: at(9, 28))?.field == "time_in_force")
        #expect(opg.auctionWindowProblem(at: at(18, 59)) != nil)
        #expect(opg.auctionWindowProblem(at: at(19, 0)) == nil)
        #expect(cls.auctionWindowProblem(at: at(15, 49)) == nil)
        #expect(cls.auctionWindowProblem(at: at(15, 50)) != nil)
        #expect(cls.auctionWindowProblem(at: at(19, 0)) == nil)
        // A Saturday has no auction to miss.
        #expect(opg.auctionWindowProblem(at: ZoneRules.newYork.instant(CivilDate(year: 2024, month: 3, day: 9)!, hour: 12, minute: 0)) == nil)
    }

    @Test func timesOutsideTheNanosecondRangeAreMalformedNotATrap() {
        for text in ["9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "2262-04-11T23:47:17Z", "1677-09-21T00:12:43Z",
                     "9999-12-31", "0001-01-01", "2262-04-12"] {
            #expect(AlpacaJSON.instant(text) == nil, "\(text)")
        }
        #expect(AlpacaJSON.instant("2262-04-11T23:47:16.854775807Z") == Int64.max)
        #expect(AlpacaJSON.instant("2262-04-11") == UnixTime.midnightUTC(CivilDate(year: 2262, month: 4, day: 11)!))
        #expect(AlpacaJSON.instant("1677-09-22") == UnixTime.midnightUTC(CivilDate(year: 1677, month: 9, day: 22)!))
    }

    @Test func auctionWindowsKeepNewYorkWallClockTimesOnTheSessionsAroundDSTChanges() {
        let zone = ZoneRules.newYork
        let opg = AlpacaOrderRequest(symbol: "SPY", qty: "1", side: "buy", type: "market", timeInForce: "opg")
        let cls = AlpacaOrderRequest(symbol: "SPY", qty: "1", side: "buy", type: "limit", timeInForce: "cls", limitPrice: "10")
        // The Fridays before and the Mondays after the spring-forward and fall-back Sundays of 2024.
        for (y, m, d) in [(2024, 3, 8), (2024, 3, 11), (2024, 11, 1), (2024, 11, 4)] {
            let date = CivilDate(year: y, month: m, day: d)!
            func at(_ h: Int, _ minute: Int) -> UnixNanos { zone.instant(date, hour: h, minute: minute) }
            #expect(opg.auctionWindowProblem(at: at(9, 27)) == nil, "\(date)")
            #expect(opg.auctionWindowProblem(at: at(9, 28)) != nil, "\(date)")
            #expect(cls.auctionWindowProblem(at: at(15, 49)) == nil, "\(date)")
            #expect(cls.auctionWindowProblem(at: at(15, 50)) != nil, "\(date)")
            #expect(opg.auctionWindowProblem(at: at(19, 0) - 1) != nil, "\(date)")
            #expect(opg.auctionWindowProblem(at: at(19, 0)) == nil, "\(date)")
        }
        // The change days themselves have no session: nothing to refuse, at any hour.
        for date in [CivilDate(year: 2024, month: 3, day: 10)!, CivilDate(year: 2024, month: 11, day: 3)!] {
            for hour in [0, 1, 3, 10, 18, 23] { #expect(opg.auctionWindowProblem(at: zone.instant(date, hour: hour, minute: 30)) == nil) }
        }
    }

    @Test func theTradeUpdatesStreamIsTheTradingHostsStreamPath() {
        let local = AlpacaEndpoints.from(ProviderEnvironment(["APCA_API_BASE_URL": "http://127.0.0.1:9/v2/"]))
        #expect(local.tradeUpdates == "ws://127.0.0.1:9/stream")
        #expect(AlpacaEndpoints().tradeUpdates == "wss://paper-api.alpaca.markets/stream")
        let one = AlpacaEndpoints(oneServer: "http://127.0.0.1:8765/")
        #expect(one.data == "http://127.0.0.1:8765")
        #expect(one.stream == "ws://127.0.0.1:8765")
    }
}
