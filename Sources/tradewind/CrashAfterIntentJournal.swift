import Foundation
import TradewindLive

/// A test hook for the crash tests (`TRADEWIND_TEST_CRASH_AFTER_INTENT=N`): a journal that ends the process with
/// `_exit` right after the N-th order intent is durably journaled, before the command reaches the broker — the
/// moment between submit and acknowledgement a `kill -9` could otherwise only hit by chance.
final class CrashAfterIntentJournal: TradingJournal {
    static let variable = "TRADEWIND_TEST_CRASH_AFTER_INTENT"
    let inner: any TradingJournal
    let limit: Int
    private var intents = 0

    init(_ inner: any TradingJournal, limit: Int) {
        self.inner = inner
        self.limit = limit
    }

    /// `journal` wrapped when the environment asks for the hook.
    static func wrapping(_ journal: (any TradingJournal)?) -> (any TradingJournal)? {
        guard let journal, let n = ProcessInfo.processInfo.environment[variable].flatMap(Int.init), n > 0 else { return journal }
        return CrashAfterIntentJournal(journal, limit: n)
    }

    func record(_ entries: [JournalEntry]) throws {
        try inner.record(entries)
        intents += entries.reduce(0) { n, e in if case .intent = e { n + 1 } else { n } }
        if intents >= limit { _exit(137) }
    }

    func lines() throws -> [String] { try inner.lines() }
}
