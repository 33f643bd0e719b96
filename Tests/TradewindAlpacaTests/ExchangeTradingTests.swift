import AsyncHTTPClient
import Foundation
import Testing
import TradewindAlpaca
import TradewindCore
import TradewindExchange
import TradewindProviders

/// The exchange's Trading API through Tradewind's own REST client, over loopback.
@Suite struct ExchangeTradingTests {
    @Test func requestsWithoutKeysGet401AndWithWrongKeys403() async throws {
        try await ExchangeHarness.with(try ExchangeHarness.market()) { x in
            var request = HTTPClientRequest(url: x.base + "/v2/account")
            request.method = .GET
            // The suite's first request to a server started under the whole suite's load: the harness's generous timeout
            // (what is checked is the status, not the speed).
            let bare = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
            #expect(bare.status.code == 401)
            let body = try await bare.body.collect(upTo: 1 << 16)
            let error = try AlpacaJSON.decoder().decode(AlpacaErrorBody.self, from: Data(body.readableBytesView))
            #expect(error.code == 40110000)
            await #expect(throws: AlpacaError.self) {
                _ = try await x.client(AlpacaCredentials(keyID: "PKTEST", secretKey: "zz-not-the-secret-zz")).account()
            }
            do {
                _ = try await x.client(AlpacaCredentials(keyID: "PKTEST", secretKey: "zz-not-the-secret-zz")).account()
            } catch let error as AlpacaError {
                #expect(error.status == 403)
                #expect(!error.description.contains("zz-not-the-secret-zz"), "the secret must not appear in errors")
            }
        }
    }

    @Test func aMarketOrderFillsAtTheNextBarsOpenAndShowsInPositionsAndAccount() async throws {
        let data = ExchangeHarness.recording()
        try await ExchangeHarness.with(try ExchangeHarness.market(data)) { x in
            let c = x.client()
            x.market.advance(3)
            let placed = try await c.submit(AlpacaOrderRequest(symbol: "AAA", qty: "10", side: "buy", type: "market",
                                                               timeInForce: "day", clientOrderId: "mine-1"))
            #expect(placed.status == "new")
            #expect(placed.clientOrderId == "mine-1")
            x.market.advance(1)
            let filled = try await c.order(id: placed.id)
            let open = data["AAA"]!.open[3]
            #expect(filled.status == "filled")
            #expect(AlpacaJSON.number(filled.filledQty) == 10)
            #expect(abs((AlpacaJSON.number(filled.filledAvgPrice) ?? 0) - open) < 1e-6)
            let positions = try await c.positions()
            #expect(positions.map(\.symbol) == ["AAA"])
            #expect(AlpacaJSON.number(positions.first?.qty) == 10)
            let account = try await c.account()
            #expect(abs((AlpacaJSON.number(account.cash) ?? 0) - (100_000 - 10 * open)) < 1e-4)
            // The same client order id again is refused.
            do {
                _ = try await c.submit(AlpacaOrderRequest(symbol: "AAA", qty: "1", side: "buy", type: "market",
                                                          timeInForce: "day", clientOrderId: "mine-1"))
                Issue.record("a duplicate client_order_id was accepted")
            } catch let error as AlpacaError {
                #expect(error.status == 422)
            }
            #expect(try await c.order(clientOrderID: "mine-1").id == placed.id)
        }
    }

    @Test func replaceGivesANewOrderAndCancelAnswers422OnceFinal() async throws {
        try await ExchangeHarness.with(try ExchangeHarness.market()) { x in
            let c = x.client()
            x.market.advance(1)
            let first = try await c.submit(AlpacaOrderRequest(symbol: "BBB", qty: "5", side: "buy", type: "limit",
                                                              timeInForce: "gtc", limitPrice: "50"))
            let second = try await c.replace(orderID: first.id, AlpacaReplaceRequest(qty: "7", limitPrice: "51"))
            #expect(second.id != first.id)
            #expect(second.replaces == first.id)
            #expect(second.limitPrice == "51")
            #expect(try await c.order(id: first.id).status == "replaced")
            try await c.cancel(orderID: second.id)
            #expect(try await c.order(id: second.id).status == "canceled")
            do {
                try await c.cancel(orderID: second.id)
                Issue.record("cancelling a cancelled order succeeded")
            } catch let error as AlpacaError {
                #expect(error.status == 422)
            }
            do {
                _ = try await c.order(id: "00000000-0000-4000-8000-00000000ffff")
                Issue.record("an unknown order was found")
            } catch let error as AlpacaError {
                #expect(error.status == 404)
            }
        }
    }

    @Test func everyOrderTypeIsTakenAndCancelAllAnswers207() async throws {
        try await ExchangeHarness.with(try ExchangeHarness.market()) { x in
            let c = x.client()
            x.market.advance(1)
            let requests = [
                AlpacaOrderRequest(symbol: "AAA", qty: "1", side: "buy", type: "limit", timeInForce: "day", limitPrice: "10"),
                AlpacaOrderRequest(symbol: "AAA", qty: "1", side: "buy", type: "stop", timeInForce: "gtc", stopPrice: "500"),
                AlpacaOrderRequest(symbol: "AAA", qty: "1", side: "buy", type: "stop_limit", timeInForce: "gtc",
                                   limitPrice: "501", stopPrice: "500"),
                AlpacaOrderRequest(symbol: "AAA", qty: "1", side: "sell", type: "trailing_stop", timeInForce: "gtc",
                                   trailPercent: "5"),
                AlpacaOrderRequest(symbol: "AAA", notional: "250", side: "buy", type: "market", timeInForce: "cls"),
                AlpacaOrderRequest(symbol: "AAA", qty: "1", side: "buy", type: "limit", timeInForce: "cls", limitPrice: "10"),
                AlpacaOrderRequest(symbol: "AAA", qty: "1", side: "buy", type: "limit", timeInForce: "fok", limitPrice: "10"),
            ]
            for r in requests { #expect(try await c.submit(r).status == "new", "\(r.type) \(r.timeInForce)") }
            let cancelled = try await c.cancelAll()
            #expect(cancelled.count == requests.count)
            #expect(cancelled.allSatisfy { $0.status == 200 })
            #expect(try await c.orders(status: "open").isEmpty)
        }
    }

    @Test func invalidOrdersAre422NamingTheFieldAndUnaffordableBuysAre403() async throws {
        try await ExchangeHarness.with(try ExchangeHarness.market(cash: 1_000)) { x in
            let c = x.client()
            x.market.advance(1)
            let cases: [(AlpacaOrderRequest, String)] = [
                (AlpacaOrderRequest(symbol: "AAA", qty: "1", side: "buy", type: "limit", timeInForce: "day"), "limit_price"),
                (AlpacaOrderRequest(symbol: "AAA", qty: "1", side: "hold", type: "market", timeInForce: "day"), "side"),
                (AlpacaOrderRequest(symbol: "AAA", qty: "-1", side: "buy", type: "market", timeInForce: "day"), "qty"),
                (AlpacaOrderRequest(symbol: "AAA", qty: "1", side: "buy", type: "market", timeInForce: "week"), "time_in_force"),
                (AlpacaOrderRequest(symbol: "ZZZ", qty: "1", side: "buy", type: "market", timeInForce: "day"), "ZZZ"),
            ]
            for (r, field) in cases {
                do {
                    _ = try await c.submit(r)
                    Issue.record("accepted an invalid order (\(field))")
                } catch let error as AlpacaError {
                    #expect(error.status == 422)
                    #expect(error.description.contains(field), "\(error)")
                }
            }
            do {
                _ = try await c.submit(AlpacaOrderRequest(symbol: "AAA", qty: "100", side: "buy", type: "market", timeInForce: "day"))
                Issue.record("an unaffordable buy was accepted")
            } catch let error as AlpacaError {
                #expect(error.status == 403)
                #expect(error.description.contains("buying power"))
            }
        }
    }

    @Test func aBracketOrderNestsItsLegsAndTheTakeProfitClosesThePosition() async throws {
        let data = ExchangeHarness.recording()
        try await ExchangeHarness.with(try ExchangeHarness.market(data)) { x in
            let c = x.client()
            x.market.advance(1)
            var r = AlpacaOrderRequest(symbol: "AAA", qty: "3", side: "buy", type: "market", timeInForce: "gtc", orderClass: "bracket")
            let close = data["AAA"]!.close[0]
            r.takeProfit = .init(limitPrice: AlpacaJSON.decimal(close + 0.5))
            r.stopLoss = .init(stopPrice: AlpacaJSON.decimal(close - 50))
            let placed = try await c.submit(r)
            #expect(placed.orderClass == "bracket")
            #expect(placed.legs?.count == 2)
            #expect(placed.legs?.allSatisfy { $0.status == "held" } == true)
            x.market.advance(200)
            let entry = try await c.order(id: placed.id)
            #expect(entry.status == "filled")
            let legs = entry.legs ?? []
            #expect(legs.first { $0.type == "limit" }?.status == "filled")
            #expect(legs.first { $0.type == "stop" }?.status == "canceled")
            #expect(try await c.positions().isEmpty)
        }
    }

    @Test func positionsCloseByQuantityPercentageAndAll() async throws {
        try await ExchangeHarness.with(try ExchangeHarness.market()) { x in
            let c = x.client()
            x.market.advance(1)
            _ = try await c.submit(AlpacaOrderRequest(symbol: "AAA", qty: "10", side: "buy", type: "market", timeInForce: "day"))
            _ = try await c.submit(AlpacaOrderRequest(symbol: "BBB", qty: "4", side: "buy", type: "market", timeInForce: "day"))
            x.market.advance(1)
            _ = try await c.closePosition("AAA", qty: 3)
            x.market.advance(1)
            #expect(AlpacaJSON.number(try await c.positions().first { $0.symbol == "AAA" }?.qty) == 7)
            _ = try await c.closePosition("BBB", percentage: 50)
            x.market.advance(1)
            #expect(AlpacaJSON.number(try await c.positions().first { $0.symbol == "BBB" }?.qty) == 2)
            do {
                _ = try await c.closePosition("AAA", qty: 100)
                Issue.record("closed more than held")
            } catch let error as AlpacaError {
                #expect(error.status == 422)
            }
        }
    }

    @Test func clockAndCalendarFollowTheNYSECalendar() async throws {
        try await ExchangeHarness.with(try ExchangeHarness.market(ExchangeHarness.recording(days: 3))) { x in
            let c = x.client()
            x.market.advance(10)
            let clock = try await c.clock()
            #expect(clock.isOpen)
            #expect(clock.timestamp == "2019-02-14T09:40:00-05:00")
            #expect(clock.nextClose == "2019-02-14T16:00:00-05:00")
            #expect(clock.nextOpen == "2019-02-15T09:30:00-05:00")
            let days = try await c.calendar(start: "2019-02-14", end: "2019-02-20")
            // Presidents' Day (Monday 2019-02-18) is a holiday; the weekend has no sessions.
            #expect(days.map(\.date) == ["2019-02-14", "2019-02-15", "2019-02-19", "2019-02-20"])
            #expect(days.first?.open == "09:30")
            #expect(days.first?.close == "16:00")
            // After the third session's last bar the market is closed until the next open.
            x.market.advance(10_000)
            let after = try await c.clock()
            #expect(!after.isOpen)
            #expect(after.nextOpen == "2019-02-20T09:30:00-05:00")
        }
    }
}
