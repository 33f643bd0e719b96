import TradewindCore

/// What a context whose orders execute elsewhere (a broker, the paper venue) hands to its router: the order
/// ids are the context's own, so the router keeps the mapping to the venue's ids.
public enum RouteCommand: Sendable, Hashable {
    /// A new order (its request: `SimulationContext.order(_:)`).
    case submit(OrderID)
    /// An entry with its held take-profit and/or stop-loss children, to be placed as one bracket.
    case bracket(BracketIDs, exitTimeInForce: TimeInForce)
    /// Orders that cancel each other.
    case oco([OrderID])
    case cancel(OrderID)
    /// `old` was replaced by the new order `new` (same symbol, side, time in force; changed type or size).
    case replace(old: OrderID, new: OrderID)
}

/// Receives the orders of a context that does not simulate execution (`SimulationContext.streaming(… router:)`):
/// called synchronously from the strategy's hook, it must not block (queue the command and return). The venue's
/// answers come back through `SimulationContext.apply(_:)`.
public protocol OrderRouter: AnyObject {
    func route(_ command: RouteCommand, context: SimulationContext)
}

/// What a venue reports about an order the context knows: a change of status or a fill.
public enum ExecutionReport: Sendable, Hashable {
    /// The order moved to `status` (`quantity`/`price`: the fill that finished it, when one did).
    case status(OrderID, OrderStatus, reason: String, quantity: Double, price: Double)
    /// A fill of `quantity` units at `price` (slippage already in the price; `slippageCost` is its cost).
    case fill(OrderID, quantity: Double, price: Double, commission: Double, slippageCost: Double)
}

extension SimulationContext {
    func route(_ command: RouteCommand) {
        router?.route(command, context: self)
    }

    /// Applies a venue's report to the books at the current step, as the simulator would have recorded the same
    /// event: statuses in the order log (repeats of a status the context already set itself, and anything about an
    /// order already final, are ignored), fills to the order, the position, cash, trades and the equity curve.
    /// The strategy is told on its next notification delivery.
    ///
    /// `matchedOnBar`: the venue executed it while matching the current bar, before the strategy saw the bar (fills
    /// at the open, stops and limits touched inside the bar), as opposed to at the bar's close: a position closed
    /// then has not lived through the bar (its high and low do not count for the trade's excursions).
    public func apply(_ report: ExecutionReport, matchedOnBar: Bool = false) {
        hot.pointee.beforeMatching = matchedOnBar
        defer { hot.pointee.beforeMatching = false }
        switch report {
        case .status(let id, let status, let venueReason, let q, let price):
            guard orders.contains(id: id) else { return }
            let current = orders[id].status
            if current.isFinal { return }
            if status == current && status != .partiallyFilled { return }
            let reason = ownReason(id, status, venueReason)
            if current == .held {
                heldChildren -= 1
                if status == .submitted {
                    orders[id].request.size = .units(q)
                    orders[id].activeSince = step + 1
                }
            }
            orders[id].status = status
            if status.isFinal {
                if !reason.isEmpty { orders[id].reason = reason }
                if let k = liveOrders.firstIndex(of: id) { liveOrders.remove(at: k) }
                hot.pointee.liveOrders = liveOrders.count
            }
            logEvent(id, status, quantity: q, price: price, reason: reason)
        case .fill(let id, let q, let price, let commission, let slippageCost):
            guard orders.contains(id: id), q > 0, price.isFinite, price > 0 else { return }
            let s = orders[id].symbol, side = orders[id].side
            applyFill(symbol: s, signed: side.sign * q, price: price, commission: commission)
            totals.commission += commission
            totals.slippage += slippageCost
            fillList.append(Fill(orderID: id, symbol: s, side: side, quantity: q, price: price, commission: commission,
                                 slippageCost: slippageCost, time: time, step: step))
            addFill(to: id, quantity: q, price: price, commission: commission)
            if notifications.contains(.fills) {
                notices.append(.fill(fillList.count - 1))
                hot.pointee.pendingNotices += 1
            }
        }
    }

    /// The venue's reason in this context's words: the reasons that name another order (a bracket's parent, an OCO
    /// sibling) name it by the venue's id, so they are written again with this context's ids, as the simulator words them.
    func ownReason(_ id: OrderID, _ status: OrderStatus, _ venueReason: String) -> String {
        if let parent = orders[id].parent, orders.contains(id: parent) {
            if status == .submitted && orders[id].status == .held { return "parent \(parent) filled" }
            if status == .cancelled && venueReason.hasPrefix("bracket entry ") {
                return "bracket entry \(parent) \(orders[parent].status.rawValue) without a fill"
            }
        }
        if status == .cancelled && venueReason.hasPrefix("OCO: order "), let group = orders[id].ocoGroup,
           let filled = fillList.last?.orderID, filled != id, orders[filled].ocoGroup == group {
            return "OCO: order \(filled) filled"
        }
        return venueReason
    }

    /// Records an order the venue created on its own (session-close flattening, a margin call, an order placed
    /// outside this runtime), so that its fills have an order to belong to. Not routed back.
    public func adopt(_ request: OrderRequest, reason: String) -> OrderID {
        let id = enqueue(request, parent: nil, oco: nil, replaces: nil, duringWarmup: .allowed)
        if !reason.isEmpty { orders[id].reason = reason }
        return id
    }
}
