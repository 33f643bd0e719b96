import TradewindCore
import TradewindEngine

/// Paper trading: orders filled against the feed's bars by the engine's own matching (`SimulatedVenue`), with the
/// run's fill timing, costs, intrabar policy, account model and session rules, in a cash or margin account. The
/// same settings give the same fills as `tradewind backtest`.
///
/// Not thread-safe by itself: the runtime calls it from its one event loop (hence `@unchecked Sendable`).
public final class PaperBroker: Broker, @unchecked Sendable {
    public let name = "paper"
    /// The account is this object's: a new process starts a new, flat one.
    public var accountOutlivesProcess: Bool { false }
    let venue: SimulatedVenue
    let symbols: [String]
    private let symbolIndex: [String: Int]
    /// Venue order id ↔ client order id, for the orders the runtime sent.
    private var clientOf: [Int: String] = [:]
    private var venueOf: [String: OrderID] = [:]
    private var seen = Set<Int>()
    private var events: [VenueEvent] = []
    /// Commands rejected before reaching the venue (unknown symbol, unknown order), reported on the next poll.
    private var pending: [BrokerUpdate] = []
    private var nextRejection = 0
    /// Every report given out, in order (the paper venue's whole stream, for `updates(after:)`).
    private var history: [BrokerUpdate] = []
    public let connectionEpoch = 0

    /// A paper account trading `symbols` (the feed's) on bars of `interval` under `config`.
    public init(symbols: [String], interval: BarInterval, config: BacktestConfig) throws(BacktestError) {
        venue = try SimulatedVenue(symbols: symbols, interval: interval, config: config)
        self.symbols = symbols
        symbolIndex = Dictionary(uniqueKeysWithValues: symbols.enumerated().map { ($1, $0) })
    }

    public func send(_ command: BrokerCommand) {
        switch command {
        case .submit(let o):
            guard let r = request(o) else { return }
            remember(venue.submit(r), o)
        case .bracket(let entry, let tp, let sl, let tif):
            guard let r = request(entry) else { return }
            let ids = venue.bracket(r, takeProfit: tp.flatMap(\.request.type.limitPrice),
                                    stopLoss: sl.flatMap(\.request.type.stopPrice), exitTimeInForce: tif)
            remember(ids.entry, entry)
            if let id = ids.takeProfit, let tp { remember(id, tp) }
            if let id = ids.stopLoss, let sl { remember(id, sl) }
        case .oco(let list):
            let requests = list.compactMap { request($0) }
            guard requests.count == list.count else { return }
            for (id, o) in zip(venue.oco(requests), list) { remember(id, o) }
        case .cancel(let client):
            guard let id = venueOf[client] else { return reject(client, "no order with client id \(client)") }
            venue.cancel(id)
        case .replace(let client, let new):
            guard let id = venueOf[client] else { return reject(client, "no order with client id \(client)") }
            guard let newID = venue.replace(id, type: new.request.type, size: new.request.size) else { return }
            remember(newID, new)
        }
    }

    private func request(_ o: BrokerOrder) -> OrderRequest? {
        guard let s = symbolIndex[o.symbol] else {
            pending.append(report("rejected-\(nextRejection)", .accepted(
                clientOrderID: o.clientOrderID, symbol: o.symbol, request: o.request, status: .rejected,
                reason: "symbol \(o.symbol) is not traded by this paper account")))
            nextRejection += 1
            return nil
        }
        var r = o.request
        r.symbol = s
        return r
    }

    private func reject(_ client: String, _ why: String) {
        pending.append(report(client, .status(.rejected, reason: why, quantity: 0, price: 0)))
    }

    private func remember(_ id: OrderID, _ o: BrokerOrder) {
        clientOf[id.rawValue] = o.clientOrderID
        venueOf[o.clientOrderID] = id
    }

    /// A report with the next event id, kept in the history.
    private func report(_ brokerID: BrokerOrderID, _ kind: BrokerUpdate.Kind) -> BrokerUpdate {
        let u = BrokerUpdate(eventID: String(history.count), brokerID: brokerID, kind)
        history.append(u)
        return u
    }

    public func pollUpdates(into updates: inout [BrokerUpdate]) {
        if !pending.isEmpty {
            updates.append(contentsOf: pending)
            pending.removeAll()
        }
        guard venue.hasEvents else { return }
        venue.drainEvents(into: &events)
        for e in events {
            switch e {
            case .order(let event, let order):
                let id = order.id.rawValue, brokerID = String(id)
                if seen.insert(id).inserted {
                    updates.append(report(brokerID, .accepted(clientOrderID: clientOf[id], symbol: symbols[order.symbol],
                                                              request: order.request, status: event.status, reason: order.reason)))
                } else {
                    updates.append(report(brokerID, .status(event.status, reason: event.reason, quantity: event.quantity,
                                                            price: event.price)))
                }
            case .fill(let f):
                updates.append(report(String(f.orderID.rawValue), .fill(quantity: f.quantity, price: f.price,
                                                                        commission: f.commission, slippageCost: f.slippageCost)))
            }
        }
        events.removeAll(keepingCapacity: true)
    }

    public func updates(after eventID: String?) async throws -> [BrokerUpdate] {
        guard let eventID else { return history }
        guard let k = Int(eventID), k >= -1, k < history.count else {
            throw BrokerError.unknownEvent(broker: name, eventID: eventID)
        }
        return Array(history[(k + 1)...])
    }

    public func account() async throws -> BrokerAccount { snapshot() }

    /// Balances and positions now (synchronous: the venue is in process).
    public func snapshot() -> BrokerAccount {
        let sim = venue.simulation
        var positions: [String: Double] = [:]
        for (s, name) in symbols.enumerated() where sim.position(s) != 0 { positions[name] = sim.position(s) }
        return BrokerAccount(cash: sim.cash, equity: sim.steps > 0 ? sim.equity : sim.cash, positions: positions)
    }

    public func marketOpened(_ step: FeedStep) throws {
        try venue.openBar(step.time, bars: step.bars)
    }

    public func barEnded() { venue.endBar() }

    public func sessionClosed() { venue.closeSession() }
}

extension OrderType {
    /// The limit price of a limit order (nil for other types).
    var limitPrice: Double? {
        if case .limit(let p) = self { return p }
        return nil
    }

    /// The stop price of a stop order (nil for other types).
    var stopPrice: Double? {
        if case .stop(let p) = self { return p }
        return nil
    }
}

extension PaperBroker {
    /// True when the open session ended before `t`: a venue driven by its own clock (the local exchange) calls
    /// `sessionClosed` before `marketOpened` at `t`, as the runtime does.
    public func sessionEnds(before t: UnixNanos) -> Bool { venue.sessionEnds(before: t) }
}
