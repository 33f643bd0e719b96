import Foundation
import Testing
import TradewindAlpaca
import TradewindCore
import TradewindEngine
import TradewindExchange

/// `fok`, `opg`/`cls` (market and limit) and `extended_hours` through the exchange's REST API give the orders and
/// fills `tradewind backtest` gives on the same bars, including pre-market and after-hours bars; the submission
/// windows and extended-hours rules are refused as Alpaca refuses them.
@Suite struct ExchangeAuctionOrderTests {
    /// Two NYSE sessions (2019-02-14 and -15) of 15-minute bars from 04:00 to 20:00 New York: pre-market, regular
    /// hours and after-hours, with a deterministic wave. Bar k of day d is `64 d + k`, starting at 04:00 + 15 k min.
    static func extendedRecording() -> MarketDataset {
        let zone = ZoneRules.newYork
        var t: [UnixNanos] = [], o: [Double] = [], h: [Double] = [], l: [Double] = [], c: [Double] = [], v: [Double] = []
        for (d, date) in [CivilDate(year: 2019, month: 2, day: 14)!, CivilDate(year: 2019, month: 2, day: 15)!].enumerated() {
            for k in 0..<64 {
                let x = Double(64 * d + k)
                let open = 100 + 2 * sin(x / 7), close = open + 0.5 * sin(x / 2)
                t.append(zone.instant(date, hour: 4 + k / 4, minute: 15 * (k % 4)))
                o.append(open); c.append(close)
                h.append(max(open, close) + 0.3); l.append(min(open, close) - 0.3); v.append(10_000)
            }
        }
        return MarketDataset([BarSeries(symbol: "AAA", interval: .minutes(15), time: t, open: o, high: h, low: l, close: c, volume: v)])
    }

    /// Places each order on the bar before the one it is listed at, as the exchange takes it once that bar ended.
    struct Placing: Strategy {
        let script: [(step: Int, request: OrderRequest)]
        mutating func onBar(_ context: some TradingContext) throws {
            for (step, request) in script where step - 1 == context.step { context.submit(request) }
        }
    }

    static func order(_ type: String, _ tif: String, side: String = "buy", qty: String = "1", limit: Double? = nil,
                      extended: Bool? = nil) -> AlpacaOrderRequest {
        AlpacaOrderRequest(symbol: "AAA", qty: qty, side: side, type: type, timeInForce: tif,
                           limitPrice: limit.map(AlpacaJSON.decimal), extendedHours: extended)
    }

    @Test func fokAuctionAndExtendedHoursOrdersFillAsTheBacktestFillsThem() async throws {
        let data = Self.extendedRecording()
        let bars = data["AAA"]!
        var config = BacktestConfig(initialCash: 100_000)
        config.session = .nyse
        // (step at which it is submitted: after that many bars were played; the request)
        let script: [(Int, AlpacaOrderRequest)] = [
            (12, Self.order("limit", "day", limit: bars.open[12], extended: true)),  // 07:00: fills in the pre-market
            (12, Self.order("limit", "day", limit: bars.open[12])),                  // same, regular: waits for 09:30
            (12, Self.order("market", "opg", qty: "2")),                             // the 09:30 open
            (12, Self.order("limit", "opg", limit: 50)),                             // not reached at the open: expires
            (24, Self.order("limit", "cls", side: "sell", limit: 1)),                // 10:00: the 15:45 bar's close
            (24, Self.order("market", "cls")),
            (24, Self.order("limit", "cls", limit: 50)),                             // not reached at the close
            (24, Self.order("limit", "fok", qty: "3", limit: bars.open[24])),        // filled whole
            (24, Self.order("limit", "fok", limit: 50)),                             // not reached: cancelled
            (50, Self.order("limit", "day", side: "sell", limit: 1, extended: true)), // 16:30: after-hours
            (50, Self.order("limit", "day", side: "sell", limit: 1)),                // regular: the next session
            (62, Self.order("market", "opg")),                                       // 19:30: next day's open
        ]
        let engineScript = try script.map { (step, r) in
            var request = try r.parsed(defaultClientOrderID: "x").order.request
            request.symbol = 0
            return (step: step, request: request)
        }
        let expected = try await Backtest.run(Placing(script: engineScript), data: data, config: config)
        #expect(expected.orderLog.allSatisfy { $0.status != .rejected }, "\(expected.orderLog.filter { $0.status == .rejected })")

        let market = try ExchangeMarket(data: data, config: config)
        try await ExchangeHarness.with(market) { x in
            let c = x.client()
            var ids: [String] = []
            for (step, request) in script {
                market.advance(step - market.stepsPlayed)
                ids.append(try await c.submit(request).id)
            }
            market.advance(market.replay.timeline.count)
            #expect(market.finished)
            func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-9 * max(abs(a), abs(b), 1) }
            for (k, id) in ids.enumerated() {
                let got = try await c.order(id: id)
                let want = expected.orders[OrderID(rawValue: k)]
                #expect(got.status == AlpacaOrderStatus.name(want.status), "order \(k) \(script[k].1.type) \(script[k].1.timeInForce)")
                #expect(close(AlpacaJSON.number(got.filledQty) ?? -1, want.filledQuantity), "order \(k)")
                if want.filledQuantity > 0 {
                    #expect(close(AlpacaJSON.number(got.filledAvgPrice) ?? -1, want.averageFillPrice), "order \(k)")
                }
            }
            // What each order was meant to prove happened, in both.
            let status = expected.orders.map(\.status)
            #expect(status == [.filled, .filled, .filled, .expired, .filled, .filled, .expired, .filled, .cancelled,
                               .filled, .filled, .filled])
            let stepOf = { (k: Int) in expected.fills.first { $0.orderID.rawValue == k }?.step }
            #expect(stepOf(0) == 12 && stepOf(1) == 22 && stepOf(2) == 22 && stepOf(4) == 47 && stepOf(9) == 50
                    && stepOf(10) == 86 && stepOf(11) == 86)
            let account = try await c.account()
            #expect(close(AlpacaJSON.number(account.equity) ?? 0, expected.finalEquity))
        }
    }

    /// Submits `r` and expects Alpaca's 422 with `code` and a message containing `text`.
    static func refused(_ c: AlpacaRESTClient, _ r: AlpacaOrderRequest, _ text: String, code: Int = 42210000) async {
        do {
            _ = try await c.submit(r)
            Issue.record("accepted \(r.type) \(r.timeInForce)")
        } catch {
            guard case .http(let status, let got, let message, _) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(status == 422 && got == code && message.contains(text), "\(error)")
        }
    }

    @Test func auctionOrdersOutsideTheirWindowsAndExtendedHoursMisuseAre422() async throws {
        var config = BacktestConfig(initialCash: 100_000)
        config.session = .nyse
        let market = try ExchangeMarket(data: Self.extendedRecording(), config: config)
        try await ExchangeHarness.with(market) { x async throws in
            let c = x.client()
            market.advance(22)  // 09:30
            await Self.refused(c, Self.order("market", "opg"), "opg orders are not accepted")
            #expect(try await c.submit(Self.order("market", "cls")).status == "new")
            market.advance(48 - 22)  // 16:00
            await Self.refused(c, Self.order("limit", "cls", limit: 10), "cls orders are not accepted")
            await Self.refused(c, Self.order("market", "day", extended: true), "only type=\"limit\" is allowed", code: 40010001)
            await Self.refused(c, Self.order("limit", "gtc", limit: 10, extended: true), "only time_in_force=\"day\"", code: 40010001)
            market.advance(60 - 48)  // 19:00
            #expect(try await c.submit(Self.order("market", "opg")).status == "new")
            #expect(try await c.submit(Self.order("limit", "day", limit: 10, extended: true)).extendedHours)
        }
    }
}
