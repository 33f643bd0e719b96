import Foundation
import TradewindAlpaca

/// The exchange's state on disk (`tradewind exchange serve --state DIR`): every command that changes it — an order
/// taken, cancelled or replaced, a step of the replay clock — as one JSON line of `DIR/exchange-commands.jsonl`,
/// written and flushed to the storage device (`fsync`) before the command is carried out and answered.
///
/// The market is deterministic (ids from counters, fills from the engine's rules, times from the replay clock), so
/// playing the commands again on a fresh market after a `kill -9` rebuilds the same orders, fills, positions, ids
/// and `trade_updates` events. A command that was refused the first time is refused again. A torn last line (a crash
/// while writing) is a command never answered: it is dropped.
final class ExchangeStateLog: @unchecked Sendable {
    /// One command, as written.
    enum Command: Sendable, Equatable {
        case advance
        case submit(AlpacaOrderRequest)
        case cancel(orderID: String)
        case cancelAll
        case replace(orderID: String, AlpacaReplaceRequest)
    }

    private struct Line: Codable {
        var op: String
        var order: AlpacaOrderRequest?
        var id: String?
        var change: AlpacaReplaceRequest?
    }

    static let fileName = "exchange-commands.jsonl"
    let path: String
    private let handle: FileHandle
    private let encoder = JSONEncoder()

    /// Opens (creating the directory and the file when missing) the log in `directory` for appending.
    init(directory: String) throws(ExchangeStateError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .cannotOpen(directory: directory, reason: "cannot create the directory: \(error.localizedDescription)")
        }
        path = (directory as NSString).appendingPathComponent(Self.fileName)
        if !FileManager.default.fileExists(atPath: path), !FileManager.default.createFile(atPath: path, contents: nil) {
            throw .cannotOpen(directory: directory, reason: "cannot create \(Self.fileName)")
        }
        guard let h = FileHandle(forWritingAtPath: path) else {
            throw .cannotOpen(directory: directory, reason: "cannot open \(Self.fileName) for writing")
        }
        handle = h
        handle.seekToEndOfFile()
        encoder.outputFormatting = [.sortedKeys]
    }

    deinit { try? handle.close() }

    /// Appends `command`, durably.
    func append(_ command: Command) throws(ExchangeStateError) {
        let line: Line
        switch command {
        case .advance: line = Line(op: "advance")
        case .submit(let r): line = Line(op: "submit", order: r)
        case .cancel(let id): line = Line(op: "cancel", id: id)
        case .cancelAll: line = Line(op: "cancel_all")
        case .replace(let id, let change): line = Line(op: "replace", id: id, change: change)
        }
        do {
            var data = try encoder.encode(line)
            data.append(UInt8(ascii: "\n"))
            try handle.write(contentsOf: data)
            try handle.synchronize()
        } catch {
            throw .writeFailed(path: path, reason: "\(error)")
        }
    }

    /// The commands written so far, in order. Bytes after the last newline are a command torn by a crash (never
    /// answered): dropped, and cut from the file so that the next command starts on a line of its own. An
    /// unreadable complete line is an error (the file was damaged, not interrupted).
    func commands() throws(ExchangeStateError) -> [Command] {
        guard let data = FileManager.default.contents(atPath: path), !data.isEmpty else { return [] }
        let complete = data.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? data.startIndex
        if complete < data.endIndex {
            do { try handle.truncate(atOffset: UInt64(complete - data.startIndex)) } catch {
                throw .writeFailed(path: path, reason: "cannot cut the torn last command: \(error)")
            }
        }
        var out: [Command] = []
        let decoder = JSONDecoder()
        for (k, raw) in data[..<complete].split(separator: UInt8(ascii: "\n")).enumerated() {
            guard let line = try? decoder.decode(Line.self, from: Data(raw)), let command = Self.command(line) else {
                throw .damaged(path: path, line: k + 1)
            }
            out.append(command)
        }
        return out
    }

    private static func command(_ l: Line) -> Command? {
        switch l.op {
        case "advance": return .advance
        case "submit": return l.order.map { .submit($0) }
        case "cancel": return l.id.map { .cancel(orderID: $0) }
        case "cancel_all": return .cancelAll
        case "replace":
            guard let id = l.id, let change = l.change else { return nil }
            return .replace(orderID: id, change)
        default: return nil
        }
    }
}

/// Why the exchange's state directory cannot be used; the exchange does not start (or answers 500) without it.
public enum ExchangeStateError: Error, Sendable, CustomStringConvertible {
    case cannotOpen(directory: String, reason: String)
    case writeFailed(path: String, reason: String)
    case damaged(path: String, line: Int)

    public var description: String {
        switch self {
        case .cannotOpen(let d, let why): return "cannot use the exchange's state directory \(d): \(why)"
        case .writeFailed(let p, let why): return "cannot write the exchange's state \(p): \(why)"
        case .damaged(let p, let n): return "the exchange's state \(p) is damaged at line \(n) (not a command); move it away to start afresh"
        }
    }
}
