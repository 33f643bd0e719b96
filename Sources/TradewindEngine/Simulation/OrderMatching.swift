import TradewindCore

/// One order's execution on the current bar: where along the assumed path, at what price, slipped or not.
struct Hit {
    let position: Double
    let price: Double
    let slipped: Bool
    let id: OrderID
}

extension SimulationContext {
    /// Matches the live orders of every symbol that has a bar at this step against that bar (before `onBar`); on a
    /// pre-market or after-hours bar (`extendedHoursOnly`) only the extended-hours orders.
    func matchOrders(extendedHoursOnly: Bool = false) {
        let f = market.flags[step]
        if market.symbolCount == 1 {
            if hasBar(0) {
                matchOrders(symbol: 0, sessionFirst: f & MarketColumns.sessionFirst != 0, extendedHoursOnly: extendedHoursOnly)
            }
            return
        }
        var symbolsWithOrders: [Int] = []
        for id in liveOrders where orders[id].activeSince <= step && !symbolsWithOrders.contains(orders[id].symbol) {
            symbolsWithOrders.append(orders[id].symbol)
        }
        for s in symbolsWithOrders where hasBar(s) {
            matchOrders(symbol: s, sessionFirst: f & MarketColumns.sessionFirst != 0, extendedHoursOnly: extendedHoursOnly)
        }
    }

    private func matchOrders(symbol s: Int, sessionFirst: Bool, extendedHoursOnly: Bool) {
        let row = Int(currentRow[s])
        let o = market.open[s][row], h = market.high[s][row], l = market.low[s][row], c = market.close[s][row]
        let path = BarPath(open: o, high: h, low: l, close: c, policy: config.intrabar, position: quantity[s])
        // Scratch lists reused from bar to bar (taken out while in use): no allocation per matched bar.
        var candidates = candidateScratch
        var hits = hitScratch
        candidateScratch = []
        hitScratch = []
        defer {
            candidates.removeAll(keepingCapacity: true)
            hits.removeAll(keepingCapacity: true)
            candidateScratch = candidates
            hitScratch = hits
        }
        for id in liveOrders where orders[id].symbol == s && orders[id].activeSince <= step && orders[id].status != .held
            && (!extendedHoursOnly || orders[id].request.extendedHours) {
            candidates.append(id)
        }
        for id in candidates {
            if orders[id].status == .submitted {
                orders[id].status = .working
                logEvent(id, .working, quantity: 0, price: 0, reason: "")
            }
            if orders[id].type.tradesAtClose { continue }
            if case .trailingStop = orders[id].type, orders[id].trailStop.isNaN {
                // Submitted before the symbol's first bar: start trailing from this open.
                initialiseTrail(id, reference: o)
            }
            if let hit = hitOf(id, path: path, open: o, sessionFirst: sessionFirst) { hits.append(hit) }
        }
        if hits.count > 1 {
            hits.sort { $0.position != $1.position ? $0.position < $1.position : $0.id < $1.id }
        }
        for hit in hits where !orders[hit.id].status.isFinal {
            execute(hit.id, at: hit.price, slipped: hit.slipped)
        }
        // Trailing stops ratchet with this bar's extreme (after being checked against the level set by earlier bars).
        for id in candidates where !orders[id].status.isFinal {
            guard case .trailingStop(let offset) = orders[id].type else { continue }
            let side = orders[id].side
            let extreme = side == .sell ? max(orders[id].trailExtreme, h) : min(orders[id].trailExtreme, l)
            let level = offset.stopPrice(extreme: extreme, side: side)
            orders[id].trailExtreme = extreme
            orders[id].trailStop = side == .sell ? max(orders[id].trailStop, level) : min(orders[id].trailStop, level)
        }
        // Conditional market-on-open orders live for their deciding bar only.
        for id in candidates where !orders[id].status.isFinal {
            guard case .openIf(let condition) = orders[id].type, !condition.waits(barStartingAt: time) else { continue }
            let why = condition.barStart.map { $0 != time } ?? false
                ? "open-if: no bar starting at \(ISO8601.utc(condition.barStart!))"
                : "open-if: open \(o) does not satisfy \(condition.description)"
            finish(id, .expired, reason: why)
        }
        // Limit-on-open orders live for the session's opening bar only.
        if sessionFirst {
            for id in candidates where !orders[id].status.isFinal {
                guard case .limitOnOpen(let limit) = orders[id].type else { continue }
                finish(id, .expired, reason: "limit-on-open: the open \(fmt(o)) does not reach the limit \(fmt(limit))")
            }
        }
        // IOC: whatever did not fill on its first bar expires; FOK: an order not filled on it is cancelled.
        for id in candidates where !orders[id].status.isFinal && !orders[id].type.tradesAtClose {
            switch orders[id].request.timeInForce {
            case .ioc: finish(id, .expired, reason: "IOC: not (fully) filled on its first bar")
            case .fok: finish(id, .cancelled, reason: "FOK: not filled on its first bar")
            case .day, .gtc: break
            }
        }
    }

    /// True when step `i` is a pre-market or after-hours bar of intraday data (out of regular hours, in the
    /// extended hours of a trading day).
    func isExtendedHours(step i: Int) -> Bool {
        guard market.intraday, market.flags[i] & MarketColumns.inSession == 0 else { return false }
        let t = market.time[i]
        return config.session.extendedTradingDay(containing: t)?.isExtendedHours(t) ?? false
    }

    /// Extended-hours orders whose after-hours ended before this bar expire (DAY, extended).
    func expireExtendedHoursOrders() {
        for id in liveOrders where orders[id].request.extendedHours && !orders[id].status.isFinal
            && time >= orders[id].extendedHoursUntil {
            finish(id, .expired, reason: "DAY extended-hours order: the after-hours session ended")
        }
    }

    func initialiseTrail(_ id: OrderID, reference: Double) {
        guard case .trailingStop(let offset) = orders[id].type else { return }
        orders[id].trailExtreme = reference
        orders[id].trailStop = offset.stopPrice(extreme: reference, side: orders[id].side)
    }

    /// Where and at what price `order` executes on this bar, if it does.
    private func hitOf(_ id: OrderID, path: BarPath, open o: Double, sessionFirst: Bool) -> Hit? {
        let side = orders[id].side
        let buy = side == .buy
        switch orders[id].type {
        case .market:
            return Hit(position: 0, price: o, slipped: true, id: id)
        case .marketOnOpen:
            return sessionFirst ? Hit(position: 0, price: o, slipped: true, id: id) : nil
        case .limitOnOpen(let limit):
            guard sessionFirst, buy ? o <= limit : o >= limit else { return nil }
            return Hit(position: 0, price: o, slipped: false, id: id)
        case .marketOnClose, .limitOnClose:
            return nil
        case .openIf(let condition):
            guard !condition.waits(barStartingAt: time) else { return nil }
            let onTime = condition.barStart.map { $0 == time } ?? true
            return onTime && condition.admits(open: o) ? Hit(position: 0, price: o, slipped: true, id: id) : nil
        case .limit(let limit):
            return limitHit(id, side, limit: limit, path: path, open: o, from: 0)
        case .stop(let stop):
            return stopHit(id, side, stop: stop, path: path, open: o)
        case .trailingStop:
            return stopHit(id, side, stop: orders[id].trailStop, path: path, open: o)
        case .stopLimit(let stop, let limit):
            if orders[id].status == .triggered {
                return limitHit(id, side, limit: limit, path: path, open: o, from: 0)
            }
            guard let t = path.firstTouch(of: stop, rising: buy) else { return nil }
            orders[id].status = .triggered
            logEvent(id, .triggered, quantity: 0, price: t == 0 ? o : stop, reason: "")
            let triggerPrice = t == 0 ? o : stop
            if buy ? triggerPrice <= limit : triggerPrice >= limit {
                return Hit(position: t, price: triggerPrice, slipped: false, id: id)
            }
            return limitHit(id, side, limit: limit, path: path, open: o, from: t)
        }
    }

    private func limitHit(_ id: OrderID, _ side: OrderSide, limit: Double, path: BarPath, open o: Double, from start: Double) -> Hit? {
        guard let t = path.firstTouch(of: limit, rising: side != .buy, from: start) else { return nil }
        return Hit(position: t, price: t == 0 ? o : limit, slipped: false, id: id)
    }

    private func stopHit(_ id: OrderID, _ side: OrderSide, stop: Double, path: BarPath, open o: Double) -> Hit? {
        guard let t = path.firstTouch(of: stop, rising: side == .buy) else { return nil }
        return Hit(position: t, price: t == 0 ? o : stop, slipped: true, id: id)
    }
}
