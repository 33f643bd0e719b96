import Foundation
import HTTPTypes
import Hummingbird
import TradewindAlpaca
import TradewindCore

/// The Trading API v2 subset: account, orders, positions, clock, calendar.
enum TradingRoutes {
    static func add(to router: Router<ExchangeContext>, _ market: ExchangeMarket) {
        router.get("/v2/account") { _, _ in AlpacaReply.json(market.account()) }

        router.post("/v2/orders") { request, _ in
            let body = try await AlpacaReply.decode(AlpacaOrderRequest.self, request)
            return AlpacaReply.json(try market.submit(body))
        }
        router.get("/v2/orders") { request, _ in
            let q = request.uri.queryParameters
            let status = q.get("status") ?? "open"
            guard ["open", "closed", "all"].contains(status) else {
                throw ExchangeFailure.invalid("status '\(status)' is invalid; expected open, closed or all")
            }
            let limit = try Query.int(q.get("limit"), "limit", default: 50, range: 1...500)
            let direction = q.get("direction") ?? "desc"
            guard direction == "asc" || direction == "desc" else {
                throw ExchangeFailure.invalid("direction '\(direction)' is invalid; expected asc or desc")
            }
            let symbols = q.get("symbols").map { Set($0.split(separator: ",").map { $0.uppercased() }) }
            return AlpacaReply.json(market.orders(status: status, limit: limit, ascending: direction == "asc",
                                                  after: try Query.time(q.get("after"), "after"),
                                                  until: try Query.time(q.get("until"), "until"), symbols: symbols,
                                                  nested: q.get("nested") == "true"))
        }
        router.delete("/v2/orders") { _, _ in AlpacaReply.json(market.cancelAll(), status: HTTPResponse.Status(code: 207)) }
        router.get("/v2/orders:by_client_order_id") { request, _ in
            guard let c = request.uri.queryParameters.get("client_order_id") else {
                throw ExchangeFailure.invalid("client_order_id is required")
            }
            return AlpacaReply.json(try market.order(clientOrderID: c))
        }
        router.get("/v2/orders/:id") { _, context in
            AlpacaReply.json(try market.order(id: try context.parameters.require("id")))
        }
        router.patch("/v2/orders/:id") { request, context in
            let body = try await AlpacaReply.decode(AlpacaReplaceRequest.self, request)
            return AlpacaReply.json(try market.replace(orderID: try context.parameters.require("id"), with: body))
        }
        router.delete("/v2/orders/:id") { _, context in
            try market.cancel(orderID: try context.parameters.require("id"))
            return Response(status: .noContent)
        }

        router.get("/v2/positions") { _, _ in AlpacaReply.json(market.positions()) }
        router.delete("/v2/positions") { request, _ in
            AlpacaReply.json(market.closeAll(cancelOrders: request.uri.queryParameters.get("cancel_orders") == "true"),
                             status: HTTPResponse.Status(code: 207))
        }
        router.get("/v2/positions/:symbol") { _, context in
            AlpacaReply.json(try market.position(try context.parameters.require("symbol")))
        }
        router.delete("/v2/positions/:symbol") { request, context in
            let q = request.uri.queryParameters
            let qty = try q.get("qty").map { t throws(ExchangeFailure) in
                guard let v = AlpacaJSON.number(t) else { throw .invalid("qty must be a decimal string") }
                return v
            }
            let pct = try q.get("percentage").map { t throws(ExchangeFailure) in
                guard let v = AlpacaJSON.number(t) else { throw .invalid("percentage must be a decimal string") }
                return v
            }
            return AlpacaReply.json(try market.close(try context.parameters.require("symbol"), qty: qty, percentage: pct))
        }

        router.get("/v2/clock") { _, _ in AlpacaReply.json(MarketHours.clock(at: market.now)) }
        router.get("/v2/calendar") { request, _ in
            let q = request.uri.queryParameters
            let today = UnixTime.utcDate(of: market.now)
            let start = try Query.date(q.get("start"), "start") ?? today
            let end = try Query.date(q.get("end"), "end") ?? start.adding(days: 30)
            return AlpacaReply.json(try MarketHours.days(from: start, to: end))
        }
    }
}

/// Query parameters, checked: a bad one is a 422 naming it and what is accepted.
enum Query {
    static func int(_ text: String?, _ name: String, default value: Int, range: ClosedRange<Int>) throws(ExchangeFailure) -> Int {
        guard let text else { return value }
        guard let v = Int(text), range.contains(v) else {
            throw .invalid("\(name) '\(text)' is invalid; expected an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return v
    }

    static func time(_ text: String?, _ name: String) throws(ExchangeFailure) -> UnixNanos? {
        guard let text else { return nil }
        guard let t = AlpacaJSON.instant(text) else {
            throw .invalid("\(name) '\(text)' is invalid; expected an RFC 3339 time (2021-02-01T14:30:00Z) or a date (2021-02-01)")
        }
        return t
    }

    static func date(_ text: String?, _ name: String) throws(ExchangeFailure) -> CivilDate? {
        guard let t = try time(text, name) else { return nil }
        return UnixTime.utcDate(of: t)
    }
}
