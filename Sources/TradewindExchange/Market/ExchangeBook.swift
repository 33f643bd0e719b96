import TradewindAlpaca
import TradewindCore
import TradewindEngine
import TradewindLive

/// One order the exchange holds: as Alpaca reports it, as the paper broker took it, and its bracket parent.
struct ExchangeOrder {
    var wire: AlpacaOrder
    var order: BrokerOrder
    var parent: String?
    var created: UnixNanos
    /// Filled quantity and value so far.
    var filled = 0.0
    var filledValue = 0.0
}

/// The exchange's state behind its lock: the paper broker and the orders in Alpaca's terms.
struct Book {
    let broker: PaperBroker
    let symbols: [String]
    let accountModel: AccountModel
    var next = 0
    /// The replay clock now (the instant events are stamped with).
    var clock: UnixNanos = 0
    var orders: [String: ExchangeOrder] = [:]
    /// Alpaca ids in submission order.
    var orderIDs: [String] = []
    var idOfClient: [String: String] = [:]
    var idOfVenue: [BrokerOrderID: String] = [:]
    var legs: [String: [String]] = [:]
    var lastClose: [String: Double] = [:]
    /// Average entry price per symbol (for positions).
    var entry: [String: Double] = [:]
    var sessionStartEquity: Double?
    var log: [String] = []
    /// Where the commands are written before they are carried out (`--state DIR`); nil: in memory only.
    var stateLog: ExchangeStateLog?
    private var updates: [BrokerUpdate] = []
    private var events: [String] = []
    private var executions = 0

    /// Writes `command` to the state log (when there is one) before it is carried out; 500 when it cannot.
    func record(_ command: ExchangeStateLog.Command) throws(ExchangeFailure) {
        do { try stateLog?.append(command) } catch {
            throw ExchangeFailure(500, 50010000, "the exchange cannot record the command durably: \(error)")
        }
    }

    init(broker: PaperBroker, symbols: [String], account: AccountModel) {
        self.broker = broker
        self.symbols = symbols
        accountModel = account
    }

    static func isFinal(_ status: String) -> Bool {
        ["filled", "canceled", "expired", "rejected", "replaced", "done_for_day"].contains(status)
    }

    /// Registers an order sent to the broker (or a venue-created one); returns its Alpaca id.
    mutating func create(_ o: BrokerOrder, orderClass: String, request: AlpacaOrderRequest?, market: ExchangeMarket,
                         parent: String? = nil) -> String {
        let id = ExchangeMarket.uuid(orderIDs.count + 1)
        let t = AlpacaJSON.time(clock)
        var qty: String?, notional: String?
        switch o.request.size {
        case .units(let q): qty = AlpacaJSON.decimal(q)
        case .notional(let v): notional = AlpacaJSON.decimal(v)
        default: break
        }
        var wire: AlpacaOrder
        do {
            wire = try AlpacaOrder(translating: o, id: id, assetID: assetID(o.symbol), createdAt: t, orderClass: orderClass)
        } catch {
            wire = AlpacaOrder(id: id, clientOrderId: o.clientOrderID, createdAt: t, updatedAt: t, submittedAt: t,
                               assetId: assetID(o.symbol), symbol: o.symbol, qty: qty, notional: notional, filledQty: "0",
                               orderClass: orderClass, type: "market", side: o.request.side.rawValue,
                               timeInForce: o.request.timeInForce.rawValue, status: "accepted")
        }
        wire.extendedHours = request?.extendedHours ?? false
        wire.status = parent != nil ? "held" : "accepted"
        orders[id] = ExchangeOrder(wire: wire, order: o, parent: parent, created: clock)
        orderIDs.append(id)
        idOfClient[o.clientOrderID] = id
        return id
    }

    func assetID(_ symbol: String) -> String {
        ExchangeMarket.uuid((symbols.firstIndex(of: symbol) ?? symbols.count) + 1, kind: 0xA000)
    }

    /// The order as reported, with its legs nested when asked.
    func view(_ id: String, nested: Bool = true) -> AlpacaOrder {
        var w = orders[id]!.wire
        if nested, let legs = legs[id] { w.legs = legs.compactMap { orders[$0]?.wire } }
        return w
    }

    func buyingPower() -> Double {
        let a = broker.snapshot()
        switch accountModel {
        case .cash: return max(a.cash, 0)
        case .margin(let initial, _): return max(a.equity, 0) / max(initial, 0.01) - grossExposure(a)
        }
    }

    private func grossExposure(_ a: BrokerAccount) -> Double {
        a.positions.reduce(0) { $0 + abs($1.value) * (lastClose[$1.key] ?? 0) }
    }

    /// 403 when a buy of known size would cost more than the buying power left.
    func checkBuyingPower(_ o: BrokerOrder) throws(ExchangeFailure) {
        guard o.request.side == .buy else { return }
        let price: Double?
        switch o.request.type {
        case .limit(let p), .stopLimit(_, let p): price = p
        default: price = lastClose[o.symbol]
        }
        let cost: Double
        switch o.request.size {
        case .units(let q): cost = q * (price ?? 0)
        case .notional(let v): cost = v
        default: return
        }
        let held = broker.snapshot().positions[o.symbol] ?? 0
        if held < 0 { return }
        if cost > buyingPower() * (1 + 1e-9) + 1e-6 {
            throw ExchangeFailure(403, 40310000, "insufficient buying power")
        }
    }

    func position(_ symbol: String, _ q: Double) -> AlpacaPosition {
        AlpacaPosition(assetId: assetID(symbol), symbol: symbol, quantity: q, averageEntryPrice: entry[symbol] ?? 0,
                       currentPrice: lastClose[symbol] ?? 0)
    }

    mutating func takeEvents() -> [String] {
        defer { events.removeAll() }
        return events
    }

    /// Takes the paper broker's reports into the orders and queues their `trade_updates` events.
    mutating func drain(_ market: ExchangeMarket) {
        broker.pollUpdates(into: &updates)
        defer { updates.removeAll(keepingCapacity: true) }
        for u in updates { apply(u, market) }
    }

    private mutating func apply(_ u: BrokerUpdate, _ market: ExchangeMarket) {
        let t = AlpacaJSON.time(clock)
        switch u.kind {
        case .accepted(let client, let symbol, let request, let status, let reason):
            let id: String
            if let client, let known = idOfClient[client] {
                id = known
            } else {
                // Created by the venue (flattening at the close, a margin call): reported like any order.
                id = create(BrokerOrder(clientOrderID: ExchangeMarket.uuid(orderIDs.count + 1, kind: 0xC000), symbol: symbol,
                                        request: request), orderClass: "simple", request: nil, market: market)
            }
            idOfVenue[u.brokerID] = id
            if status == .held {
                orders[id]!.wire.status = "held"
                return
            }
            set(id, status, reason: reason, at: t)
        case .status(let status, let reason, _, _):
            guard let id = idOfVenue[u.brokerID] else { return }
            set(id, status, reason: reason, at: t)
        case .fill(let q, let price, _, _):
            guard let id = idOfVenue[u.brokerID], var o = orders[id] else { return }
            o.filled += q
            o.filledValue += q * price
            o.wire.filledQty = AlpacaJSON.decimal(o.filled)
            o.wire.filledAvgPrice = AlpacaJSON.decimal(o.filledValue / o.filled)
            o.wire.updatedAt = t
            let whole = AlpacaJSON.number(o.wire.qty).map { o.filled >= $0 - 1e-9 } ?? true
            o.wire.status = whole ? "filled" : "partially_filled"
            if whole { o.wire.filledAt = t }
            orders[id] = o
            let signed = o.order.request.side.sign * q
            let before = broker.snapshot().positions[o.wire.symbol].map { $0 } ?? 0
            noteEntry(o.wire.symbol, positionAfter: before, fill: signed, price: price)
            executions += 1
            emit(whole ? "fill" : "partial_fill", id, at: t, executionID: ExchangeMarket.uuid(executions, kind: 0xE000),
                 positionQty: before, price: price, qty: q)
        }
    }

    /// Average entry price after a fill of `fill` (signed) shares leading to `positionAfter`.
    private mutating func noteEntry(_ symbol: String, positionAfter: Double, fill: Double, price: Double) {
        let before = positionAfter - fill
        if positionAfter == 0 { entry[symbol] = nil; return }
        if before == 0 || (before > 0) != (positionAfter > 0) { entry[symbol] = price; return }
        if abs(positionAfter) > abs(before) {
            entry[symbol] = ((entry[symbol] ?? price) * abs(before) + price * abs(fill)) / abs(positionAfter)
        }
    }

    private mutating func set(_ id: String, _ status: OrderStatus, reason: String, at t: String) {
        guard var o = orders[id] else { return }
        let before = o.wire.status
        switch status {
        case .submitted, .working, .triggered:
            guard before == "accepted" || before == "held" || before == "pending_new" else { return }
            o.wire.status = "new"
        case .partiallyFilled, .filled, .held:
            return
        case .cancelled: o.wire.status = "canceled"; o.wire.canceledAt = t
        case .expired: o.wire.status = "expired"; o.wire.expiredAt = t
        case .rejected: o.wire.status = "rejected"; o.wire.failedAt = t
        case .replaced: o.wire.status = "replaced"; o.wire.replacedAt = t
        }
        guard o.wire.status != before else { return }
        o.wire.updatedAt = t
        orders[id] = o
        emit(o.wire.status, id, at: t)
        _ = reason
    }

    private mutating func emit(_ event: String, _ id: String, at t: String, executionID: String? = nil, positionQty: Double? = nil,
                               price: Double? = nil, qty: Double? = nil) {
        let update = AlpacaTradeUpdate(event: event, executionId: executionID, order: orders[id]!.wire, timestamp: t,
                                       positionQty: positionQty.map(AlpacaJSON.decimal), price: price.map(AlpacaJSON.decimal),
                                       qty: qty.map(AlpacaJSON.decimal))
        if let data = try? AlpacaJSON.encoder().encode(AlpacaStreamEnvelope(stream: "trade_updates", data: update)) {
            events.append(String(decoding: data, as: UTF8.self))
        }
    }
}
