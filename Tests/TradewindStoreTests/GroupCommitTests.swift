import Foundation
import Testing
import TradewindCore
@testable import TradewindStore

/// Group commit and the failed-logins area, on both backends.
@Suite("Store group commit and login failures (both backends)")
struct GroupCommitTests {
    static func session(_ n: Int) -> NewSession {
        NewSession(mode: "backtest", strategy: "s\(n)", marketCondition: "bull", metrics: #"{"n":\#(n)}"#, startedAt: 1, endedAt: 2)
    }

    @Test(arguments: StoreBackend.allCases)
    func concurrentBacktestsAreAllStoredWithTheirSessions(_ backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        defer { Task { await store.close() } }
        let ids = try await withThrowingTaskGroup(of: Int64.self) { group in
            for n in 0..<40 {
                group.addTask {
                    try await store.storeBacktest(StoreSuiteTests.result("S\(n)", sharpe: Double(n)), session: Self.session(n))
                }
            }
            return try await group.reduce(into: [Int64]()) { $0.append($1) }
        }
        #expect(Set(ids).count == 40)
        for id in ids {
            #expect(try await store.result(id)?.summary.id == id)
        }
        #expect(try await store.historyCount(HistoryFilter()) == 40)
        #expect(try await store.sessions(page: PageRequest(limit: 100)).total == 40)
    }

    @Test(arguments: StoreBackend.allCases)
    func aFailingGroupIsRolledBackAloneAndTheOthersCommit(_ backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        defer { Task { await store.close() } }
        let bad = [SQLStore.insertSession(Self.session(-1)), SQLStatement("INSERT INTO sessions (mode) VALUES (NULL)")]
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for n in 0..<20 {
                group.addTask {
                    do {
                        _ = try await store.groupCommit.commit(n == 7 ? bad : [SQLStore.insertSession(Self.session(n))])
                        return true
                    } catch {
                        return false
                    }
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.filter { !$0 }.count == 1)
        let sessions = try await store.sessions(page: PageRequest(limit: 100))
        // The failing group's first statement was rolled back with it.
        #expect(sessions.total == 19)
        #expect(!sessions.items.contains { $0.strategy == "s-1" })
    }

    @Test(arguments: StoreBackend.allCases)
    func loginFailuresAreCountedPerAddressWithinTheWindowAndForgotten(_ backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        defer { Task { await store.close() } }
        try await store.recordLoginFailure(address: "10.0.0.1", at: 100, forgetBefore: 0)
        try await store.recordLoginFailure(address: "10.0.0.1", at: 200, forgetBefore: 0)
        try await store.recordLoginFailure(address: "10.0.0.2", at: 250, forgetBefore: 0)
        #expect(try await store.loginFailures(address: "10.0.0.1", since: 0) == LoginFailures(count: 2, oldest: 100))
        #expect(try await store.loginFailures(address: "10.0.0.1", since: 150) == LoginFailures(count: 1, oldest: 200))
        #expect(try await store.loginFailures(address: "10.0.0.3", since: 0) == LoginFailures(count: 0, oldest: nil))
        // A new failure forgets every address's failures before the window.
        try await store.recordLoginFailure(address: "10.0.0.2", at: 300, forgetBefore: 210)
        #expect(try await store.loginFailures(address: "10.0.0.1", since: 0).count == 0)
        #expect(try await store.loginFailures(address: "10.0.0.2", since: 0) == LoginFailures(count: 2, oldest: 250))
        try await store.clearLoginFailures(address: "10.0.0.2")
        #expect(try await store.loginFailures(address: "10.0.0.2", since: 0).count == 0)
    }
}
