import Foundation
import TradewindCore
import TradewindEngine

/// One journal entry: an order intent (written before the command reaches the broker), a broker report (written
/// before the runtime acts on it), a risk decision, or a note of the runtime's life (start, halt, stop).
public enum JournalEntry: Sendable {
    case intent(BrokerCommand, time: UnixNanos)
    case update(BrokerUpdate, time: UnixNanos)
    case riskRejection(order: String, reason: String, time: UnixNanos)
    case halt(reason: String, time: UnixNanos)
    case lifecycle(String, time: UnixNanos)
    /// What a reconciliation with the broker found: an order adopted, an external order, fills made while down.
    case reconciliation(String, time: UnixNanos)
    /// A reconciliation found that this intent never reached the broker: it is settled, never sent (a later start
    /// does not report it again).
    case intentNotSent(clientID: String, time: UnixNanos)
}

/// Where the runtime records what it does before it does it. Writes are durable when `record` returns. Every
/// implementation keeps the same JSON line per entry (`FileJournal.line`), so reading back works alike from each.
/// Implementations: `FileJournal` (a JSON-lines file) and `StoreJournal` (the store's trading-journal area).
public protocol TradingJournal: AnyObject {
    func record(_ entry: JournalEntry) throws
    func record(_ entries: [JournalEntry]) throws
    /// Every entry written so far (by this and earlier runs), as JSON lines, oldest first.
    func lines() throws -> [String]
}

extension TradingJournal {
    public func record(_ entry: JournalEntry) throws { try record([entry]) }

    /// What the journal says about earlier runs, for the start-up reconciliation.
    public func readBack() throws -> JournalRecord { JournalRecord(lines: try lines()) }

    /// Counts, halts and refusals, for `tradewind trade status`.
    public func summary() throws -> JournalSummary { JournalSummary(lines: try lines()) }
}

/// A journal in a file of JSON lines, one entry per line, appended and flushed to the storage device (`fsync`)
/// before `record` returns; a torn last line after a crash is detected and ignored when the file is read.
public final class FileJournal: TradingJournal {
    public let path: String
    private let handle: FileHandle
    /// Entries written, and time spent in `fsync` (reported apart from the runtime's own latency).
    public private(set) var entriesWritten = 0
    public private(set) var flushNanos: Int64 = 0
    public private(set) var flushes = 0

    /// Opens (creating if needed) the journal at `path` for appending.
    public init(path: String) throws {
        self.path = path
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw JournalError.cannotOpen(path: path, reason: "cannot create the file")
            }
        }
        guard let h = FileHandle(forWritingAtPath: path) else {
            throw JournalError.cannotOpen(path: path, reason: "cannot open the file for writing")
        }
        handle = h
        handle.seekToEndOfFile()
    }

    deinit { try? handle.close() }

    public func lines() throws -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw JournalError.cannotOpen(path: path, reason: "cannot read the file back")
        }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    public func record(_ entries: [JournalEntry]) throws {
        guard !entries.isEmpty else { return }
        var text = ""
        for e in entries { text += Self.line(e) + "\n" }
        do {
            try handle.write(contentsOf: Data(text.utf8))
            let start = DispatchTime.now().uptimeNanoseconds
            try handle.synchronize()
            flushNanos += Int64(DispatchTime.now().uptimeNanoseconds - start)
            flushes += 1
        } catch {
            throw JournalError.writeFailed(path: path, reason: "\(error)")
        }
        entriesWritten += entries.count
    }

    /// The JSON line of an entry, written by hand (fields in a fixed order; a non-finite number is null): the
    /// journal is on the path from a bar to an order, and an encoder would cost more than the rest of that path.
    static func line(_ e: JournalEntry) -> String {
        var fields: [(String, String)] = []
        func add(_ k: String, _ v: String) { fields.append((k, JSONString.quoted(v))) }
        func num(_ k: String, _ v: Double) { fields.append((k, v.isFinite ? String(v) : "null")) }
        switch e {
        case .intent(let c, let t):
            add("kind", e.kind); add("time", ISO8601.utc(t))
            switch c {
            case .submit(let o): add("command", "submit"); describe(o, add)
            case .bracket(let o, let tp, let sl, _):
                add("command", "bracket"); describe(o, add)
                if let tp { add("take_profit_client_id", tp.clientOrderID) }
                if let sl { add("stop_loss_client_id", sl.clientOrderID) }
            case .oco(let list): add("command", "oco"); add("client_ids", list.map(\.clientOrderID).joined(separator: ","))
            case .cancel(let id): add("command", "cancel"); add("client_id", id)
            case .replace(let id, let new): add("command", "replace"); add("replaces", id); describe(new, add)
            }
        case .update(let u, let t):
            add("kind", e.kind); add("time", ISO8601.utc(t))
            add("event_id", u.eventID); add("broker_id", u.brokerID)
            switch u.kind {
            case .accepted(let c, let s, let r, let st, let why):
                add("event", "accepted"); add("client_id", c ?? ""); add("symbol", s)
                add("side", r.side.rawValue); add("type", r.type.name); add("status", st.rawValue); add("reason", why)
            case .status(let st, let why, let q, let p):
                add("event", "status"); add("status", st.rawValue); add("reason", why)
                num("quantity", q); num("price", p)
            case .fill(let q, let p, let c, let slip):
                add("event", "fill"); num("quantity", q); num("price", p); num("commission", c)
                num("slippage_cost", slip)
            }
        case .riskRejection(let o, let why, let t):
            add("kind", e.kind); add("time", ISO8601.utc(t)); add("client_id", o); add("reason", why)
        case .halt(let why, let t):
            add("kind", e.kind); add("time", ISO8601.utc(t)); add("reason", why)
        case .lifecycle(let what, let t):
            add("kind", e.kind); add("time", ISO8601.utc(t)); add("event", what)
        case .reconciliation(let note, let t):
            add("kind", e.kind); add("time", ISO8601.utc(t)); add("note", note)
        case .intentNotSent(let client, let t):
            add("kind", e.kind); add("time", ISO8601.utc(t)); add("note", ReconciliationReport.neverSentNote(client))
            add("not_sent_client_id", client)
        }
        return "{" + fields.map { "\(JSONString.quoted($0.0)):\($0.1)" }.joined(separator: ",") + "}"
    }

    private static func describe(_ o: BrokerOrder, _ add: (String, String) -> Void) {
        add("client_id", o.clientOrderID)
        add("symbol", o.symbol)
        add("side", o.request.side.rawValue)
        add("type", o.request.type.name)
        add("size", "\(o.request.size)")
        add("time_in_force", o.request.timeInForce.rawValue)
        add("tag", o.request.tag)
    }
}

/// Why the journal cannot be used; trading does not start (or stops) without it.
public enum JournalError: Error, Sendable, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case .cannotOpen(let p, let why): return "cannot open the trading journal \(p): \(why)"
        case .writeFailed(let p, let why): return "cannot write the trading journal \(p): \(why); trading stopped"
        }
    }
}
