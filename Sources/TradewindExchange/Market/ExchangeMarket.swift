import Foundation
import Synchronization
import TradewindAlpaca
import TradewindCore
import TradewindEngine
import TradewindLive

/// A refusal the exchange answers with Alpaca's error body: the HTTP status, Alpaca's code and a message.
public struct ExchangeFailure: Error, Sendable, Hashable, CustomStringConvertible {
    public let status: Int
    public let code: Int
    public let message: String

    public init(_ status: Int, _ code: Int, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    public var description: String { "\(status) [\(code)] \(message)" }

    static func invalid(_ message: String) -> ExchangeFailure { ExchangeFailure(422, 42210000, message) }
    static func notFound(_ message: String) -> ExchangeFailure { ExchangeFailure(404, 40410000, message) }
}

/// The exchange's market: a `PaperBroker` trading the replay's symbols, driven by the replay clock (`advance`),
/// with every order kept as Alpaca reports it and every change published as a `trade_updates` event. Thread-safe:
/// one lock around the book; published events go to the subscribers' queues outside it.
public final class ExchangeMarket: Sendable {
    public let replay: ReplayFeed
    public let config: BacktestConfig
    /// Every recorded bar, by symbol: what `/v2/stocks/bars` serves (up to the replay clock).
    public let history: MarketDataset
    /// Where each symbol's series is in `history.series`.
    private let historyIndex: [String: Int]
    let accountID: String
    let createdAt: String
    private let book: Mutex<Book>
    let tradeUpdates = Subscribers()
    private let published = Atomic<Int>(0)
    /// `trade_updates` events published so far (each listening client gets every one).
    public var tradeUpdatesPublished: Int { published.load(ordering: .acquiring) }
    let barUpdates = Subscribers()
    private let ticksBuilt = Atomic<Int>(0)
    /// Trade and quote messages built for the data stream so far (none while no client subscribed to any).
    public var tickMessagesBuilt: Int { ticksBuilt.load(ordering: .relaxed) }

    /// The recording's trades and quotes (none when it has only bars): played on the data stream with their step.
    public let ticks: TickRecording?

    /// A market replaying `data` from `from` to `to` (its first and last bars when nil; the bars before `from` are
    /// history from the start), with a paper account under `config` (its cash, account model, costs and fill rules).
    /// With `ticks`, each symbol that has recorded trades trades on the minute bars built from them (Alpaca's rules,
    /// `MinuteBarBuilder`), so the bar stream, the historical bars and the trades agree, and the trades and quotes of
    /// each step go out on the data stream before its bars.
    public convenience init(data: MarketDataset, ticks: TickRecording, from: UnixNanos? = nil, to: UnixNanos? = nil,
                            config: BacktestConfig) throws(BacktestError) {
        let built = ticks.minuteBars()
        let fromTicks = Set(built.symbols)
        let merged = MarketDataset(data.series.filter { !fromTicks.contains($0.symbol) } + built.series)
        try self.init(data: merged, from: from, to: to, config: config, ticks: ticks)
    }

    public init(data: MarketDataset, from: UnixNanos? = nil, to: UnixNanos? = nil, config: BacktestConfig,
                ticks: TickRecording? = nil) throws(BacktestError) {
        self.ticks = ticks
        let replay = try ReplayFeed(data, from: from, to: to)
        self.replay = replay
        history = data
        historyIndex = Dictionary(data.series.enumerated().map { ($1.symbol, $0) }, uniquingKeysWith: { $1 })
        var venueConfig = config
        venueConfig.from = nil
        venueConfig.to = nil
        self.config = venueConfig
        let broker = try PaperBroker(symbols: replay.symbols, interval: replay.interval, config: venueConfig)
        book = Mutex(Book(broker: broker, symbols: replay.symbols, account: venueConfig.account))
        accountID = Self.uuid(0xACC)
        createdAt = AlpacaJSON.time(replay.timeline.first?.time ?? 0)
    }

    /// The recorded series of `symbol` (nil when not recorded here), found without a scan.
    func series(_ symbol: String) -> BarSeries? { historyIndex[symbol].map { history.series[$0] } }

    /// A deterministic UUID-shaped id for number `n` (orders, assets, the account), so runs replay identically.
    static func uuid(_ n: Int, kind: UInt16 = 0x4000) -> String {
        let hex = String(n, radix: 16)
        let tail = String(repeating: "0", count: max(0, 12 - hex.count)) + hex
        return "00000000-0000-\(String(kind, radix: 16))-8000-\(tail.suffix(12))"
    }

    // MARK: The clock

    /// Steps of the replay played so far.
    public var stepsPlayed: Int { book.withLock { $0.next } }
    /// True once every step of the replay was played.
    public var finished: Bool { book.withLock { $0.next >= replay.timeline.count } }

    /// The replay clock: the end of the latest bar played (the first bar's start before any).
    public var now: UnixNanos { book.withLock { clock(afterSteps: $0.next) } }

    /// The replay clock once `steps` steps were played.
    private func clock(afterSteps steps: Int) -> UnixNanos {
        steps == 0 ? (replay.timeline.first?.time ?? 0) : replay.timeline[steps - 1].time + replay.interval.nominalNanos
    }

    /// Plays the next `count` steps (fewer at the end of the replay): the paper venue matches its orders on each
    /// bar, the bar is published on the data stream and every order change on `trade_updates`. Returns the number
    /// played. A step's data-stream messages are built only when a client subscribed to their kind, and its time
    /// stays a number until it is written on the wire.
    @discardableResult
    public func advance(_ count: Int = 1) -> Int {
        var played = 0
        while played < count {
            let out: (events: [String], step: FeedStep)? = book.withLock { b in
                guard b.next < replay.timeline.count else { return nil }
                do { try b.record(.advance) } catch {
                    // The clock stops rather than run ahead of what a restart would replay.
                    b.log.append("the clock stopped: \(error)")
                    return nil
                }
                let step = replay.timeline[b.next]
                if b.next > 0, b.broker.sessionEnds(before: step.time) { b.broker.sessionClosed() }
                do { try b.broker.marketOpened(step) } catch { b.log.append("step \(AlpacaJSON.time(step.time)) skipped: \(error)") }
                b.clock = step.time
                for bar in step.bars { b.lastClose[replay.symbols[bar.symbol]] = bar.close }
                b.drain(self)
                b.broker.barEnded()
                b.clock = step.time + replay.interval.nominalNanos
                b.drain(self)
                b.next += 1
                return (b.takeEvents(), step)
            }
            guard let out else { break }
            publish(out.events)
            publishData(out.step)
            played += 1
        }
        return played
    }

    /// Publishes a played step on the data stream: its recorded trades and quotes, then its bars, each kind built
    /// only when some client subscribed to it.
    private func publishData(_ step: FeedStep) {
        guard !step.bars.isEmpty else { return }
        let wants = barUpdates.wants
        if wants.ticks, let ticks {
            let messages = Self.tickMessages(ticks, symbols: replay.symbols, from: step.time, to: step.time + replay.interval.nominalNanos)
            ticksBuilt.add(messages.count, ordering: .relaxed)
            barUpdates.publishTicks(messages)
        }
        if wants.bars { barUpdates.publishBars(Self.barMessages(step, symbols: replay.symbols)) }
    }

    /// The `b` messages of a step's bars (the time formatted once for all of them).
    static func barMessages(_ step: FeedStep, symbols: [String]) -> [AlpacaDataMessage] {
        let start = AlpacaJSON.time(step.time)
        return step.bars.map { bar in
            AlpacaDataMessage.bar(symbols[bar.symbol], AlpacaBar(recordedAt: start, o: bar.open, h: bar.high, l: bar.low,
                                                                 c: bar.close, v: bar.volume))
        }
    }

    /// The `t` and `q` messages of `symbols` in `[from, to)`, in time order.
    static func tickMessages(_ ticks: TickRecording, symbols: [String], from: UnixNanos, to: UnixNanos) -> [AlpacaDataMessage] {
        var timed: [(UnixNanos, AlpacaDataMessage)] = []
        for symbol in symbols {
            if let tape = ticks.trades[symbol] {
                let lo = tape.times.partitionPoint { $0 < from }
                for (k, trade) in tape.range(from: from, to: to).enumerated() { timed.append((tape.times[lo + k], .trade(symbol, trade))) }
            }
            if let tape = ticks.quotes[symbol] {
                let lo = tape.times.partitionPoint { $0 < from }
                for (k, quote) in tape.range(from: from, to: to).enumerated() { timed.append((tape.times[lo + k], .quote(symbol, quote))) }
            }
        }
        return timed.enumerated().sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }.map(\.element.1)
    }

    private func publish(_ events: [String]) {
        for e in events { tradeUpdates.publish(e) }
        published.add(events.count, ordering: .releasing)
    }

    // MARK: Orders

    /// Takes an Alpaca order request: validated (422 with the field), buying power checked for buys (403), a
    /// `client_order_id` already used refused (422). Returns the order as it stands after the venue took it.
    public func submit(_ request: AlpacaOrderRequest) throws(ExchangeFailure) -> AlpacaOrder {
        let parsed: ParsedAlpacaOrder
        do {
            parsed = try request.parsed(defaultClientOrderID: "")
        } catch {
            throw ExchangeFailure(422, error.code, error.message)
        }
        guard replay.symbols.contains(parsed.order.symbol) else {
            throw .invalid("asset \(parsed.order.symbol) is not tradable here; this exchange replays \(replay.symbols.joined(separator: ", "))")
        }
        let (order, events) = try book.withLock { b throws(ExchangeFailure) -> (AlpacaOrder, [String]) in
            var p = parsed
            if let c = request.clientOrderId, !c.isEmpty {
                guard c.count <= 128 else { throw .invalid("client_order_id must be at most 128 characters") }
                guard b.idOfClient[c] == nil else { throw .invalid("client_order_id must be unique") }
            } else {
                p.order = BrokerOrder(clientOrderID: Self.uuid(b.orders.count + 1, kind: 0xC000), symbol: p.order.symbol,
                                      request: p.order.request)
            }
            if let late = request.auctionWindowProblem(at: clock(afterSteps: b.next)) {
                throw ExchangeFailure(422, late.code, late.message)
            }
            try b.checkBuyingPower(p.order)
            try b.record(.submit(request))
            let id = b.create(p.order, orderClass: p.orderClass, request: request, market: self)
            switch p.orderClass {
            case "bracket", "oto":
                let exitSide: OrderSide = p.order.request.side.opposite
                let qty = p.order.request.size
                let tp = p.takeProfit.map { BrokerOrder(clientOrderID: p.order.clientOrderID + "-tp", symbol: p.order.symbol,
                                                        request: OrderRequest(symbol: 0, side: exitSide, type: .limit($0), size: qty, timeInForce: p.order.request.timeInForce)) }
                let sl = p.stopLoss.map { BrokerOrder(clientOrderID: p.order.clientOrderID + "-sl", symbol: p.order.symbol,
                                                      request: OrderRequest(symbol: 0, side: exitSide, type: .stop($0), size: qty, timeInForce: p.order.request.timeInForce)) }
                var legs: [String] = []
                if let tp { legs.append(b.create(tp, orderClass: p.orderClass, request: nil, market: self, parent: id)) }
                if let sl { legs.append(b.create(sl, orderClass: p.orderClass, request: nil, market: self, parent: id)) }
                b.legs[id] = legs
                b.broker.send(.bracket(entry: p.order, takeProfit: tp, stopLoss: sl, exitTimeInForce: p.order.request.timeInForce))
            case "oco":
                let stop = BrokerOrder(clientOrderID: p.order.clientOrderID + "-sl", symbol: p.order.symbol,
                                       request: OrderRequest(symbol: 0, side: p.order.request.side, type: .stop(p.stopLoss ?? 0),
                                                             size: p.order.request.size, timeInForce: p.order.request.timeInForce))
                b.legs[id] = [b.create(stop, orderClass: "oco", request: nil, market: self, parent: id)]
                b.broker.send(.oco([p.order, stop]))
            default:
                b.broker.send(.submit(p.order))
            }
            b.drain(self)
            return (b.view(id), b.takeEvents())
        }
        publish(events)
        return order
    }

    /// Cancels an open order (422 once it can no longer be cancelled, 404 when unknown).
    public func cancel(orderID: String) throws(ExchangeFailure) {
        let events = try book.withLock { b throws(ExchangeFailure) -> [String] in
            guard let o = b.orders[orderID] else { throw .notFound("order not found for \(orderID)") }
            guard !Book.isFinal(o.wire.status) else { throw .invalid("order is not cancelable (status \(o.wire.status))") }
            try b.record(.cancel(orderID: orderID))
            b.broker.send(.cancel(clientOrderID: o.wire.clientOrderId))
            b.drain(self)
            return b.takeEvents()
        }
        publish(events)
    }

    /// Cancels every open order: the ids and the status of each (200, or 500 when the venue refused).
    public func cancelAll() -> [AlpacaMultiStatus<AlpacaErrorBody>] {
        let (result, events) = book.withLock { b -> ([AlpacaMultiStatus<AlpacaErrorBody>], [String]) in
            let open = b.orderIDs.filter { b.orders[$0].map { !Book.isFinal($0.wire.status) && $0.parent == nil } ?? false }
            do throws(ExchangeFailure) { try b.record(.cancelAll) } catch {
                return (open.map { AlpacaMultiStatus(id: $0, status: 500, body: AlpacaErrorBody(code: error.code, message: error.message)) }, [])
            }
            for id in open { b.broker.send(.cancel(clientOrderID: b.orders[id]!.wire.clientOrderId)) }
            b.drain(self)
            return (open.map { AlpacaMultiStatus(id: $0, status: 200, body: nil) }, b.takeEvents())
        }
        publish(events)
        return result
    }

    /// Replaces an open order (`PATCH`): a new order with the changed quantity, prices or trail; the old one is
    /// `replaced`.
    public func replace(orderID: String, with change: AlpacaReplaceRequest) throws(ExchangeFailure) -> AlpacaOrder {
        let (order, events) = try book.withLock { b throws(ExchangeFailure) -> (AlpacaOrder, [String]) in
            guard let o = b.orders[orderID] else { throw .notFound("order not found for \(orderID)") }
            guard !Book.isFinal(o.wire.status) else { throw .invalid("order is not replaceable (status \(o.wire.status))") }
            var r = o.order.request
            if let q = change.qty {
                guard let v = AlpacaJSON.number(q), v > 0 else { throw .invalid("qty must be a positive decimal string") }
                r.size = .units(v)
            }
            func price(_ field: String, _ text: String?) throws(ExchangeFailure) -> Double? {
                guard let text else { return nil }
                guard let v = AlpacaJSON.number(text), v > 0 else { throw .invalid("\(field) must be a positive decimal string") }
                return v
            }
            let limit = try price("limit_price", change.limitPrice), stop = try price("stop_price", change.stopPrice)
            let trail = try price("trail", change.trail)
            switch r.type {
            case .limit(let p): r.type = .limit(limit ?? p)
            case .stop(let p): r.type = .stop(stop ?? p)
            case .stopLimit(let s, let l): r.type = .stopLimit(stop: stop ?? s, limit: limit ?? l)
            case .trailingStop(.amount(let a)): r.type = .trailingStop(.amount(trail ?? a))
            case .trailingStop(.percent(let p)): r.type = .trailingStop(.percent(trail.map { $0 / 100 } ?? p))
            default:
                if limit != nil || stop != nil || trail != nil {
                    throw .invalid("a \(o.wire.type) order has no price to replace")
                }
            }
            let client = change.clientOrderId ?? Self.uuid(b.orders.count + 1, kind: 0xC000)
            guard b.idOfClient[client] == nil else { throw .invalid("client_order_id must be unique") }
            try b.record(.replace(orderID: orderID, change))
            let new = BrokerOrder(clientOrderID: client, symbol: o.order.symbol, request: r)
            let id = b.create(new, orderClass: o.wire.orderClass, request: nil, market: self)
            b.orders[id]!.wire.replaces = orderID
            b.orders[orderID]!.wire.replacedBy = id
            b.broker.send(.replace(clientOrderID: o.wire.clientOrderId, with: new))
            b.drain(self)
            return (b.view(id), b.takeEvents())
        }
        publish(events)
        return order
    }

    /// One order by Alpaca id (404 when unknown).
    public func order(id: String) throws(ExchangeFailure) -> AlpacaOrder {
        try book.withLock { b throws(ExchangeFailure) -> AlpacaOrder in
            guard b.orders[id] != nil else { throw .notFound("order not found for \(id)") }
            return b.view(id)
        }
    }

    /// One order by client order id (404 when unknown).
    public func order(clientOrderID: String) throws(ExchangeFailure) -> AlpacaOrder {
        try book.withLock { b throws(ExchangeFailure) -> AlpacaOrder in
            guard let id = b.idOfClient[clientOrderID] else { throw .notFound("order not found for client_order_id \(clientOrderID)") }
            return b.view(id)
        }
    }

    /// `GET /v2/orders`: `status` open, closed or all; newest first unless `ascending`; at most `limit`;
    /// submitted after `after` (exclusive) and until `until` (inclusive), as the API's filters.
    public func orders(status: String, limit: Int, ascending: Bool, after: UnixNanos?, until: UnixNanos?,
                       symbols: Set<String>?, nested: Bool) -> [AlpacaOrder] {
        book.withLock { b in
            var ids = b.orderIDs.filter { id in
                let o = b.orders[id]!
                if nested && o.parent != nil { return false }
                if let symbols, !symbols.contains(o.wire.symbol) { return false }
                if let after, o.created <= after { return false }
                if let until, o.created > until { return false }
                switch status {
                case "open": return !Book.isFinal(o.wire.status)
                case "closed": return Book.isFinal(o.wire.status)
                default: return true
                }
            }
            if !ascending { ids.reverse() }
            return ids.prefix(limit).map { b.view($0, nested: nested) }
        }
    }

    // MARK: Account and positions

    /// `GET /v2/account`.
    public func account() -> AlpacaAccount {
        book.withLock { b in
            let a = b.broker.snapshot()
            var long = 0.0, short = 0.0
            for (s, q) in a.positions {
                let v = q * (b.lastClose[s] ?? 0)
                if v >= 0 { long += v } else { short += v }
            }
            let margin = config.account.allowsShort
            return AlpacaAccount(id: accountID, cash: AlpacaJSON.decimal(a.cash), equity: AlpacaJSON.decimal(a.equity),
                                 lastEquity: AlpacaJSON.decimal(b.sessionStartEquity ?? a.equity),
                                 buyingPower: AlpacaJSON.decimal(b.buyingPower()), longMarketValue: AlpacaJSON.decimal(long),
                                 shortMarketValue: AlpacaJSON.decimal(short), multiplier: margin ? "2" : "1",
                                 shortingEnabled: margin, createdAt: createdAt)
        }
    }

    /// `GET /v2/positions`, by symbol.
    public func positions() -> [AlpacaPosition] {
        book.withLock { b in
            b.broker.snapshot().positions.sorted { $0.key < $1.key }.map { b.position($0.key, $0.value) }
        }
    }

    /// `GET /v2/positions/{symbol}` (404 when flat).
    public func position(_ symbol: String) throws(ExchangeFailure) -> AlpacaPosition {
        try book.withLock { b throws(ExchangeFailure) -> AlpacaPosition in
            guard let q = b.broker.snapshot().positions[symbol.uppercased()] else { throw .notFound("position does not exist") }
            return b.position(symbol.uppercased(), q)
        }
    }

    /// `DELETE /v2/positions/{symbol}`: a market order closing all of it, `qty` shares or `percentage` percent.
    public func close(_ symbol: String, qty: Double?, percentage: Double?) throws(ExchangeFailure) -> AlpacaOrder {
        let held = try position(symbol)
        let q = AlpacaJSON.number(held.qty) ?? 0
        var amount = abs(q)
        if let qty {
            guard qty > 0, qty <= amount else { throw .invalid("qty must be in (0, \(AlpacaJSON.decimal(amount))]") }
            amount = qty
        } else if let percentage {
            guard percentage > 0, percentage <= 100 else { throw .invalid("percentage must be in (0, 100]") }
            amount = amount * percentage / 100
        }
        return try submit(AlpacaOrderRequest(symbol: held.symbol, qty: AlpacaJSON.decimal(amount), side: q > 0 ? "sell" : "buy",
                                             type: "market", timeInForce: "day"))
    }

    /// `DELETE /v2/positions`: closes every position (and, with `cancelOrders`, cancels the open orders first).
    public func closeAll(cancelOrders: Bool) -> [AlpacaMultiStatus<AlpacaOrder>] {
        if cancelOrders { _ = cancelAll() }
        return positions().map { p in
            do {
                return AlpacaMultiStatus(symbol: p.symbol, status: 200, body: try close(p.symbol, qty: nil, percentage: nil))
            } catch let f as ExchangeFailure {
                return AlpacaMultiStatus(symbol: p.symbol, status: f.status, body: nil)
            } catch {
                return AlpacaMultiStatus(symbol: p.symbol, status: 500, body: nil)
            }
        }
    }

    // MARK: State that survives

    /// Keeps the market's state in `directory` (`tradewind exchange serve --state DIR`): first plays again every
    /// command written there by earlier runs (the same orders, fills, positions, ids and events, the clock where it
    /// stood), then writes each new command there, durably, before carrying it out. Call once, before serving.
    /// Returns the number of commands played again.
    @discardableResult
    public func keepState(in directory: String) throws(ExchangeStateError) -> Int {
        let log = try ExchangeStateLog(directory: directory)
        let commands = try log.commands()
        for c in commands {
            switch c {
            case .advance: advance(1)
            case .submit(let r): _ = try? submit(r)
            case .cancel(let id): try? cancel(orderID: id)
            case .cancelAll: _ = cancelAll()
            case .replace(let id, let change): _ = try? replace(orderID: id, with: change)
            }
        }
        book.withLock { $0.stateLog = log }
        return commands.count
    }

    /// Lines the venue logged (skipped steps).
    public var log: [String] { book.withLock { $0.log } }
}
