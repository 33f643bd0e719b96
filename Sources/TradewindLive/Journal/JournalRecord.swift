import Foundation
import TradewindEngine

/// What a journal says about the runs that wrote it, read back for the start-up reconciliation: the client ids of
/// every order intent, the ones the broker acknowledged, every broker report applied (by event id), the fills and
/// the positions they add up to. Built from the journal's JSON lines, whichever medium holds them (`FileJournal`,
/// `StoreJournal`); a torn last line (a crash while writing) is counted and skipped.
public struct JournalRecord: Sendable, Equatable {
    /// A fill the journal recorded: its report id, the broker's order, the signed quantity.
    public struct RecordedFill: Sendable, Equatable {
        public let eventID: String
        public let brokerID: String
        public let symbol: String
        public let signedQuantity: Double
    }

    /// Runs started (`lifecycle start` entries).
    public private(set) var starts = 0
    /// Client ids of every order the runtime meant to send (bracket legs, OCO members and replacements included).
    public private(set) var intentClientIDs = Set<String>()
    /// Client ids the broker acknowledged (an `accepted` report names them).
    public private(set) var acknowledgedClientIDs = Set<String>()
    /// Client ids a reconciliation settled as never sent.
    public private(set) var notSentClientIDs = Set<String>()
    /// Ids of every broker report the runtime applied.
    public private(set) var eventIDs = Set<String>()
    public private(set) var fills: [RecordedFill] = []
    public private(set) var tornLines = 0
    /// Symbol and side of each broker order an `accepted` report announced.
    private var orders: [String: (symbol: String, side: OrderSide)] = [:]

    public init() {}

    /// The record of a journal's lines (JSON objects, one per line, as `FileJournal.line` writes them).
    public init(lines: some Sequence<some StringProtocol>) {
        for object in JournalLines.objects(lines, torn: &tornLines) { note(object) }
    }

    /// Signed quantity per symbol that the recorded fills add up to (flat symbols absent).
    public var positions: [String: Double] {
        var held: [String: Double] = [:]
        for f in fills { held[f.symbol, default: 0] += f.signedQuantity }
        return held.filter { $0.value != 0 }
    }

    /// Intents the broker never acknowledged in the journal (the run stopped between sending and hearing back).
    /// (Those a reconciliation already settled as never sent are not among them.)
    public var unacknowledgedClientIDs: Set<String> {
        intentClientIDs.subtracting(acknowledgedClientIDs).subtracting(notSentClientIDs)
    }

    private mutating func note(_ o: [String: Any]) {
        func text(_ k: String) -> String? { (o[k] as? String).flatMap { $0.isEmpty ? nil : $0 } }
        switch o["kind"] as? String {
        case "lifecycle" where text("event") == "start": starts += 1
        case "reconciliation":
            if let c = text("not_sent_client_id") { notSentClientIDs.insert(c) }
        case "intent":
            for k in ["client_id", "take_profit_client_id", "stop_loss_client_id"] {
                if let c = text(k) { intentClientIDs.insert(c) }
            }
            for c in (text("client_ids") ?? "").split(separator: ",") { intentClientIDs.insert(String(c)) }
        case "update":
            guard let event = text("event_id"), let broker = text("broker_id") else { return }
            eventIDs.insert(event)
            switch text("event") {
            case "accepted":
                if let c = text("client_id") { acknowledgedClientIDs.insert(c) }
                if let s = text("symbol"), let side = text("side").flatMap(OrderSide.init(rawValue:)) {
                    orders[broker] = (s, side)
                }
            case "fill":
                guard let q = o["quantity"] as? Double, let order = orders[broker] else { return }
                fills.append(RecordedFill(eventID: event, brokerID: broker, symbol: order.symbol,
                                          signedQuantity: order.side.sign * q))
            default: break
            }
        default: break
        }
    }

    public static func == (a: JournalRecord, b: JournalRecord) -> Bool {
        a.starts == b.starts && a.intentClientIDs == b.intentClientIDs && a.acknowledgedClientIDs == b.acknowledgedClientIDs
            && a.notSentClientIDs == b.notSentClientIDs
            && a.eventIDs == b.eventIDs && a.fills == b.fills && a.tornLines == b.tornLines
    }
}

/// The journal's JSON lines parsed into objects; a line that is not a JSON object with a `kind` is counted as torn.
enum JournalLines {
    static func objects(_ lines: some Sequence<some StringProtocol>, torn: inout Int) -> [[String: Any]] {
        var out: [[String: Any]] = []
        for line in lines where !line.isEmpty {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  object["kind"] is String else {
                torn += 1
                continue
            }
            out.append(object)
        }
        return out
    }
}
