import TradewindCore
import TradewindEngine

/// Between strategy and broker: refuses orders that would break a limit, and halts trading past the drawdown limit.
/// Orders that only reduce positions always pass (a risk manager must never stop an exit).
public struct RiskManager: Sendable {
    public let limits: RiskLimits
    /// Highest equity seen, and the equity at the current session's start.
    private(set) var peakEquity = 0.0
    private(set) var sessionStartEquity = 0.0
    private var sessionDay = Int.min
    /// Why trading halted (nil while trading).
    public private(set) var haltReason: String?
    /// Refusals by reason kind (for status and metrics).
    public private(set) var refusals: [String: Int] = [:]
    /// Per symbol: the instant before which no new position may be opened (after a stop-out or a liquidation).
    private var coolingUntil: [Int: UnixNanos] = [:]

    public init(limits: RiskLimits = RiskLimits()) {
        self.limits = limits
    }

    /// Follows equity after each step; returns a reason when the drawdown limit is crossed now (the runtime then
    /// cancels orders and closes positions).
    mutating func observe(_ context: SimulationContext) -> String? {
        guard context.steps > 0, limits.maxDrawdown != nil || limits.dailyLossLimit != nil else { return nil }
        let equity = context.equity
        peakEquity = max(peakEquity, equity)
        let day = context.sessionDate.daysSinceEpoch
        if day != sessionDay {
            sessionDay = day
            sessionStartEquity = equity
        }
        guard haltReason == nil, let maxDD = limits.maxDrawdown, peakEquity > 0 else { return nil }
        let dd = 1 - equity / peakEquity
        guard dd >= maxDD else { return nil }
        let why = "max drawdown: equity \(rounded(equity)) is \(rounded(dd * 100)) % below its peak \(rounded(peakEquity)) (limit \(rounded(maxDD * 100)) %)"
        haltReason = why
        return why
    }

    /// A fill that closed a position by a stop (stop or trailing-stop order, or a `stop`-tagged one) or a
    /// liquidation (session flattening, margin call, risk halt) starts the symbol's cooldown.
    mutating func noteFill(of order: Order, positionAfter: Double, at now: UnixNanos) {
        guard let seconds = limits.cooldownSeconds, positionAfter == 0 else { return }
        var stopped = false
        switch order.type {
        case .stop, .trailingStop, .stopLimit: stopped = true
        default: stopped = ["stop", "flatten", "margin-call", "risk-halt", "liquidat"].contains { order.request.tag.contains($0) }
        }
        guard stopped else { return }
        coolingUntil[order.symbol] = now + Int64(seconds * 1e9)
    }

    /// Why `order` may not be sent at `now`, or nil. `stopLoss`: the stop of its bracket, when it has one.
    mutating func refusal(of order: Order, context: SimulationContext, now: UnixNanos, stopLoss: Double? = nil) -> String? {
        guard !limits.isEmpty || haltReason != nil else { return nil }
        let s = order.symbol
        let position = context.position(s)
        let price = context.close(s)
        let units = Self.units(order.request.size, side: order.side, position: position, price: price, context: context)
        let after = position + order.side.sign * units
        // Reductions always pass.
        if abs(after) <= abs(position) && (after == 0 || (after > 0) == (position > 0)) { return nil }
        func refuse(_ kind: String, _ why: String) -> String {
            refusals[kind, default: 0] += 1
            return why
        }
        if let why = haltReason { return refuse("halted", "trading halted (\(why))") }
        if let expiry = limits.signalExpirySeconds, Double(now - order.submittedAt) / 1e9 > expiry {
            return refuse("signal_expired", "signal expired: made \(rounded(Double(now - order.submittedAt) / 1e9)) s ago, limit \(rounded(expiry)) s")
        }
        if let until = coolingUntil[s], now < until {
            return refuse("cooldown", "\(context.symbols[s]) is cooling down after a stop-out or liquidation for \(rounded(Double(until - now) / 1e9)) s more")
        }
        let equity = context.steps > 0 ? context.equity : context.cash
        if let start = limits.tradingStartMinute, let end = limits.tradingEndMinute, context.steps > 0 {
            // The instant the strategy made the order (a bar's start or a scheduled event's instant), in the session zone.
            let minute = Int(context.sessionZone.localTimeOfDayNanos(of: order.submittedAt) / UnixTime.nanosPerMinute)
            if !(start..<end).contains(minute) {
                return refuse("trading_hours", "outside trading hours \(clock(start))–\(clock(end)) (made at \(clock(minute)))")
            }
        }
        if let limit = limits.dailyLossLimit, sessionStartEquity > 0, 1 - equity / sessionStartEquity >= limit {
            return refuse("daily_loss", "daily loss limit \(rounded(limit * 100)) % reached (equity \(rounded(equity)) from \(rounded(sessionStartEquity)) at the session's start)")
        }
        if let maxN = limits.maxOpenPositions, position == 0 {
            // Held symbols, and symbols with an order on its way that would open one (sent earlier this step).
            var symbols = Set((0..<context.symbolCount).filter { context.position($0) != 0 })
            for o in context.openOrders where o.symbol != s && context.position(o.symbol) == 0 && o.request.size != .closePosition {
                symbols.insert(o.symbol)
            }
            symbols.remove(s)
            if symbols.count >= maxN {
                return refuse("max_open_positions", "\(symbols.count) positions open or opening, the limit is \(maxN)")
            }
        }
        guard price.isFinite, price > 0, equity > 0 else { return nil }
        if let r = limits.maxRiskPerTrade, let stop = stopLoss, abs(price - stop) > 0 {
            let risk = abs(after - position) * abs(price - stop)
            if risk > r * equity * (1 + 1e-9) {
                let fits = r * equity / abs(price - stop)
                return refuse("max_risk_per_trade", "risk to the stop \(rounded(risk)) = \(rounded(risk / equity * 100)) % of equity, limit \(rounded(r * 100)) % (at most \(rounded(fits)) units with this stop)")
            }
        }
        if let f = limits.maxPositionFraction, abs(after) * price > f * equity * (1 + 1e-9) {
            return refuse("max_position_fraction", "position would be \(rounded(abs(after) * price)) = \(rounded(abs(after) * price / equity * 100)) % of equity, limit \(rounded(f * 100)) %")
        }
        if let g = limits.maxGrossExposure {
            var gross = abs(after) * price
            for k in 0..<context.symbolCount where k != s && context.position(k) != 0 {
                let c = context.close(k)
                if c.isFinite { gross += abs(context.position(k) * c) }
            }
            if gross > g * equity * (1 + 1e-9) {
                return refuse("max_gross_exposure", "gross exposure would be \(rounded(gross / equity * 100)) % of equity, limit \(rounded(g * 100)) %")
            }
        }
        return nil
    }

    /// The units an order size stands for at `price` (an estimate before the fill, as the broker would size it).
    static func units(_ size: OrderSize, side: OrderSide, position: Double, price: Double, context: SimulationContext) -> Double {
        guard price.isFinite, price > 0 else {
            if case .units(let q) = size { return q }
            return size == .closePosition ? abs(position) : 0
        }
        switch size {
        case .units(let q): return q
        case .notional(let v), .notionalOrAvailable(let v): return v / price
        case .equityFraction(let f): return f * (context.steps > 0 ? context.equity : context.cash) / price
        case .allAvailable: return max(context.cash, 0) / price + ((position > 0) != (side == .buy) ? abs(position) : 0)
        case .closePosition: return abs(position)
        }
    }

    private func rounded(_ v: Double) -> String {
        let r = (v * 100).rounded() / 100
        return r == r.rounded() ? String(Int64(r)) : String(r)
    }

    private func clock(_ m: Int) -> String {
        let h = m / 60, mm = m % 60
        return (h < 10 ? "0" : "") + "\(h):" + (mm < 10 ? "0" : "") + "\(mm)"
    }
}
