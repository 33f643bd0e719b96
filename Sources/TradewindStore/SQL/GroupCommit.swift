import Synchronization

/// Group commit: independent writes that arrive while a commit is on its way to disk wait together and share the next
/// commit (`SQLDatabase.transactions`), so that many concurrent small writes — a `POST /api/backtest` storing its
/// result and session, jobs storing symbols' results — cost one durable flush (SQLite's WAL `fsync`, PostgreSQL's
/// commit) between them instead of one each. Every caller still returns only after its own statements are committed;
/// one caller's failing statement is rolled back alone (a savepoint each) and fails that caller only.
final class GroupCommit: Sendable {
    typealias Waiter = CheckedContinuation<[SQLRow], any Error>

    private struct State {
        var pending: [(statements: [SQLStatement], waiter: Waiter)] = []
        var flushing = false
    }

    let database: any SQLDatabase
    /// The most groups one commit takes.
    let batchLimit: Int
    private let state = Mutex(State())

    init(database: any SQLDatabase, batchLimit: Int = 256) {
        self.database = database
        self.batchLimit = max(1, batchLimit)
    }

    /// Commits `statements` (one transaction's worth, all or none) with whatever else is waiting; returns the last
    /// statement's rows once they are durable.
    func commit(_ statements: [SQLStatement]) async throws -> [SQLRow] {
        try await withCheckedThrowingContinuation { (waiter: Waiter) in
            let leads = state.withLock { s -> Bool in
                s.pending.append((statements, waiter))
                guard !s.flushing else { return false }
                s.flushing = true
                return true
            }
            if leads { Task { await self.flush() } }
        }
    }

    /// Commits batches until nothing waits.
    private func flush() async {
        while true {
            let batch = state.withLock { s -> [(statements: [SQLStatement], waiter: Waiter)] in
                let n = min(batchLimit, s.pending.count)
                if n == 0 { s.flushing = false }
                let taken = Array(s.pending.prefix(n))
                s.pending.removeFirst(n)
                return taken
            }
            if batch.isEmpty { return }
            do {
                let results = try await database.transactions(batch.map(\.statements))
                for (entry, result) in zip(batch, results) { entry.waiter.resume(with: result) }
            } catch {
                for entry in batch { entry.waiter.resume(throwing: error) }
            }
        }
    }
}
