import TradewindCore

extension SimulationContext {
    /// Everything that happens at a step before the strategy sees it: the symbols' current rows, then (only
    /// when something can happen) financing, corporate actions, order matching at this bar's prices and the
    /// margin check. The equity curve is not touched here: it is written in spans, before the next change of
    /// cash or positions (`catchUp`).
    @inlinable
    func beginStep(_ i: Int) {
        hot.pointee.step = i
        if market.symbolCount == 1 {
            let r = market.exactRow[0][i]
            if r >= 0 { currentRow[0] = r }
        } else {
            for s in 0..<market.symbolCount {
                let r = market.exactRow[s][i]
                if r >= 0 { currentRow[s] = r }
            }
        }
        if market.flags[i] & eventFlags != 0 || hot.pointee.liveOrders > 0 || checksEveryStep { beginStepEvents(i) }
    }

    @usableFromInline
    func beginStepEvents(_ i: Int) {
        let f = market.flags[i]
        hot.pointee.beforeMatching = true
        if i > 0 && f & MarketColumns.newDay != 0 && accruesFinancing {
            accrueFinancing(days: Double(market.day[i] - market.day[i - 1]))
        }
        if f & MarketColumns.corporateAction != 0 { applyCorporateActions() }
        if hot.pointee.liveOrders > 0 && router == nil {
            if extendedHoursOrders > 0 { expireExtendedHoursOrders() }
            if f & MarketColumns.inSession != 0 {
                matchOrders()
            } else if extendedHoursOrders > 0 && isExtendedHours(step: i) {
                matchOrders(extendedHoursOnly: true)
            }
        }
        hot.pointee.beforeMatching = false
        if let maintenance = maintenanceMargin { checkMaintenance(maintenance) }
    }

    /// Everything after `onBar`: close fills, market-on-close, session-close flattening and DAY expiry.
    @inlinable
    func endStep() {
        if hot.pointee.closeQueue > 0
            || (market.flags[step] & MarketColumns.sessionLast != 0 && (hot.pointee.liveOrders > 0 || flattenAtClose)) {
            endStepEvents()
        }
    }

    @usableFromInline
    func endStepEvents() {
        // An outside venue fills at the close, flattens and expires DAY orders itself, and reports it.
        guard router == nil else { return }
        if hot.pointee.closeQueue > 0 {
            let queue = closeFillQueue
            closeFillQueue.removeAll(keepingCapacity: true)
            hot.pointee.closeQueue = 0
            for id in queue where !orders[id].status.isFinal && hasBar(orders[id].symbol) {
                execute(id, at: close(orders[id].symbol), slipped: true)
            }
        }
        let f = market.flags[step]
        if f & MarketColumns.sessionLast != 0 && (hot.pointee.liveOrders > 0 || flattenAtClose) {
            for id in liveOrders where orders[id].type.tradesAtClose && orders[id].activeSince <= step
                && !orders[id].status.isFinal {
                if orders[id].status == .submitted {
                    orders[id].status = .working
                    logEvent(id, .working, quantity: 0, price: 0, reason: "")
                }
                let c = close(orders[id].symbol)
                guard c.isFinite else { continue }
                if case .limitOnClose(let limit) = orders[id].type {
                    if orders[id].side == .buy ? c <= limit : c >= limit {
                        execute(id, at: c, slipped: false)
                    } else {
                        finish(id, .expired, reason: "limit-on-close: the close \(fmt(c)) does not reach the limit \(fmt(limit))")
                    }
                } else {
                    execute(id, at: c, slipped: true)
                }
            }
            if flattenAtClose {
                cancelAll(reason: "session close: flattening")
                liquidateAll(tag: "session-flatten", reason: "flatten at session close")
            }
            for id in liveOrders where orders[id].request.timeInForce == .day && orders[id].activeSince <= step
                && !orders[id].status.isFinal && orders[id].status != .held
                && !(orders[id].request.extendedHours && market.intraday) {
                finish(id, .expired, reason: "DAY order: session closed")
            }
        }
    }

    /// Splits and cash dividends at the open of their ex-date, before any fill: a split multiplies positions and
    /// working orders' unit sizes by its coefficient and divides their prices by it; a dividend credits longs
    /// (debits shorts) quantity × amount, counted in the position's trade P&L.
    func applyCorporateActions() {
        willChangeHoldings()
        for s in 0..<market.symbolCount {
            let r = Int(market.exactRow[s][step])
            guard r >= 0 else { continue }
            if let c = market.split[s]?[r], c != 1, c > 0, c.isFinite {
                if quantity[s] != 0 {
                    willChangePosition(s)
                    quantity[s] *= c
                    books[s].averagePrice /= c
                    books[s].highest /= c
                    books[s].lowest /= c
                }
                for id in liveOrders where orders[id].symbol == s { adjustForSplit(id, c) }
                totals.splits += 1
            }
            if let d = market.dividend[s]?[r], d != 0, d.isFinite, quantity[s] != 0 {
                let amount = quantity[s] * d
                cashBalance += amount
                books[s].financing -= amount
                totals.dividends += amount
            }
        }
    }

    private func adjustForSplit(_ id: OrderID, _ c: Double) {
        var o = orders[id]
        switch o.request.size {
        case .units(let u): o.request.size = .units(u * c)
        default: break
        }
        if let q = o.remainingQuantity { o.remainingQuantity = q * c }
        switch o.request.type {
        case .limit(let p): o.request.type = .limit(p / c)
        case .limitOnOpen(let p): o.request.type = .limitOnOpen(p / c)
        case .limitOnClose(let p): o.request.type = .limitOnClose(p / c)
        case .stop(let p): o.request.type = .stop(p / c)
        case .stopLimit(let sp, let lp): o.request.type = .stopLimit(stop: sp / c, limit: lp / c)
        case .trailingStop(.amount(let a)): o.request.type = .trailingStop(.amount(a / c))
        default: break
        }
        o.trailExtreme /= c
        o.trailStop /= c
        orders[id] = o
    }

    func accrueFinancing(days: Double) {
        guard days > 0 else { return }
        willChangeHoldings()
        let borrow = config.financing.shortBorrowRate / 360 * days
        if borrow > 0 {
            for s in 0..<market.symbolCount where quantity[s] < 0 {
                let c = close(s)
                guard c.isFinite else { continue }
                let fee = -quantity[s] * c * borrow
                cashBalance -= fee
                books[s].financing += fee
                totals.financing += fee
            }
        }
        let rate = config.financing.marginInterestRate / 360 * days
        if rate > 0 && cashBalance < 0 {
            let interest = -cashBalance * rate
            cashBalance -= interest
            totals.financing += interest
        }
    }

    func checkMaintenance(_ maintenance: Double) {
        let gross = grossValue()
        guard gross > 0 else { return }
        let equity = markedEquity()
        guard equity < maintenance * gross else { return }
        let why = "margin call: equity \(fmt(equity)) below maintenance \(maintenance) × gross exposure \(fmt(gross)) = \(fmt(maintenance * gross))"
        cancelAll(reason: why)
        liquidateAll(tag: "margin-call", reason: why)
    }

    /// Closes every position at this step's close with market orders tagged `tag` (reductions are always allowed).
    func liquidateAll(tag: String, reason: String) {
        for s in 0..<market.symbolCount where quantity[s] != 0 {
            let c = close(s)
            guard c.isFinite else { continue }
            let q = quantity[s]
            let id = orders.nextID
            let saved = closeFillQueue
            _ = enqueue(OrderRequest(symbol: s, side: q > 0 ? .sell : .buy, type: .market, size: .closePosition,
                                     timeInForce: .ioc, tag: tag), parent: nil, oco: nil, replaces: nil)
            closeFillQueue = saved
            hot.pointee.closeQueue = saved.count
            orders[id].reason = reason
            execute(id, at: c, slipped: true, bypassChecks: true)
        }
    }

    /// The run's results; open positions are reported as open trades marked at the last close.
    @usableFromInline
    func result() -> BacktestResult {
        catchUp(throughStep: market.stepCount - 1)
        var trades = tradeList
        let saved = tradeList
        for s in 0..<market.symbolCount where quantity[s] != 0 {
            let c = close(s)
            guard c.isFinite else { continue }
            recordTrade(symbol: s, closing: abs(quantity[s]), position: quantity[s], price: c, exitCommission: 0, open: true)
            trades.append(tradeList.removeLast())
        }
        tradeList = saved
        sizeHints?.remember(orders: orders.count, events: log.count, fills: fillList.count, trades: trades.count)
        let (equity, positions) = warmupSteps > 0 ? curvesAfterWarmup() : (equityCurve(), heldColumns)
        var result = BacktestResult(
            symbols: market.symbols, config: config, initialCash: config.initialCash,
            equity: equity,
            positions: positions, trades: trades, orders: orders, orderLog: keepsOrderLog ? log : [],
            fills: keepsOrderLog ? fillList : [],
            totalCommission: totals.commission, totalSlippage: totals.slippage, totalFinancing: totals.financing,
            totalDividends: totals.dividends)
        if !registered.isEmpty { result.indicators = registered.series() }
        result.warmupSteps = min(warmupSteps, market.stepCount)
        return result
    }

    // MARK: Notices and failures

    @inlinable var hasNotices: Bool { hot.pointee.pendingNotices > 0 }

    @usableFromInline
    func nextNotice() -> Notice? {
        guard noticeHead < notices.count else {
            notices.removeAll(keepingCapacity: true)
            noticeHead = 0
            hot.pointee.pendingNotices = 0
            return nil
        }
        defer { noticeHead += 1 }
        return notices[noticeHead]
    }

    /// The order as of log entry `k` (its status then; other fields current).
    @usableFromInline
    func orderSnapshot(event k: Int) -> Order {
        var o = orders[log[k].orderID]
        o.status = log[k].status
        return o
    }

    @usableFromInline
    func fill(at k: Int) -> Fill { fillList[k] }

    /// The error for a strategy failure at this step, naming the bar and the symbol(s).
    @usableFromInline
    func failure(_ error: any Error, hook: String) -> BacktestError {
        let names: [String]
        if let e = error as? any SymbolAttributedError, e.symbol >= 0, e.symbol < market.symbolCount {
            names = [market.symbols[e.symbol]]
        } else if step >= 0 {
            let with = (0..<market.symbolCount).filter { hasBar($0) }.map { market.symbols[$0] }
            names = with.isEmpty ? market.symbols : with
        } else {
            names = market.symbols
        }
        let t = step >= 0 ? time : market.time[0]
        return .strategyFailed(hook: hook, step: max(step, 0), time: t, symbols: names, underlying: error)
    }
}
