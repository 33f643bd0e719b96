import TradewindCore
import TradewindEngine

/// What a start-up reconciliation found when it compared the journal of earlier runs with the broker's orders,
/// reports and positions.
public struct ReconciliationReport: Sendable, Equatable {
    /// Orders of earlier runs (their client ids are in the journal) the broker still holds or filled: adopted.
    public var resumedOrders: [String] = []
    /// Broker orders with a client id the journal does not know (placed elsewhere): adopted as external, flagged.
    /// (Orders the venue created itself, without a client id, are adopted without a flag.)
    public var externalOrders: [String] = []
    /// Intents journaled but never acknowledged that the broker does hold (sent just before a crash): adopted by
    /// client id, not sent again.
    public var acknowledgedWhileDown: [String] = []
    /// Intents journaled that the broker never received (the run stopped between journaling and sending): not sent
    /// again; the strategy decides afresh.
    public var neverSent: [String] = []
    /// Fills the broker made that the journal had not recorded (while the runtime was down).
    public var fillsWhileDown = 0
    /// Positions adopted from the broker (signed quantity per symbol).
    public var positions: [String: Double] = [:]
    /// Positions the broker holds in symbols this run does not trade: left alone.
    public var untraded: [String: Double] = [:]
    /// Differences that cannot be resolved: each says what differs; the start stops.
    public var mismatches: [String] = []

    static func neverSentNote(_ client: String) -> String { "intent \(client) never reached the broker: not sent again" }

    /// One line per finding, for the journal, the log and the status (the intents never sent are journaled as
    /// `JournalEntry.intentNotSent`, and logged with these).
    public var notes: [String] {
        var out: [String] = []
        if !positions.isEmpty {
            out.append("adopted positions: " + positions.sorted { $0.key < $1.key }.map { "\($0.key) \(RuntimeStatus.number($0.value))" }
                .joined(separator: ", "))
        }
        if !resumedOrders.isEmpty { out.append("resumed \(resumedOrders.count) order(s) of earlier runs") }
        for o in externalOrders { out.append("external order adopted: \(o)") }
        for c in acknowledgedWhileDown { out.append("intent \(c) reached the broker before the crash: adopted, not sent again") }
        if fillsWhileDown > 0 { out.append("\(fillsWhileDown) fill(s) made while down, booked now") }
        for (s, q) in untraded.sorted(by: { $0.key < $1.key }) {
            out.append("the broker holds \(s) \(RuntimeStatus.number(q)), not traded by this run: left alone")
        }
        return out
    }
}

/// Trading stopped, at the start or after a restored connection: the journal (or the run's books) and the broker
/// disagree in a way no adoption explains.
public struct ReconciliationError: Error, Sendable, CustomStringConvertible {
    public let broker: String
    public let report: ReconciliationReport
    /// True when the difference was found after a restored connection, not at the start.
    public let afterReconnect: Bool
    /// False when the broker's account lives in the trading process (`Broker.accountOutlivesProcess`).
    public let accountOutlivesProcess: Bool

    public init(broker: String, report: ReconciliationReport, afterReconnect: Bool = false, accountOutlivesProcess: Bool = true) {
        self.broker = broker
        self.report = report
        self.afterReconnect = afterReconnect
        self.accountOutlivesProcess = accountOutlivesProcess
    }

    public var description: String {
        let differences = report.mismatches.map { "  - " + $0 }.joined(separator: "\n")
        if afterReconnect {
            return "reconciliation with \(broker) after a restored connection failed; trading stopped:\n" + differences
                + "\nWhat to do: the broker's positions changed without an order report this run received (a trade placed "
                + "elsewhere, a transfer, a corporate action); check the account at the broker, then start again: the "
                + "start-up reconciliation adopts what the broker holds."
        }
        if !accountOutlivesProcess {
            return "reconciliation with \(broker) failed; trading did not start:\n" + differences
                + "\nWhat to do: this broker's account lives in its process, so every run starts new and flat and cannot "
                + "continue an earlier run's journal: give each run a new journal (another --state file or --journal-name). "
                + "Paper trading that survives a restart trades with --broker alpaca on Alpaca's paper account or on "
                + "`tradewind exchange serve --state DIR`."
        }
        return "reconciliation with \(broker) failed; trading did not start:\n" + differences
            + "\nWhat to do: check that the journal (--state/--database) belongs to this broker account; if it does, "
            + "close the positions and cancel the orders at the broker (or start with a new journal) and start again."
    }
}

/// Compares the journal of earlier runs with the broker's whole report history and its positions, and decides what
/// the new run adopts. Pure: the runtime fetches, this decides.
struct Reconciler {
    let record: JournalRecord
    /// Every report the broker has (its whole history, `updates(after: nil)`, plus any not yet polled).
    let history: [BrokerUpdate]
    let brokerPositions: [String: Double]
    let symbols: Set<String>

    /// True when two positions in shares are the same up to floating-point noise (1e-9 relative, 1e-9 absolute
    /// near zero): the one rule for comparing a broker's quantities with the books'.
    static func quantitiesAgree(_ a: Double, _ b: Double) -> Bool {
        abs(a - b) <= 1e-9 * max(abs(a), abs(b), 1)
    }

    func reconcile() -> ReconciliationReport {
        var report = ReconciliationReport()
        var sideOf: [BrokerOrderID: (symbol: String, side: OrderSide)] = [:]
        var clientsAtBroker = Set<String>()
        var implied: [String: Double] = [:]
        var events = Set<String>()
        // Every order first: a fill may come before its order's announcement (from two sources).
        for u in history {
            if case .accepted(_, let symbol, let request, _, _) = u.kind { sideOf[u.brokerID] = (symbol, request.side) }
        }
        for u in history {
            events.insert(u.eventID)
            switch u.kind {
            case .accepted(let client, let symbol, let request, _, _):
                if let client { clientsAtBroker.insert(client) }
                let name = "\(symbol) \(request.side.rawValue) \(request.type.name) (broker id \(u.brokerID)\(client.map { ", client id \($0)" } ?? ""))"
                if client.map(record.intentClientIDs.contains) == true || record.eventIDs.contains(u.eventID) {
                    // Known to the journal: an earlier run sent it, or saw the venue create it.
                    report.resumedOrders.append(client ?? u.brokerID)
                } else if client != nil {
                    report.externalOrders.append(name)
                }
            case .fill(let q, _, _, _):
                guard let o = sideOf[u.brokerID] else {
                    report.mismatches.append("fill \(u.eventID) of broker order \(u.brokerID): the broker reports no such order")
                    continue
                }
                implied[o.symbol, default: 0] += o.side.sign * q
                if !record.eventIDs.contains(u.eventID) { report.fillsWhileDown += 1 }
            case .status: break
            }
        }
        report.acknowledgedWhileDown = record.unacknowledgedClientIDs.intersection(clientsAtBroker).sorted()
        report.neverSent = record.unacknowledgedClientIDs.subtracting(clientsAtBroker).sorted()
        for f in record.fills where !events.contains(f.eventID) {
            report.mismatches.append("the journal records fill \(f.eventID) (\(f.symbol) \(RuntimeStatus.number(f.signedQuantity)), broker order \(f.brokerID)) that the broker does not report")
        }
        for s in Set(implied.keys).union(brokerPositions.keys).sorted() {
            let held = brokerPositions[s] ?? 0, explained = implied[s] ?? 0
            guard Self.quantitiesAgree(held, explained) else {
                report.mismatches.append("\(s): the broker holds \(RuntimeStatus.number(held)) but its orders' fills add up to \(RuntimeStatus.number(explained))")
                continue
            }
            guard held != 0 else { continue }
            if symbols.contains(s) { report.positions[s] = held } else { report.untraded[s] = held }
        }
        return report
    }
}
