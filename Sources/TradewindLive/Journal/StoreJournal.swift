import TradewindCore
import TradewindStore

/// The trading journal in the store's trading-journal area (`tradewind trade --database FILE|postgres://…`): the
/// same JSON line per entry as `FileJournal`, appended to the journal `name` in one transaction per `record`, durable
/// when it returns (SQLite: synchronous=FULL; PostgreSQL: committed).
///
/// `record` is called from the runtime's synchronous order path, so it waits for the store's commit as
/// `FileJournal` waits for `fsync`. The store's work runs as a task on the journal's own thread (a task executor of
/// its own), so the wait holds no thread the store needs.
public final class StoreJournal: TradingJournal {
    public let store: any TradingJournalStore
    public let name: String
    public private(set) var entriesWritten = 0
    private let executor = SerialQueueExecutor(label: "tradewind.trading-journal")

    /// The journal `name` in `store` (several bots can share one database under different names).
    public init(store: any TradingJournalStore, name: String) {
        self.store = store
        self.name = name
    }

    public func record(_ entries: [JournalEntry]) throws {
        guard !entries.isEmpty else { return }
        let lines = entries.map { StoredLine(kind: $0.kind, line: FileJournal.line($0)) }
        do {
            try AwaitFromSynchronousCode.run(on: executor) { [store, name] in try await store.appendTradingJournal(name, lines.map { ($0.kind, $0.line) }) }
        } catch {
            throw JournalError.writeFailed(path: "the store's trading journal '\(name)'", reason: "\(error)")
        }
        entriesWritten += entries.count
    }

    public func lines() throws -> [String] {
        do {
            return try AwaitFromSynchronousCode.run(on: executor) { [store, name] in try await store.tradingJournal(name).map(\.line) }
        } catch {
            throw JournalError.cannotOpen(path: "the store's trading journal '\(name)'", reason: "\(error)")
        }
    }

    private struct StoredLine: Sendable {
        let kind: String
        let line: String
    }
}

extension JournalEntry {
    /// The entry's kind, as its JSON line names it (`intent`, `update`, `risk_rejection`, `halt`, `lifecycle`,
    /// `reconciliation`).
    public var kind: String {
        switch self {
        case .intent: return "intent"
        case .update: return "update"
        case .riskRejection: return "risk_rejection"
        case .halt: return "halt"
        case .lifecycle: return "lifecycle"
        case .reconciliation, .intentNotSent: return "reconciliation"
        }
    }
}
