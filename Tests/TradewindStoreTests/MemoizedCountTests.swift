import Foundation
import Testing
import TradewindCore
@testable import TradewindStore

/// The history's count is kept per SQLite connection until the database changes (`readMemoized`): it must never be
/// stale, whichever connection or process wrote.
@Suite("History count kept until the database changes")
struct MemoizedCountTests {
    static func counts(_ store: SQLStore, _ filter: HistoryFilter = HistoryFilter()) async throws -> Set<Int> {
        // Many concurrent reads, so that every reading connection of the pool answers (and keeps) the count.
        try await withThrowingTaskGroup(of: Int.self) { group in
            for n in 0..<24 {
                group.addTask { n.isMultiple(of: 2) ? try await store.historyCount(filter) : try await store.history(
                    filter, sort: .date, order: .desc, page: PageRequest(limit: 1)).total }
            }
            return try await group.reduce(into: Set<Int>()) { $0.insert($1) }
        }
    }

    @Test func theCountFollowsEveryWriteOfThisStoreAndOfAnotherOnTheSameFile() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tw-memo-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let mine = try await SQLStore.open(path)
        let other = try await SQLStore.open(path)  // another server or CLI process on the same file
        _ = try await mine.storeResults((0..<5).map { StoreSuiteTests.result("AAA\($0 % 2)", sharpe: Double($0)) })
        #expect(try await Self.counts(mine) == [5])
        #expect(try await Self.counts(mine) == [5])
        #expect(try await Self.counts(mine, HistoryFilter(symbol: "AAA1")) == [2])

        _ = try await other.storeResult(StoreSuiteTests.result("AAA1", sharpe: 9))
        #expect(try await Self.counts(mine) == [6])
        #expect(try await Self.counts(mine, HistoryFilter(symbol: "AAA1")) == [3])

        _ = try await mine.storeResult(StoreSuiteTests.result("BBB", sharpe: 1))
        #expect(try await Self.counts(mine) == [7])
        #expect(try await Self.counts(other) == [7])

        #expect(try await other.deleteHistory(HistoryFilter(symbol: "AAA1")) == 3)
        #expect(try await Self.counts(mine) == [4])
        #expect(try await Self.counts(mine, HistoryFilter(symbol: "AAA1")) == [0])
        await mine.close()
        await other.close()
    }
}
