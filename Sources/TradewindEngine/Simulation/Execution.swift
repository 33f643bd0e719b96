import TradewindCore

extension SimulationContext {
    /// Executes (part of) order `id` at `rawPrice` (slippage applied when `slipped`), enforcing sizing,
    /// whole shares, the volume cap and the account's rules. Failures reject the order with a reason.
    func execute(_ id: OrderID, at rawPrice: Double, slipped: Bool, bypassChecks: Bool = false) {
        // Field by field: a copy of the whole order (texts, request) costs more than the fill.
        let s = orders[id].symbol
        let side = orders[id].side
        let price = slipped ? config.slippage.apply(rawPrice, side: side) : rawPrice
        guard price.isFinite && price > 0 else {
            finish(id, .rejected, reason: "no valid price to fill at (\(price))")
            return
        }
        let pos = quantity[s]
        let equityNow = markedEquity()

        // Resolve the order's total quantity at its first fill.
        var total: Double
        if let r = orders[id].remainingQuantity {
            total = r
        } else {
            switch orders[id].request.size {
            case .units(let q): total = q
            case .notional(let v): total = v / price
            case .notionalOrAvailable(let v):
                total = v / price
                let fee = config.commission.commission(quantity: total, price: price)
                if accountProblem(symbol: s, signed: side.sign * total, price: price, commission: fee, position: pos,
                                  equity: equityNow) != nil {
                    total = affordableQuantity(symbol: s, side: side, price: price, equity: equityNow)
                }
            case .equityFraction(let f): total = f * equityNow / price
            case .closePosition:
                if pos == 0 {
                    finish(id, .cancelled, reason: "no position to close")
                    return
                }
                if (pos > 0) != (side == .sell) {
                    finish(id, .rejected, reason: "close order side \(side.rawValue) does not close a position of \(pos)")
                    return
                }
                total = abs(pos)
            case .allAvailable:
                total = affordableQuantity(symbol: s, side: side, price: price, equity: equityNow)
            }
            if config.wholeShares { total = (total + 1e-9).rounded(.down) }
            if !(total > 0) {
                let why: String
                switch orders[id].request.size {
                case .allAvailable, .notionalOrAvailable:
                    why = "nothing affordable: cash \(fmt(cashBalance)) buys no \(config.wholeShares ? "whole " : "")unit at \(fmt(price)) plus commission"
                default:
                    why = config.wholeShares ? "quantity rounds down to zero whole shares" : "quantity is zero"
                }
                finish(id, .rejected, reason: why)
                return
            }
            orders[id].remainingQuantity = total
        }
        var q = total
        if let cap = config.volumeParticipation, !bypassChecks {
            var maxQ = cap * market.volume[s][Int(currentRow[s])]
            if config.wholeShares { maxQ = maxQ.rounded(.down) }
            if q > maxQ { q = maxQ }
            if orders[id].request.timeInForce == .fok && q < total * (1 - 1e-12) {
                finish(id, .cancelled, reason: "FOK: the volume cap allows \(fmt(max(q, 0))) of \(fmt(total)) on this bar; nothing filled")
                return
            }
            if !(q > 0) { return }  // nothing can trade on this bar; the order keeps working
        }
        let commission = fillCommission(id, quantity: q, price: price)
        let dq = side.sign * q

        if !bypassChecks, let why = accountProblem(symbol: s, signed: dq, price: price, commission: commission,
                                                  position: pos, equity: equityNow) {
            finish(id, .rejected, reason: why)
            return
        }

        applyFill(symbol: s, signed: dq, price: price, commission: commission)
        let slippageCost = q * abs(price - rawPrice)
        totals.commission += commission
        totals.slippage += slippageCost
        if recordsFills {
            fillList.append(Fill(orderID: id, symbol: s, side: side, quantity: q, price: price, commission: commission,
                                 slippageCost: slippageCost, time: time, step: step))
        }
        addFill(to: id, quantity: q, price: price, commission: commission)
        let left = total - q
        orders[id].remainingQuantity = left
        if notifications.contains(.fills) {
            notices.append(.fill(fillList.count - 1))
            hot.pointee.pendingNotices += 1
        }
        if left <= total * 1e-12 {
            finish(id, .filled, reason: orders[id].reason, price: price, quantity: q)
        } else {
            orders[id].status = .partiallyFilled
            logEvent(id, .partiallyFilled, quantity: q, price: price, reason: "volume cap")
        }
        cancelSiblings(of: id)
    }

    /// Adds a fill to order `id`'s filled quantity, average price, commission and commission basis.
    @inline(__always)
    func addFill(to id: OrderID, quantity q: Double, price: Double, commission: Double) {
        let filledBefore = orders[id].filledQuantity
        orders[id].averageFillPrice = (orders[id].averageFillPrice * filledBefore + price * q) / (filledBefore + q)
        orders[id].filledQuantity = filledBefore + q
        orders[id].commission += commission
        orders[id].commissionBasis.quantity += q
        orders[id].commissionBasis.value += q * price
        orders[id].commissionBasis.paid += commission
    }

    /// The commission of filling `q` more of order `id` at `price`: the order's commission on all it (and the orders
    /// it replaced) has filled with this fill, less what the earlier fills paid (fixed fee, minimum and maximums are
    /// per order). A first fill, or any fill under a proportional model, pays `commission(quantity:price:)`.
    func fillCommission(_ id: OrderID, quantity q: Double, price: Double) -> Double {
        let model = config.commission
        let basis = orders[id].commissionBasis
        guard basis.quantity > 0, !model.isProportional else { return model.commission(quantity: q, price: price) }
        return max(0, model.commission(quantity: basis.quantity + q, value: basis.value + q * price) - basis.paid)
    }

    /// Equity at the latest closes, including fills made since the last mark.
    func markedEquity() -> Double {
        var value = 0.0
        for s in 0..<market.symbolCount where quantity[s] != 0 {
            let c = close(s)
            if c.isFinite { value += quantity[s] * c }
        }
        return cashBalance + value
    }

    func grossValue(excluding skip: Int = -1) -> Double {
        var g = 0.0
        for s in 0..<market.symbolCount where s != skip && quantity[s] != 0 {
            let c = close(s)
            if c.isFinite { g += abs(quantity[s] * c) }
        }
        return g
    }

    /// The largest quantity an `.allAvailable` order may trade at `price`.
    func affordableQuantity(symbol s: Int, side: OrderSide, price: Double, equity: Double) -> Double {
        let pos = quantity[s]
        switch config.account {
        case .cash:
            // A buy covers nothing in a cash account (no shorts): spend the cash on hand.
            return config.commission.maxQuantity(budget: cashBalance, price: price)
        case .margin(let initial, _):
            // Flip the existing opposite position first (frees its margin), then open with the buying power left:
            // the largest q with (others + sameSide + q·price)·initial + commission ≤ equity.
            let closing = (pos > 0) != (side == .buy) ? abs(pos) : 0
            let others = grossValue(excluding: s)
            let sameSide = closing > 0 ? 0 : abs(pos) * price
            var q = config.commission.maxQuantity(budget: equity / initial - others - sameSide, price: price)
            for _ in 0..<8 {
                let c = config.commission.commission(quantity: closing + q, price: price)
                let fit = max(((equity - c) / initial - others - sameSide) / price, 0)
                if fit >= q { break }
                q = fit
            }
            return closing + q * (1 - 1e-12)
        }
    }

    /// Why the account cannot take this fill, or nil.
    func accountProblem(symbol s: Int, signed dq: Double, price: Double, commission: Double, position pos: Double,
                        equity: Double) -> String? {
        let symbol = market.symbols[s]
        switch config.account {
        case .cash:
            if dq > 0 {
                let cost = dq * price + commission
                if cost > cashBalance + max(abs(cashBalance), 1) * 1e-9 {
                    return "insufficient cash: buying \(fmt(dq)) \(symbol) at \(fmt(price)) costs \(fmt(cost)) (commission \(fmt(commission))) but cash is \(fmt(cashBalance))"
                }
            } else {
                let q = -dq
                if q > max(pos, 0) * (1 + 1e-12) {
                    return "short selling needs a margin account: selling \(fmt(q)) \(symbol) with a position of \(fmt(pos))"
                }
            }
            return nil
        case .margin(let initial, _):
            let after = pos + dq
            if abs(after) <= abs(pos) && (after == 0 || (after > 0) == (pos > 0)) { return nil }  // reduces only
            let gross = grossValue(excluding: s) + abs(after) * price
            let equityAfter = equity - commission
            if gross * initial > equityAfter * (1 + 1e-9) {
                return "insufficient buying power: gross exposure would be \(fmt(gross)), needing \(fmt(gross * initial)) of equity at \(initial) initial margin, but equity is \(fmt(equityAfter))"
            }
            return nil
        }
    }
}

func fmt(_ v: Double) -> String {
    if v == v.rounded() && abs(v) < 1e15 { return String(Int64(v)) }
    let r = (v * 10_000).rounded() / 10_000
    return String(r)
}
