import TradewindCore
import TradewindEngine

/// A broker's id for an order (Alpaca's UUIDs, the paper broker's numbers).
public typealias BrokerOrderID = String

/// An order as sent to a broker: the strategy's request with the symbol by name, and the runtime's client order id
/// (which makes a submit idempotent: a broker refuses a second order with the same client id).
public struct BrokerOrder: Sendable, Hashable {
    public let clientOrderID: String
    public let symbol: String
    public let request: OrderRequest

    public init(clientOrderID: String, symbol: String, request: OrderRequest) {
        self.clientOrderID = clientOrderID
        self.symbol = symbol
        self.request = request
    }
}

/// What the runtime asks of a broker. Sending never blocks: the broker answers through its updates.
public enum BrokerCommand: Sendable, Hashable {
    case submit(BrokerOrder)
    /// An entry with a take-profit limit and/or a stop-loss stop that cancel each other once it fills.
    case bracket(entry: BrokerOrder, takeProfit: BrokerOrder?, stopLoss: BrokerOrder?, exitTimeInForce: TimeInForce)
    case oco([BrokerOrder])
    /// Cancel the order with this client id.
    case cancel(clientOrderID: String)
    /// Replace an order by a new one (new client id, changed type or size).
    case replace(clientOrderID: String, with: BrokerOrder)
}

/// What a broker reports, in the order it happened. Every report has an id unique at its broker (`eventID`), so
/// a report received twice (a stream replayed after a reconnect, a duplicate) is applied once.
public struct BrokerUpdate: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// The broker holds a new order: one the runtime sent (`clientOrderID` set) or one it did not (placed
        /// elsewhere, or created by the venue: session-close flattening, a margin call).
        case accepted(clientOrderID: String?, symbol: String, request: OrderRequest, status: OrderStatus, reason: String)
        /// The order's status changed (`quantity`/`price`: the fill that completed it, when one did).
        case status(OrderStatus, reason: String, quantity: Double, price: Double)
        case fill(quantity: Double, price: Double, commission: Double, slippageCost: Double)
    }

    public let eventID: String
    public let brokerID: BrokerOrderID
    public let kind: Kind

    public init(eventID: String, brokerID: BrokerOrderID, _ kind: Kind) {
        self.eventID = eventID
        self.brokerID = brokerID
        self.kind = kind
    }
}

/// A broker account's balances and positions, as the broker reports them.
public struct BrokerAccount: Sendable, Hashable {
    public let cash: Double
    public let equity: Double
    /// Signed quantity per symbol (absent = flat).
    public let positions: [String: Double]

    public init(cash: Double, equity: Double, positions: [String: Double]) {
        self.cash = cash
        self.equity = equity
        self.positions = positions
    }
}

/// A broker: where orders go and fills come from. Implementations: `PaperBroker` here (the engine's fill models on
/// the feed's bars) and Alpaca's.
///
/// The runtime calls a broker from its one event loop: `send` queues a command and returns; `pollUpdates` hands
/// over what happened since the last poll. A broker that simulates a venue from the runtime's own bars
/// (`PaperBroker`) also receives the market's phases (`marketOpened`, `barEnded`, `sessionClosed`); a real broker
/// ignores them (the defaults do nothing).
public protocol Broker: AnyObject, Sendable {
    /// A short name for logs and status (`paper`, `alpaca-paper`).
    var name: String { get }
    /// False when the account lives in this process (the paper broker): a restart finds it new and flat, so an
    /// earlier run's journal cannot be continued on it. True (the default) for a venue: Alpaca, `tradewind exchange`.
    var accountOutlivesProcess: Bool { get }
    func send(_ command: BrokerCommand)
    func pollUpdates(into updates: inout [BrokerUpdate])
    /// Every report after the one with `eventID` (all of them for nil), for catching up after a lost connection or a
    /// restart; reports already seen are skipped by id.
    func updates(after eventID: String?) async throws -> [BrokerUpdate]
    /// Changes each time the connection to the broker was lost and restored (reports may have been missed).
    var connectionEpoch: Int { get }
    /// Balances and positions now.
    func account() async throws -> BrokerAccount

    /// The bars of a new step are out: a simulated venue matches its working orders on them.
    func marketOpened(_ step: FeedStep) throws
    /// After the strategy's bar: a simulated venue fills at the close (and on a session's last bar flattens and
    /// expires DAY orders).
    func barEnded()
    /// The open session turned out to have ended after the latest bar.
    func sessionClosed()
}

extension Broker {
    public var accountOutlivesProcess: Bool { true }
    public func marketOpened(_ step: FeedStep) throws {}
    public func barEnded() {}
    public func sessionClosed() {}
}

/// A broker could not do what the runtime asked.
public enum BrokerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `updates(after:)` was given an id the broker never issued.
    case unknownEvent(broker: String, eventID: String)

    public var description: String {
        switch self {
        case .unknownEvent(let b, let id): return "\(b): no report with id \(id); cannot catch up from it"
        }
    }
}
