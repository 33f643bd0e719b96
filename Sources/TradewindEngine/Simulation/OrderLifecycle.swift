import TradewindCore

extension SimulationContext {
    /// Records an order, validating what can be validated before a price is known. During the warm-up
    /// (`warmupRefusal`) a new order is rejected unless `duringWarmup` says it is the venue's own (adopted).
    func enqueue(_ request: OrderRequest, parent: OrderID?, oco: Int?, replaces: OrderID?,
                 duringWarmup: WarmupRule = .refused) -> OrderID {
        let id = orders.nextID
        let now = eventInstant ?? (step >= 0 ? time : (market.stepCount > 0 ? market.time[0] : 0))
        var order = Order(
            id: id, request: request, status: parent == nil ? .submitted : .held, filledQuantity: 0,
            averageFillPrice: 0, commission: 0, parent: parent, ocoGroup: oco, replaces: replaces,
            submittedAt: now, submittedStep: step, activeSince: parent == nil ? step + 1 : Int.max,
            remainingQuantity: nil, trailExtreme: .nan, trailStop: .nan, reason: "")
        let invalid = validationProblem(request, hasParent: parent != nil)
            ?? (parent == nil && duringWarmup == .refused ? warmupRefusal() : nil)
        if invalid == nil && request.extendedHours {
            order.extendedHoursUntil = config.session.extendedHoursEnd(forOrderPlacedAt: now)
            extendedHoursOrders += 1
        }
        if invalid == nil, case .trailingStop(let offset) = request.type, request.symbol < market.symbolCount {
            let ref = close(request.symbol)
            order.trailExtreme = ref
            order.trailStop = offset.stopPrice(extreme: ref, side: request.side)
        }
        orders.append(order)
        if order.status == .held { heldChildren += 1 }
        liveOrders.append(id)
        hot.pointee.liveOrders = liveOrders.count
        logEvent(id, order.status, quantity: 0, price: 0, reason: "")
        if let why = invalid {
            finish(id, .rejected, reason: why)
            return id
        }
        if let p = parent, orders.contains(id: p), orders[p].status.isFinal {
            // Parent already final (e.g. rejected at submission): settle the child now.
            settleChildren(of: p)
        }
        if parent == nil && afterSessionsLastBar && request.timeInForce != .gtc {
            // Placed by an event after its session's last bar: no bar of that session is left to work on.
            finish(id, .expired, reason: "\(request.timeInForce.rawValue) order placed after the session's last bar")
            return id
        }
        if parent == nil && step >= 0 && eventInstant == nil && rejectsOutsideHours && !isInSession
            && !(request.extendedHours && isExtendedHours(step: step)) {
            finish(id, .rejected, reason: "submitted outside regular trading hours (session policy: reject)")
            return id
        }
        if parent == nil && config.fillTiming == .signalClose && request.type == .market && step >= 0
            && eventInstant == nil && router == nil {
            closeFillQueue.append(id)
            hot.pointee.closeQueue = closeFillQueue.count
        }
        return id
    }

    func validationProblem(_ r: OrderRequest, hasParent: Bool) -> String? {
        guard r.symbol >= 0 && r.symbol < market.symbolCount else {
            return "unknown symbol index \(r.symbol); valid: 0..<\(market.symbolCount)"
        }
        func positive(_ v: Double, _ what: String) -> String? {
            v.isFinite && v > 0 ? nil : "\(what) must be a finite number > 0, got \(v)"
        }
        switch r.type {
        case .limit(let p): if let e = positive(p, "limit price") { return e }
        case .stop(let p): if let e = positive(p, "stop price") { return e }
        case .stopLimit(let s, let l):
            if let e = positive(s, "stop price") ?? positive(l, "limit price") { return e }
        case .trailingStop(.amount(let a)): if let e = positive(a, "trailing amount") { return e }
        case .trailingStop(.percent(let p)):
            if !(p > 0 && p < 1) { return "trailing percent must be a fraction in (0, 1), got \(p)" }
        case .limitOnOpen(let p), .limitOnClose(let p): if let e = positive(p, "limit price") { return e }
        case .openIf(let c):
            if [c.above, c.atLeast, c.below, c.atMost].contains(where: \.isNaN) {
                return "open-if bounds must be numbers (use ±infinity for none), got \(c.description) with a NaN"
            }
        default: break
        }
        if r.extendedHours {
            guard case .limit = r.type, r.timeInForce == .day else {
                return "extended-hours orders must be DAY limit orders; got a \(r.timeInForce.rawValue) \(r.type.name) order"
            }
            guard config.session.calendar != nil || config.session.hours != nil else {
                return "extended-hours orders need regular hours to be defined (session policy with a calendar or hours, e.g. --session nyse)"
            }
        }
        switch r.size {
        case .units(let q): if !hasParent, let e = positive(q, "quantity") { return e }
        case .notional(let v), .notionalOrAvailable(let v): if let e = positive(v, "notional value") { return e }
        case .equityFraction(let f): if let e = positive(f, "equity fraction") { return e }
        case .allAvailable:
            if r.side == .sell && !config.account.allowsShort {
                return "sizing a sell by available funds opens a short, which needs a margin account; use .closePosition to exit a long"
            }
        case .closePosition: break
        }
        return nil
    }

    /// Moves an order to a final state, logging it and settling bracket children.
    func finish(_ id: OrderID, _ status: OrderStatus, reason: String, price: Double = 0, quantity q: Double = 0) {
        if orders[id].status == .held { heldChildren -= 1 }
        if orders[id].extendedHoursUntil != .max && !orders[id].status.isFinal && status.isFinal { extendedHoursOrders -= 1 }
        orders[id].status = status
        if !reason.isEmpty { orders[id].reason = reason }
        if let k = liveOrders.firstIndex(of: id) { liveOrders.remove(at: k) }
        hot.pointee.liveOrders = liveOrders.count
        logEvent(id, status, quantity: q, price: price, reason: reason)
        settleChildren(of: id)
    }

    /// Bracket children of a final parent: work for the filled quantity, or are cancelled when nothing filled.
    func settleChildren(of parent: OrderID) {
        guard heldChildren > 0, orders[parent].status.isFinal else { return }
        let children = liveOrders.filter { orders[$0].parent == parent && orders[$0].status == .held }
        guard !children.isEmpty else { return }
        let filled = orders[parent].filledQuantity
        for c in children {
            if filled > 0 {
                heldChildren -= 1
                orders[c].request.size = .units(filled)
                orders[c].activeSince = step + 1
                orders[c].status = .submitted
                if case .trailingStop(let offset) = orders[c].type {
                    let ref = close(orders[c].symbol)
                    orders[c].trailExtreme = ref
                    orders[c].trailStop = offset.stopPrice(extreme: ref, side: orders[c].side)
                }
                logEvent(c, .submitted, quantity: filled, price: 0, reason: "parent \(parent) filled")
            } else {
                finish(c, .cancelled, reason: "bracket entry \(parent) \(orders[parent].status.rawValue) without a fill")
            }
        }
    }

    func logEvent(_ id: OrderID, _ status: OrderStatus, quantity: Double, price: Double, reason: String) {
        guard recordsEvents else { return }
        // Field by field: copying the whole order (its texts and request) costs more than the event.
        let symbol = orders[id].symbol
        log.append(OrderEvent(
            time: step >= 0 ? time : orders[id].submittedAt, step: max(step, 0), orderID: id,
            symbol: market.symbols[max(0, min(symbol, market.symbolCount - 1))],
            side: orders[id].side, type: orders[id].type.name, status: status, quantity: quantity, price: price, reason: reason,
            tag: orders[id].request.tag))
        if notifications.contains(.orderUpdates) {
            notices.append(.order(log.count - 1))
            hot.pointee.pendingNotices += 1
        }
    }

    /// Cancels the other live members of an OCO group.
    func cancelSiblings(of id: OrderID) {
        guard let g = orders[id].ocoGroup else { return }
        for other in liveOrders where other != id && orders[other].ocoGroup == g && !orders[other].status.isFinal {
            finish(other, .cancelled, reason: "OCO: order \(id) filled")
        }
    }

    /// Cancels every live order (margin call, session flattening).
    func cancelAll(reason: String) {
        for id in liveOrders where !orders[id].status.isFinal { finish(id, .cancelled, reason: reason) }
    }
}
