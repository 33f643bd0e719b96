import TradewindCore
import TradewindEngine

/// The runtime's end of the order path: receives the strategy's orders from its context (`OrderRouter`), passes
/// them through the risk manager and the journal to the broker, and maps the broker's reports back to the
/// context's orders.
final class OrderLink: OrderRouter {
    let broker: any Broker
    var risk: RiskManager
    let journal: (any TradingJournal)?
    /// The prefix of this run's client order ids (made unique against earlier runs' by the reconciliation).
    var runID: String
    /// Client order id ↔ the context's order id; broker id → the context's order id.
    private var orderOfClient: [String: OrderID] = [:]
    private var orderOfBroker: [BrokerOrderID: OrderID] = [:]
    private var updates: [BrokerUpdate] = []
    /// Told of every fill.
    var notifier: (any TradingNotifier)?
    /// Tick-to-order latency, when measured.
    var latency: LatencyRecorder?
    private(set) var rejectedByRisk = 0
    private(set) var adopted = 0

    init(broker: any Broker, risk: RiskManager, journal: (any TradingJournal)?, runID: String) {
        self.broker = broker
        self.risk = risk
        self.journal = journal
        self.runID = runID
    }

    /// Handles each command as the strategy issues it, so that it sees the orders as they stand at that moment (an
    /// order replaced or cancelled later in the same hook was still live when it was sent): the risk manager, then
    /// the journal, then the broker. A journal failure stops all further sending and is raised at the next `flush`.
    func route(_ command: RouteCommand, context: SimulationContext) {
        guard failure == nil else { return }
        do { try handle(command, context) } catch { failure = error }
    }

    private var failure: (any Error)?

    /// Raises a failure met while routing (the journal could not be written: nothing more was sent); the runtime
    /// calls it after each phase.
    func raiseFailure() throws {
        if let failure { throw failure }
    }

    func clientID(_ id: OrderID) -> String { "\(runID)-\(id.rawValue)" }

    private func handle(_ command: RouteCommand, _ context: SimulationContext) throws {
        switch command {
        case .submit(let id):
            guard admitted(id, context) else { return }
            try send(.submit(order(id, context)), context)
        case .bracket(let ids, let tif):
            let stop = ids.stopLoss.flatMap { id -> Double? in
                if case .stop(let p) = context.order(id).type { return p }
                return nil
            }
            guard admitted(ids.entry, context, stopLoss: stop) else { return }
            try send(.bracket(entry: order(ids.entry, context), takeProfit: ids.takeProfit.map { order($0, context) },
                              stopLoss: ids.stopLoss.map { order($0, context) }, exitTimeInForce: tif), context)
        case .oco(let ids):
            // Members already final (rejected at submission) or refused stay out; the rest still cancel each other.
            let live = ids.filter { admitted($0, context) }
            guard !live.isEmpty else { return }
            try send(.oco(live.map { order($0, context) }), context)
        case .cancel(let id):
            if let adopted = adoptedClient[id] { return try send(.cancel(clientOrderID: adopted), context) }
            guard sent.contains(id) else { return }
            try send(.cancel(clientOrderID: clientID(id)), context)
        case .replace(let old, let new):
            guard admitted(new, context) else { return }
            if let adopted = adoptedClient[old] {
                try send(.replace(clientOrderID: adopted, with: order(new, context)), context)
            } else if sent.contains(old) {
                try send(.replace(clientOrderID: clientID(old), with: order(new, context)), context)
            } else {
                try send(.submit(order(new, context)), context)
            }
        }
    }

    /// Orders handed to the broker.
    private var sent = Set<OrderID>()
    var sentCount: Int { sent.count }

    private func order(_ id: OrderID, _ context: SimulationContext) -> BrokerOrder {
        let o = context.order(id)
        let client = clientID(id)
        orderOfClient[client] = id
        sent.insert(id)
        return BrokerOrder(clientOrderID: client, symbol: context.symbols[o.symbol], request: o.request)
    }

    /// The runtime's clock: the replayed or the real time (for signal expiry and cooldowns).
    var now: () -> UnixNanos = { 0 }

    /// False (and the order rejected with the reason) when the risk manager refuses it.
    private func admitted(_ id: OrderID, _ context: SimulationContext, stopLoss: Double? = nil) -> Bool {
        let o = context.order(id)
        guard !o.status.isFinal else { return false }
        if let why = risk.refusal(of: o, context: context, now: now(), stopLoss: stopLoss) {
            rejectedByRisk += 1
            context.apply(.status(id, .rejected, reason: "risk: \(why)", quantity: 0, price: 0))
            try? journal?.record(.riskRejection(order: clientID(id), reason: why, time: context.time))
            return false
        }
        return true
    }

    private func send(_ command: BrokerCommand, _ context: SimulationContext) throws {
        try journal?.record(.intent(command, time: context.steps > 0 ? context.time : 0))
        broker.send(command)
        if let latency {
            let flushed = (journal as? FileJournal)?.flushNanos ?? 0
            latency.record(flushSinceStart: flushed - latency.flushAtStepStart)
        }
    }

    /// Report ids applied (a report seen twice is applied once), the latest id, and reports about broker orders not
    /// yet known (a fill that overtook its order's acceptance), applied once the order is.
    private var appliedEvents = Set<String>()
    private(set) var lastEventID: String?
    private var waiting: [BrokerOrderID: [BrokerUpdate]] = [:]
    private(set) var duplicatesIgnored = 0

    /// Applies the broker's new reports to the context (journaling them first); returns how many were applied.
    @discardableResult
    func applyUpdates(_ context: SimulationContext, matchedOnBar: Bool = false) throws -> Int {
        broker.pollUpdates(into: &updates)
        guard !updates.isEmpty else { return 0 }
        defer { updates.removeAll(keepingCapacity: true) }
        return try apply(updates, context, matchedOnBar: matchedOnBar)
    }

    /// Catches up after a lost connection or a restart: the broker's reports after the last one applied.
    nonisolated(nonsending) func catchUp(_ context: SimulationContext) async throws -> Int {
        let missed = try await broker.updates(after: lastEventID)
        return try apply(missed, context, matchedOnBar: false)
    }

    private func apply(_ batch: [BrokerUpdate], _ context: SimulationContext, matchedOnBar: Bool) throws -> Int {
        let fresh = batch.filter { !appliedEvents.contains($0.eventID) }
        duplicatesIgnored += batch.count - fresh.count
        guard !fresh.isEmpty else { return 0 }
        try journal?.record(fresh.map { .update($0, time: context.steps > 0 ? context.time : 0) })
        var applied = 0
        for u in fresh where appliedEvents.insert(u.eventID).inserted {
            lastEventID = u.eventID
            applied += 1
            applyOne(u, context, matchedOnBar: matchedOnBar)
        }
        if !externalNotes.isEmpty {
            let time = context.steps > 0 ? context.time : 0
            try journal?.record(externalNotes.map { .reconciliation("external order adopted: \($0)", time: time) })
            externalNotes.removeAll()
        }
        return applied
    }

    private func applyOne(_ u: BrokerUpdate, _ context: SimulationContext, matchedOnBar: Bool) {
        switch u.kind {
        case .accepted(let client, let symbol, let request, let status, let reason):
            let id: OrderID
            if let client, let known = orderOfClient[client] {
                id = known
                orderOfBroker[u.brokerID] = id
                if status.isFinal { context.apply(.status(id, status, reason: reason, quantity: 0, price: 0)) }
            } else if let s = context.symbolIndex(symbol) {
                var r = request
                r.symbol = s
                id = context.adopt(r, reason: reason)
                orderOfBroker[u.brokerID] = id
                if let client, earlierClients.contains(client) {
                    adoptedClient[id] = client
                } else if journaledEvents.contains(u.eventID) {
                    // An order an earlier run adopted (a venue's own, or an external one already flagged).
                    if let client { adoptedClient[id] = client }
                } else {
                    adopted += 1
                    if let client {
                        // A client id that is neither this run's nor in the journal: placed elsewhere. Flagged.
                        let name = "\(symbol) \(request.side.rawValue) \(request.type.name) (broker id \(u.brokerID), client id \(client))"
                        externalOrders.append(name)
                        externalNotes.append(name)
                        adoptedClient[id] = client
                    }
                }
                if status != .submitted { context.apply(.status(id, status, reason: reason, quantity: 0, price: 0)) }
            } else {
                return
            }
            if let early = waiting.removeValue(forKey: u.brokerID) {
                for e in early { applyOne(e, context, matchedOnBar: matchedOnBar) }
            }
        case .status(let status, let reason, let q, let price):
            guard let id = orderOfBroker[u.brokerID] ?? orderOfClient[u.brokerID] else {
                waiting[u.brokerID, default: []].append(u)
                return
            }
            context.apply(.status(id, status, reason: reason, quantity: q, price: price))
        case .fill(let q, let price, let commission, let slippage):
            guard let id = orderOfBroker[u.brokerID] else {
                waiting[u.brokerID, default: []].append(u)
                return
            }
            context.apply(.fill(id, quantity: q, price: price, commission: commission, slippageCost: slippage),
                          matchedOnBar: matchedOnBar)
            let o = context.order(id)
            risk.noteFill(of: o, positionAfter: context.position(o.symbol), at: now())
            if let notifier {
                notifier.send(.fill(symbol: context.symbols[o.symbol], side: o.side.rawValue, quantity: q, price: price,
                                    time: context.steps > 0 ? context.time : 0))
            }
        }
    }

    // MARK: Adoption after a restart

    /// Client ids and report ids the journal of earlier runs knows: their orders are resumed, not external.
    private var earlierClients = Set<String>()
    private var journaledEvents = Set<String>()
    /// Broker orders adopted into the context, by the broker's client id (so the strategy can cancel or replace them).
    private var adoptedClient: [OrderID: String] = [:]
    /// The broker's history, applied at the run's first step (the books need a step to book fills at).
    private var pendingAdoption: [BrokerUpdate] = []
    private var pendingNotes: [String] = []
    /// Broker orders adopted as external (unknown to the journal), as `symbol side type (broker id …)`.
    private(set) var externalOrders: [String] = []

    /// Prepares the adoption of the broker's `history` (what the reconciliation decided), applied by
    /// `applyAdoption` at the first step.
    func prepareAdoption(_ history: [BrokerUpdate], record: JournalRecord, notes: [String], notSent: [String]) {
        earlierClients = record.intentClientIDs
        journaledEvents = record.eventIDs
        pendingAdoption = history
        pendingNotes = notes
        pendingNotSent = notSent
    }

    private var pendingNotSent: [String] = []

    var hasPendingAdoption: Bool { !pendingAdoption.isEmpty || !pendingNotes.isEmpty || !pendingNotSent.isEmpty }

    /// Books the broker's history into a fresh context: the earlier runs' orders and fills, and those made while
    /// the runtime was down (journaled now; what the journal already has is not written again).
    func applyAdoption(_ context: SimulationContext) throws {
        let batch = pendingAdoption, notes = pendingNotes, notSent = pendingNotSent
        pendingAdoption = []
        pendingNotes = []
        pendingNotSent = []
        let time = context.time
        try journal?.record(notes.map { .reconciliation($0, time: time) } + notSent.map { .intentNotSent(clientID: $0, time: time) }
                            + batch.filter { !journaledEvents.contains($0.eventID) }.map { .update($0, time: time) })
        for u in batch where appliedEvents.insert(u.eventID).inserted {
            lastEventID = u.eventID
            applyOne(u, context, matchedOnBar: false)
        }
        externalNotes.removeAll()
    }

    /// External orders adopted since the last journal write (after a reconnect), journaled by `apply`.
    private var externalNotes: [String] = []

    /// Reports still waiting for an order the broker never announced.
    var unmatchedReports: Int { waiting.values.reduce(0) { $0 + $1.count } }
}
