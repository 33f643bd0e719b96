import Foundation
import Synchronization
import TradewindCore
import TradewindEngine
import TradewindLive
import TradewindProviders

/// TradewindLive's `Broker` on Alpaca's Trading API: commands go out in order over REST (one task, so a cancel
/// never overtakes its submit), reports come in on the `trade_updates` stream, and after a lost connection or a
/// restart `updates(after:)` rebuilds them from the orders REST lists.
///
/// Every report's id is derived from the order and its filled quantity (`ID:new`, `ID:fill:QTY`, `ID:canceled`…),
/// so the same event seen on the stream and rebuilt from REST is applied once. Sizes relative to the account
/// (fraction of equity, all available cash, close the position) are resolved when sent, on the latest close and the
/// account as the fills left it: Alpaca takes shares or dollars only.
public final class AlpacaBroker: Broker, @unchecked Sendable {
    public let name: String
    public let client: AlpacaRESTClient
    private let stream: TradeUpdatesStream
    private let inbox = Inbox()
    private let commands: AsyncStream<(BrokerCommand, OrderSize?)>.Continuation
    private let worker: Task<Void, Never>
    // The runtime's loop only:
    private var positions: [String: Double] = [:]
    private var cash = 0.0
    private var lastClose: [String: Double] = [:]
    private var symbols: [String] = []
    /// For `catchUpWithExchange`: the connection epoch last seen, and how many of the exchange's published events
    /// that connection can never receive (published before it listened).
    var lockstepBaseline: (epoch: Int, missed: Int) = (.min, 0)

    /// A broker on `client`'s account (`live` names it in logs; the keys decide which account it is).
    public init(client: AlpacaRESTClient, live: Bool = false) {
        name = live ? "alpaca-live" : "alpaca-paper"
        self.client = client
        let inbox = inbox
        stream = TradeUpdatesStream(url: client.endpoints.tradeUpdates, credentials: client.credentials) { update in
            inbox.receive(update)
        }
        let (commands, continuation) = AsyncStream<(BrokerCommand, OrderSize?)>.makeStream()
        self.commands = continuation
        let done = Done()
        worker = Task { [client] in
            for await (command, size) in commands {
                await Self.execute(command, size: size, client: client, inbox: inbox)
                done.count.add(1, ordering: .releasing)
            }
        }
        self.done = done
    }

    deinit {
        commands.finish()
        stream.stop()
    }

    /// Connects the `trade_updates` stream and reads the account (positions and cash for sizing). What the account
    /// already holds (an earlier run's positions and orders, or orders placed elsewhere) is the runtime's to
    /// reconcile (`TradingRuntime.reconcile()`): adopted, flagged when external, or a clear stop on a mismatch.
    public func connect(symbols: [String], timeout: Duration = .seconds(30)) async throws {
        self.symbols = symbols
        let account = try await client.account()
        let held = try await client.positions()
        try await stream.start(timeout: timeout)
        cash = AlpacaJSON.number(account.cash) ?? 0
        for p in held { positions[p.symbol] = AlpacaJSON.number(p.qty) ?? 0 }
    }

    /// Closes the stream and stops sending.
    public func disconnect() {
        commands.finish()
        stream.stop()
    }

    public var connectionEpoch: Int {
        if case .listening(let e) = stream.current { return e }
        return -1
    }

    // MARK: Sending

    private final class Done: Sendable { let count = Atomic<Int>(0) }
    private let done: Done
    private var sentCount = 0

    /// `trade_updates` events received so far.
    public var eventsReceived: Int { stream.eventsReceived }

    /// Waits until every command sent so far has been answered by Alpaca (or refused).
    public func settled() async {
        while done.count.load(ordering: .acquiring) < sentCount { try? await Task.sleep(for: .microseconds(200)) }
    }

    public func send(_ command: BrokerCommand) {
        var size: OrderSize?
        switch command {
        case .submit(let o), .bracket(let o, _, _, _):
            do { size = try resolve(o) } catch {
                return inbox.reject(o, "\(error)")
            }
        case .replace(_, let o):
            if case .units = o.request.size {} else { size = try? resolve(o) }
        default: break
        }
        sentCount += 1
        commands.yield((command, size))
    }

    /// Shares or dollars for `o`'s size, from the latest close and the account as the fills left it.
    func resolve(_ o: BrokerOrder) throws(AlpacaError) -> OrderSize {
        let held = positions[o.symbol] ?? 0
        let equity = cash + positions.reduce(0) { $0 + $1.value * (lastClose[$1.key] ?? 0) }
        switch o.request.size {
        case .units, .notional: return o.request.size
        case .closePosition:
            guard held != 0 else { throw .unsupportedOrder("order \(o.clientOrderID): no \(o.symbol) position to close") }
            return .units(abs(held))
        case .equityFraction(let f): return .notional(max(f * equity, 0))
        case .notionalOrAvailable(let v): return .notional(max(min(v, cash), 0))
        case .allAvailable:
            if o.request.side == .sell && held > 0 { return .units(held) }
            guard cash > 0 else { throw .unsupportedOrder("order \(o.clientOrderID): no cash available") }
            return .notional(cash)
        }
    }

    private static func execute(_ command: BrokerCommand, size: OrderSize?, client: AlpacaRESTClient, inbox: Inbox) async {
        switch command {
        case .submit(let o):
            do {
                let placed = try await client.submit(try AlpacaOrderRequest(o, size: size))
                inbox.placed(placed, client: o.clientOrderID)
            } catch {
                inbox.reject(o, "\(error)")
            }
        case .bracket(let entry, let tp, let sl, let tif):
            do {
                var r = try AlpacaOrderRequest(entry, size: size)
                r.orderClass = tp != nil && sl != nil ? "bracket" : "oto"
                if let p = tp?.request.type.limitPrice { r.takeProfit = .init(limitPrice: AlpacaJSON.decimal(p)) }
                if let p = sl?.request.type.stopPrice { r.stopLoss = .init(stopPrice: AlpacaJSON.decimal(p)) }
                _ = tif
                let placed = try await client.submit(r)
                inbox.placed(placed, client: entry.clientOrderID)
                for leg in placed.legs ?? [] {
                    let mine = leg.type == "limit" ? tp : sl
                    if let mine { inbox.placed(leg, client: mine.clientOrderID) }
                }
            } catch {
                inbox.reject(entry, "\(error)")
                for leg in [tp, sl].compactMap({ $0 }) { inbox.reject(leg, "bracket entry rejected: \(error)") }
            }
        case .oco(let list):
            // Alpaca's OCO: a limit exit with its stop-loss.
            guard list.count == 2, let limit = list.first(where: { $0.request.type.limitPrice != nil }),
                  let stop = list.first(where: { $0.request.type.stopPrice != nil }), limit.symbol == stop.symbol else {
                for o in list { inbox.reject(o, "Alpaca's OCO orders are one limit and one stop exit on one symbol") }
                return
            }
            do {
                var r = try AlpacaOrderRequest(limit)
                r.orderClass = "oco"
                r.takeProfit = .init(limitPrice: r.limitPrice ?? "0")
                r.stopLoss = .init(stopPrice: AlpacaJSON.decimal(stop.request.type.stopPrice ?? 0))
                let placed = try await client.submit(r)
                inbox.placed(placed, client: limit.clientOrderID)
                for leg in placed.legs ?? [] { inbox.placed(leg, client: stop.clientOrderID) }
            } catch {
                for o in list { inbox.reject(o, "\(error)") }
            }
        case .cancel(let c):
            guard let id = await alpacaID(c, client, inbox) else { return }
            // 422: no longer cancelable; the stream reports what it became.
            try? await client.cancel(orderID: id)
        case .replace(let c, let new):
            guard let id = await alpacaID(c, client, inbox) else {
                return inbox.reject(new, "no order with client id \(c) to replace")
            }
            var change = AlpacaReplaceRequest(clientOrderId: new.clientOrderID)
            switch size ?? new.request.size {
            case .units(let q): change.qty = AlpacaJSON.decimal(q)
            default: break
            }
            switch new.request.type {
            case .limit(let p): change.limitPrice = AlpacaJSON.decimal(p)
            case .stop(let p): change.stopPrice = AlpacaJSON.decimal(p)
            case .stopLimit(let s, let l): change.stopPrice = AlpacaJSON.decimal(s); change.limitPrice = AlpacaJSON.decimal(l)
            case .trailingStop(.amount(let a)): change.trail = AlpacaJSON.decimal(a)
            case .trailingStop(.percent(let p)): change.trail = AlpacaJSON.decimal(p * 100)
            default: break
            }
            do {
                inbox.placed(try await client.replace(orderID: id, change), client: new.clientOrderID)
            } catch {
                inbox.reject(new, "\(error)")
            }
        }
    }

    /// Alpaca's id of the order with client id `c` (asked of Alpaca when not seen yet).
    private static func alpacaID(_ c: String, _ client: AlpacaRESTClient, _ inbox: Inbox) async -> String? {
        if let id = inbox.alpacaID(client: c) { return id }
        return try? await client.order(clientOrderID: c).id
    }

    // MARK: Reports

    public func pollUpdates(into updates: inout [BrokerUpdate]) {
        let start = updates.count
        inbox.drain(into: &updates)
        for u in updates[start...] { note(u) }
    }

    /// Keeps positions and cash for sizing.
    private func note(_ u: BrokerUpdate) {
        guard case .fill(let q, let price, let commission, _) = u.kind, let (symbol, side) = inbox.order(u.brokerID) else { return }
        positions[symbol, default: 0] += side.sign * q
        cash -= side.sign * q * price + commission
    }

    /// Every order's reports rebuilt from REST (the ones already given out are skipped by id by the runtime); the
    /// position and cash for sizing read again.
    public func updates(after eventID: String?) async throws -> [BrokerUpdate] {
        let orders = try await client.allOrders()
        var out: [BrokerUpdate] = []
        for o in orders { inbox.rebuild(o, into: &out) }
        for u in out { note(u) }
        let account = try await client.account()
        cash = AlpacaJSON.number(account.cash) ?? cash
        positions = [:]
        for p in try await client.positions() { positions[p.symbol] = AlpacaJSON.number(p.qty) ?? 0 }
        return out
    }

    public func account() async throws -> BrokerAccount {
        let a = try await client.account()
        var held: [String: Double] = [:]
        for p in try await client.positions() { held[p.symbol] = AlpacaJSON.number(p.qty) ?? 0 }
        return BrokerAccount(cash: AlpacaJSON.number(a.cash) ?? 0, equity: AlpacaJSON.number(a.equity) ?? 0, positions: held)
    }

    public func marketOpened(_ step: FeedStep) throws {
        for bar in step.bars where bar.symbol < symbols.count { lastClose[symbols[bar.symbol]] = bar.close }
    }
}

extension OrderType {
    var limitPrice: Double? {
        switch self {
        case .limit(let p): return p
        default: return nil
        }
    }

    var stopPrice: Double? {
        switch self {
        case .stop(let p): return p
        default: return nil
        }
    }
}
