import TradewindCore

extension StrategyContext {
    /// Everything that happens at a step before the strategy sees it: new rows, financing, order matching
    /// at this bar's prices, mark-to-market, margin check.
    @usableFromInline
    func beginStep(_ i: Int) {
        hot.pointee.step = i
        for s in 0..<market.symbolCount {
            let r = market.exactRow[s][i]
            if r >= 0 { currentRow[s] = r }
        }
        let f = market.flags[i]
        if i > 0 && f & MarketColumns.newDay != 0 && accruesFinancing {
            accrueFinancing(days: Double(market.day[i] - market.day[i - 1]))
        }
        if f & MarketColumns.corporateAction != 0 { applyCorporateActions() }
        if hot.pointee.liveOrders > 0 && f & MarketColumns.inSession != 0 { matchOrders() }
        markToMarket(extremes: true)
        if let maintenance = maintenanceMargin { checkMaintenance(maintenance) }
    }

    /// Everything after `onBar`: close fills, market-on-close, session-close flattening and DAY expiry,
    /// then the step's equity is recorded.
    @usableFromInline
    func endStep() {
        var traded = false
        if hot.pointee.closeQueue > 0 {
            let queue = closeFillQueue
            closeFillQueue.removeAll(keepingCapacity: true)
            hot.pointee.closeQueue = 0
            for id in queue where !orders[id].status.isFinal && hasBar(orders[id].symbol) {
                execute(id, at: close(orders[id].symbol), slipped: true)
                traded = true
            }
        }
        let f = market.flags[step]
        if f & MarketColumns.sessionLast != 0 && (hot.pointee.liveOrders > 0 || flattenAtClose) {
            for id in liveOrders where orders[id].type == .marketOnClose && orders[id].activeSince <= step
                && !orders[id].status.isFinal {
                if orders[id].status == .submitted {
                    orders[id].status = .working
                    logEvent(id, .working, quantity: 0, price: 0, reason: "")
                }
                let c = close(orders[id].symbol)
                if c.isFinite { execute(id, at: c, slipped: true); traded = true }
            }
            if flattenAtClose {
                cancelAll(reason: "session close: flattening")
                liquidateAll(tag: "session-flatten", reason: "flatten at session close")
                traded = true
            }
            for id in liveOrders where orders[id].request.timeInForce == .day && orders[id].activeSince <= step
                && !orders[id].status.isFinal && orders[id].status != .held {
                finish(id, .expired, reason: "DAY order: session closed")
            }
        }
        if traded { markToMarket(extremes: false) }
        record()
    }

    func markToMarket(extremes: Bool) {
        var value = 0.0
        var gross = 0.0
        let i = step
        for s in 0..<market.symbolCount {
            let q = quantity[s]
            if q == 0 { continue }
            let r = currentRow[s]
            if r < 0 { continue }
            let v = q * market.close[s][Int(r)]
            value += v
            gross += abs(v)
            if extremes && market.exactRow[s][i] >= 0 {
                books[s].highest = max(books[s].highest, market.high[s][Int(r)])
                books[s].lowest = min(books[s].lowest, market.low[s][Int(r)])
            }
        }
        hot.pointee.positionsValue = value
        hot.pointee.grossValue = gross
        hot.pointee.equity = hot.pointee.cash + value
    }

    /// Writes this step's row of the equity curve and positions (from the last mark); exposures are divided out
    /// once, in `result()`.
    func record() {
        let i = step, n = market.stepCount
        let h = hot.pointee
        curve[i] = h.cash
        curve[n + i] = h.positionsValue
        curve[2 * n + i] = h.equity
        curve[3 * n + i] = h.grossValue
        for s in 0..<market.symbolCount { held[s * n + i] = quantity[s] }
    }

    /// Splits and cash dividends at the open of their ex-date, before any fill: a split multiplies positions and
    /// working orders' unit sizes by its coefficient and divides their prices by it; a dividend credits longs
    /// (debits shorts) quantity × amount, counted in the position's trade P&L.
    func applyCorporateActions() {
        for s in 0..<market.symbolCount {
            let r = Int(market.exactRow[s][step])
            guard r >= 0 else { continue }
            if let c = market.split[s]?[r], c != 1, c > 0, c.isFinite {
                if quantity[s] != 0 {
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
        guard gross > 0, lastEquity < maintenance * gross else { return }
        let why = "margin call: equity \(fmt(lastEquity)) below maintenance \(maintenance) × gross exposure \(fmt(gross)) = \(fmt(maintenance * gross))"
        cancelAll(reason: why)
        liquidateAll(tag: "margin-call", reason: why)
        markToMarket(extremes: false)
    }

    /// Closes every position at this step's close with market orders tagged `tag` (reductions are always allowed).
    func liquidateAll(tag: String, reason: String) {
        for s in 0..<market.symbolCount where quantity[s] != 0 {
            let c = close(s)
            guard c.isFinite else { continue }
            let q = quantity[s]
            let id = orders.count
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
        var trades = tradeList
        let saved = tradeList
        for s in 0..<market.symbolCount where quantity[s] != 0 {
            let c = close(s)
            guard c.isFinite else { continue }
            recordTrade(symbol: s, closing: abs(quantity[s]), position: quantity[s], price: c, exitCommission: 0, open: true)
            trades.append(tradeList.removeLast())
        }
        tradeList = saved
        let n = market.stepCount
        func column(_ k: Int) -> [Double] { Array(UnsafeBufferPointer(start: curve + k * n, count: n)) }
        let equity = column(2), value = column(1)
        let gross = (0..<n).map { equity[$0] != 0 ? curve[3 * n + $0] / equity[$0] : 0 }
        let net = (0..<n).map { equity[$0] != 0 ? value[$0] / equity[$0] : 0 }
        let positions = (0..<market.symbolCount).map { Array(UnsafeBufferPointer(start: held + $0 * n, count: n)) }
        return BacktestResult(
            symbols: market.symbols, config: config, initialCash: config.initialCash,
            equity: EquityCurve(time: market.timeIndex, cash: column(0),
                                positionsValue: value, equity: equity, grossExposure: gross, netExposure: net),
            positions: positions, trades: trades, orders: orders, orderLog: log, fills: fillList,
            totalCommission: totals.commission, totalSlippage: totals.slippage, totalFinancing: totals.financing,
            totalDividends: totals.dividends)
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
