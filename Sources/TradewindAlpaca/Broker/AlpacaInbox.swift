import Synchronization
import TradewindEngine
import TradewindLive

/// The broker's reports as they arrive (stream, REST answers, rebuilt after a reconnect), turned into the runtime's
/// `BrokerUpdate`s with ids derived from the order, deduplicated by id, and with fills never counted past the
/// order's cumulative filled quantity (a late partial fill after a rebuild that already covered it is dropped).
final class Inbox: Sendable {
    fileprivate struct State {
        var queue: [BrokerUpdate] = []
        var given = Set<String>()
        var clientOf: [String: String] = [:]
        var idOfClient: [String: String] = [:]
        var orders: [String: (symbol: String, side: OrderSide)] = [:]
        var announced = Set<String>()
        var held = Set<String>()
        var filled: [String: (quantity: Double, value: Double)] = [:]
    }

    private let state = Mutex(State())

    func drain(into updates: inout [BrokerUpdate]) {
        let batch = state.withLock { s in
            defer { s.queue.removeAll(keepingCapacity: true) }
            return s.queue
        }
        updates.append(contentsOf: batch)
    }

    func alpacaID(client: String) -> String? { state.withLock { $0.idOfClient[client] } }

    func order(_ id: String) -> (symbol: String, side: OrderSide)? { state.withLock { $0.orders[id] } }

    /// A command Alpaca (or the adapter) refused: the runtime's order is rejected with the reason.
    func reject(_ o: BrokerOrder, _ why: String) {
        state.withLock { s in
            s.push(BrokerUpdate(eventID: "reject:\(o.clientOrderID)", brokerID: "reject:\(o.clientOrderID)",
                                .accepted(clientOrderID: o.clientOrderID, symbol: o.symbol, request: o.request,
                                          status: .rejected, reason: why)))
        }
    }

    /// An order Alpaca answered with (a submit, a replace, a bracket's leg), for the runtime's client id.
    func placed(_ o: AlpacaOrder, client: String) {
        state.withLock { s in
            s.clientOf[o.id] = client
            s.idOfClient[client] = o.id
            s.take(o, event: nil, fill: nil)
        }
    }

    /// A `trade_updates` event.
    func receive(_ u: AlpacaTradeUpdate) {
        state.withLock { s in
            let fill = AlpacaJSON.number(u.qty).flatMap { q in AlpacaJSON.number(u.price).map { (q, $0) } }
            s.take(u.order, event: u.event, fill: fill)
        }
    }

    /// The reports an order's REST state implies (legs included), appended to `out` (and not queued: the caller
    /// hands them over).
    func rebuild(_ o: AlpacaOrder, into out: inout [BrokerUpdate]) {
        state.withLock { s in
            let before = s.queue.count
            s.take(o, event: nil, fill: nil)
            for leg in o.legs ?? [] { s.take(leg, event: nil, fill: nil) }
            out.append(contentsOf: s.queue[before...])
            s.queue.removeSubrange(before...)
        }
    }
}

extension Inbox.State {
    fileprivate mutating func push(_ u: BrokerUpdate) {
        if given.insert(u.eventID).inserted { queue.append(u) }
    }

    /// The reports for order `o` as it now stands: announced once (held or not), a fill (the stream's, or what the
    /// cumulative quantity adds), the status it reached.
    fileprivate mutating func take(_ o: AlpacaOrder, event: String?, fill: (quantity: Double, price: Double)?) {
        let id = o.id
        let side: OrderSide = o.side == "sell" ? .sell : .buy
        orders[id] = (o.symbol, side)
        let client = clientOf[id] ?? o.clientOrderId
        if clientOf[id] == nil { clientOf[id] = client; idOfClient[client] = id }
        let status = event ?? o.status
        if announced.insert(id).inserted {
            let request = (try? Self.request(o)) ?? OrderRequest(symbol: 0, side: side, size: .units(AlpacaJSON.number(o.qty) ?? 0))
            let isHeld = o.status == "held"
            if isHeld { held.insert(id) }
            push(BrokerUpdate(eventID: "\(id):\(isHeld ? "held" : "new")", brokerID: id,
                              .accepted(clientOrderID: client, symbol: o.symbol, request: request,
                                        status: isHeld ? .held : .submitted, reason: "")))
        }
        if held.contains(id), o.status != "held" {
            held.remove(id)
            push(BrokerUpdate(eventID: "\(id):new", brokerID: id,
                              .status(.submitted, reason: "", quantity: AlpacaJSON.number(o.qty) ?? 0, price: 0)))
        }
        let cumulative = AlpacaJSON.number(o.filledQty) ?? 0
        var done = filled[id] ?? (0, 0)
        if let fill, event == "fill" || event == "partial_fill" {
            if fill.quantity > 0, done.quantity + fill.quantity <= cumulative + 1e-9 {
                push(BrokerUpdate(eventID: "\(id):fill:\(o.filledQty)", brokerID: id,
                                  .fill(quantity: fill.quantity, price: fill.price, commission: 0, slippageCost: 0)))
                done = (done.quantity + fill.quantity, done.value + fill.quantity * fill.price)
            }
        } else if cumulative > done.quantity + 1e-9, let average = AlpacaJSON.number(o.filledAvgPrice) {
            let q = cumulative - done.quantity
            let price = (average * cumulative - done.value) / q
            push(BrokerUpdate(eventID: "\(id):fill:\(o.filledQty)", brokerID: id,
                              .fill(quantity: q, price: price > 0 ? price : average, commission: 0, slippageCost: 0)))
            done = (cumulative, average * cumulative)
        }
        filled[id] = done
        switch status {
        case "fill", "filled":
            push(BrokerUpdate(eventID: "\(id):filled", brokerID: id, .status(.filled, reason: "", quantity: 0, price: 0)))
        case "partial_fill", "partially_filled":
            push(BrokerUpdate(eventID: "\(id):partial:\(o.filledQty)", brokerID: id,
                              .status(.partiallyFilled, reason: "", quantity: 0, price: 0)))
        case "canceled", "expired", "rejected", "replaced":
            let s = AlpacaOrderStatus.status(status) ?? .cancelled
            push(BrokerUpdate(eventID: "\(id):\(status)", brokerID: id,
                              .status(s, reason: status == "replaced" ? "replaced by \(o.replacedBy ?? "a new order")" : "alpaca: \(status)",
                                      quantity: 0, price: 0)))
        default: break
        }
    }

    /// The request an Alpaca order stands for.
    static func request(_ o: AlpacaOrder) throws(AlpacaOrderRejection) -> OrderRequest {
        let r = AlpacaOrderRequest(symbol: o.symbol, qty: o.qty, notional: o.qty == nil ? o.notional : nil, side: o.side,
                                   type: o.type, timeInForce: o.timeInForce, limitPrice: o.limitPrice, stopPrice: o.stopPrice,
                                   trailPrice: o.trailPrice, trailPercent: o.trailPercent)
        return try r.parsed(defaultClientOrderID: o.clientOrderId).order.request
    }
}
