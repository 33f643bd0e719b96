import Foundation
import Testing
import TradewindStore

/// The store's behaviour, the same on SQLite and PostgreSQL.
@Suite("Store (both backends)")
struct StoreSuiteTests {
    static func result(_ symbol: String, strategy: String = "sma_cross", sharpe: Double?, totalReturn: Double = 0.1,
                       trades: String = "[]") -> NewResult {
        NewResult(kind: .optimize, symbol: symbol, strategy: strategy,
                  parameters: [ResultParameter(name: "fast", value: "10"), ResultParameter(name: "slow", value: "50")],
                  objectiveName: "sharpe",
                  metrics: ResultMetrics(sharpe: sharpe, totalReturn: totalReturn, maxGain: 0.05, winRate: 0.5,
                                         maxDrawdown: 0.2, trades: 3, objective: sharpe),
                  detail: #"{"bars":100}"#, trades: trades)
    }

    @Test(arguments: StoreBackend.allCases)
    func migrationsApplyOnceAndRecordTheirIds(_ backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        defer { Task { await store.close() } }
        // A second migrate applies nothing.
        let again = try await StoreMigrations.migrate(store.database)
        #expect(again.isEmpty)
        #expect(await store.ping())
        #expect(store.backend == backend.rawValue)
    }

    @Test(arguments: StoreBackend.allCases)
    func historyFiltersSortsAndPaginates(_ backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        defer { Task { await store.close() } }
        _ = try await store.storeResult(Self.result("SPY", sharpe: 1.5, totalReturn: 0.3))
        _ = try await store.storeResult(Self.result("QQQ", sharpe: 2.5, totalReturn: 0.1))
        _ = try await store.storeResult(Self.result("SPY", strategy: "rsi2", sharpe: nil, totalReturn: 0.2))
        _ = try await store.storeResult(Self.result("SPY", sharpe: 0.5, totalReturn: -0.1))

        let bySharpe = try await store.history(HistoryFilter(), sort: .sharpe, order: .desc, page: PageRequest(limit: 10))
        #expect(bySharpe.total == 4)
        // Missing values sort last in either direction.
        #expect(bySharpe.items.map(\.metrics.sharpe) == [2.5, 1.5, 0.5, nil])
        let ascending = try await store.history(HistoryFilter(), sort: .sharpe, order: .asc, page: PageRequest(limit: 10))
        #expect(ascending.items.map(\.metrics.sharpe) == [0.5, 1.5, 2.5, nil])

        let spy = try await store.history(HistoryFilter(symbol: "SPY"), sort: .totalReturn, order: .asc,
                                          page: PageRequest(limit: 2, offset: 1))
        #expect(spy.total == 3)
        #expect(spy.items.map(\.metrics.totalReturn) == [0.2, 0.3])
        #expect(try await store.historyCount(HistoryFilter(symbol: "SPY", strategy: "sma_cross")) == 2)
        // Newest first by date.
        let byDate = try await store.history(HistoryFilter(), sort: .date, order: .desc, page: PageRequest(limit: 1))
        #expect(byDate.items.first?.metrics.sharpe == 0.5)
        #expect(byDate.items.first?.parameters == [ResultParameter(name: "fast", value: "10"), ResultParameter(name: "slow", value: "50")])
    }

    @Test(arguments: StoreBackend.allCases)
    func aResultKeepsItsTradeLogAndDetail(_ backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        defer { Task { await store.close() } }
        let trades = "[" + (0..<1000).map { #"{"pnl":\#($0)}"# }.joined(separator: ",") + "]"
        let id = try await store.storeResult(Self.result("SPY", sharpe: 1, trades: trades))
        let r = try #require(try await store.result(id))
        #expect(r.trades == trades)
        #expect(r.detail == #"{"bars":100}"#)
        #expect(r.summary.symbol == "SPY")
        #expect(try await store.storeResults((0..<300).map { Self.result("S\($0)", strategy: "bulk", sharpe: Double($0)) }) == 300)
        #expect(try await store.historyCount(HistoryFilter()) == 301)
        // One transaction, in order: the newest is the last given.
        let newest = try await store.history(HistoryFilter(strategy: "bulk"), sort: .date, order: .desc, page: PageRequest(limit: 1))
        #expect(newest.items.first?.symbol == "S299")
        #expect(try await store.deleteHistory(HistoryFilter(strategy: "bulk")) == 300)
        #expect(try await store.result(id + 1000) == nil)
        #expect(try await store.deleteHistory(HistoryFilter(symbol: "QQQ")) == 0)
        // One result by its id: deleted once, then gone.
        let single = try await store.storeResult(Self.result("QQQ", sharpe: 2))
        #expect(try await store.deleteResult(single))
        #expect(try await store.deleteResult(single) == false)
        #expect(try await store.result(single) == nil)
        #expect(try await store.deleteHistory(HistoryFilter()) == 1)
        #expect(try await store.historyCount(HistoryFilter()) == 0)
    }

    @Test(arguments: StoreBackend.allCases)
    func jobsQueueClaimFinishSymbolsAndResumeAfterInterruption(_ backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        defer { Task { await store.close() } }
        let a = try await store.createJob(kind: .optimize, request: #"{"strategy":"sma_cross"}"#)
        let b = try await store.createJob(kind: .backtest, request: "{}")
        #expect(a.status == .queued && a.startedAt == nil)

        let claimed = try #require(try await store.claimNextJob(owner: "host-a 1 a", lease: 30))
        #expect(claimed.id == a.id)
        #expect(claimed.status == .running && claimed.owner == "host-a 1 a")
        let started = try #require(claimed.startedAt)
        try await store.setJobSymbols(a.id, symbols: ["SPY", "QQQ", "IWM"])
        let rid = try await store.finishJobSymbol(a.id, owner: "host-a 1 a", symbol: "SPY", evaluations: 40, result: Self.result("SPY", sharpe: 1))
        try await store.appendJobLog(a.id, level: "info", message: "SPY done")

        // The server died: the running job it held is queued again and keeps its finished symbol.
        #expect(try await store.requeueJobs(heldBy: ["host-b 2 b"]).isEmpty)
        #expect(try await store.requeueJobs(heldBy: ["host-a 1 a"]) == [a.id])
        let again = try #require(try await store.claimNextJob(owner: "host-a 1 a", lease: 30))
        #expect(again.id == a.id)
        #expect(again.startedAt == started)
        try await store.setJobSymbols(a.id, symbols: ["SPY", "QQQ", "IWM"])
        let symbols = try await store.jobSymbols(a.id)
        #expect(symbols.map(\.symbol) == ["SPY", "QQQ", "IWM"])
        #expect(symbols.map(\.status) == ["done", "pending", "pending"])
        #expect(symbols[0].resultID == rid)
        let job = try #require(try await store.job(a.id))
        #expect(job.symbolsTotal == 3 && job.symbolsDone == 1 && job.evaluations == 40)
        #expect(try await store.result(rid)?.summary.jobID == a.id)

        try await store.finishJob(a.id, owner: "host-a 1 a", status: .failed, failure: "no bars for IWM")
        let failed = try #require(try await store.job(a.id))
        #expect(failed.status == .failed && failed.failure == "no bars for IWM" && failed.completedAt != nil)
        #expect(failed.durationSeconds != nil)

        let log = try await store.jobLog(a.id, page: PageRequest())
        #expect(log.items.map(\.message) == ["SPY done"])

        // Cancelling the queued job ends it at once.
        let cancelled = try await store.cancelJob(b.id)
        #expect(cancelled.status == .cancelled)
        #expect(try await store.claimNextJob(owner: "host-a 1 a", lease: 30) == nil)
        await #expect(throws: StoreError.notFound(kind: "job", id: "999")) { try await store.cancelJob(999) }

        let counts = try await store.jobCounts()
        #expect(counts[.failed] == 1 && counts[.cancelled] == 1 && counts[.queued] == 0)
        let page = try await store.jobs(statuses: [.failed], page: PageRequest())
        #expect(page.items.map(\.id) == [a.id])
        #expect(try await store.deleteFinishedJobs() == 2)
        #expect(try await store.jobs(statuses: nil, page: PageRequest()).total == 0)
        // Results outlive their jobs.
        #expect(try await store.result(rid) != nil)
    }

    @Test(arguments: StoreBackend.allCases)
    func aRunningJobIsNotDeletedAndACancelIsRequested(_ backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        defer { Task { await store.close() } }
        let a = try await store.createJob(kind: .optimize, request: "{}")
        _ = try await store.claimNextJob(owner: "host-a 1 a", lease: 30)
        await #expect(throws: StoreError.self) { try await store.deleteJob(a.id) }
        let asked = try await store.cancelJob(a.id)
        #expect(asked.status == .running && asked.cancelRequested)
        try await store.finishJob(a.id, owner: "host-a 1 a", status: .cancelled, failure: "cancelled")
        try await store.deleteJob(a.id)
        #expect(try await store.job(a.id) == nil)
    }

    @Test(arguments: StoreBackend.allCases)
    func keywordsArePutReplacedListedAndDeleted(_ backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        defer { Task { await store.close() } }
        _ = try await store.putKeyword("tech", symbols: ["AAPL", "MSFT"])
        _ = try await store.putKeyword("etf", symbols: ["SPY"])
        let replaced = try await store.putKeyword("tech", symbols: ["AAPL", "MSFT", "NVDA"])
        #expect(replaced.symbols == ["AAPL", "MSFT", "NVDA"])
        let page = try await store.keywords(page: PageRequest(limit: 1))
        #expect(page.total == 2 && page.items.map(\.name) == ["etf"])
        #expect(try await store.deleteKeyword("etf"))
        #expect(try await !store.deleteKeyword("etf"))
        await #expect(throws: StoreError.self) { try await store.putKeyword("empty", symbols: []) }
    }

    @Test(arguments: StoreBackend.allCases)
    func theJournalRecordsClosesAndComputesProfit(_ backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        defer { Task { await store.close() } }
        let t0: Int64 = 1_700_000_000_000_000_000
        let long = try await store.recordTrade(NewJournalTrade(symbol: "SPY", strategy: "sma_cross", side: .long, quantity: 10,
                                                                entryPrice: 100, entryTime: t0, fees: 1))
        #expect(long.isOpen && long.pnl == nil)
        let closed = try await store.closeTrade(long.id, exitPrice: 110, exitTime: t0 + 86_400_000_000_000, fees: 1)
        #expect(closed.pnl == 98)
        await #expect(throws: StoreError.conflict(kind: "trade", id: String(long.id), reason: "already closed")) {
            try await store.closeTrade(long.id, exitPrice: 120, exitTime: t0 + 1, fees: 0)
        }
        let short = try await store.recordTrade(NewJournalTrade(symbol: "QQQ", side: .short, quantity: 2, entryPrice: 50,
                                                                 entryTime: t0, exitPrice: 40, exitTime: t0 + 1))
        #expect(short.pnl == 20)
        await #expect(throws: StoreError.self) {
            try await store.recordTrade(NewJournalTrade(symbol: "SPY", side: .long, quantity: -1, entryPrice: 1, entryTime: t0))
        }
        let open = try await store.journal(symbol: nil, open: true, page: PageRequest())
        #expect(open.total == 0)
        let all = try await store.journal(symbol: nil, open: nil, page: PageRequest())
        #expect(all.items.map(\.id) == [short.id, long.id])
        #expect(try await store.closedTrades().count == 2)
    }

    @Test(arguments: StoreBackend.allCases)
    func theTradingJournalKeepsEachJournalsLinesInOrder(_ backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        defer { Task { await store.close() } }
        try await store.appendTradingJournal("bot-a", [("lifecycle", #"{"kind":"lifecycle","event":"start"}"#),
                                                       ("intent", #"{"kind":"intent","client_id":"tw-0"}"#)])
        try await store.appendTradingJournal("bot-b", [("halt", #"{"kind":"halt","reason":"drawdown"}"#)])
        try await store.appendTradingJournal("bot-a", [("update", #"{"kind":"update","event_id":"0"}"#)])
        try await store.appendTradingJournal("bot-a", [])
        let a = try await store.tradingJournal("bot-a")
        #expect(a.map(\.kind) == ["lifecycle", "intent", "update"])
        #expect(a.map(\.sequence) == a.map(\.sequence).sorted() && Set(a.map(\.sequence)).count == 3)
        #expect(a[1].line == #"{"kind":"intent","client_id":"tw-0"}"#)
        #expect(try await store.tradingJournal("bot-b").map(\.kind) == ["halt"])
        #expect(try await store.tradingJournal("nobody").isEmpty)
        #expect(try await store.tradingJournalNames() == ["bot-a", "bot-b"])
        await #expect(throws: StoreError.self) { try await store.appendTradingJournal("", [("halt", "{}")]) }
    }

    @Test(arguments: StoreBackend.allCases)
    func strategyVersionsHaveParentsAndOneActive(_ backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        defer { Task { await store.close() } }
        let v1 = try await store.createStrategyVersion(strategy: "sma_cross", parentID: nil, parameters: #"{"fast":10}"#, notes: "")
        let v2 = try await store.createStrategyVersion(strategy: "sma_cross", parentID: v1.id, parameters: #"{"fast":12}"#, notes: "tuned")
        #expect(v2.parentID == v1.id)
        await #expect(throws: StoreError.self) {
            try await store.createStrategyVersion(strategy: "x", parentID: 999, parameters: "{}", notes: "")
        }
        #expect(try await store.activeStrategyVersion() == nil)
        _ = try await store.activateStrategyVersion(v1.id)
        let active = try await store.activateStrategyVersion(v2.id)
        #expect(active.active)
        #expect(try await store.activeStrategyVersion()?.id == v2.id)
        #expect(try await store.strategyVersion(v1.id)?.active == false)
        await #expect(throws: StoreError.notFound(kind: "strategy version", id: "999")) {
            try await store.activateStrategyVersion(999)
        }
        #expect(try await store.strategyVersions(page: PageRequest()).items.map(\.id) == [v2.id, v1.id])
    }

    @Test(arguments: StoreBackend.allCases)
    func sessionsAndUsersAndTokens(_ backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        defer { Task { await store.close() } }
        let s = try await store.recordSession(NewSession(mode: "backtest", strategy: "rsi2", marketCondition: "bull",
                                                         metrics: #"{"sharpe":1}"#, startedAt: 1, endedAt: 2))
        #expect(try await store.sessions(page: PageRequest()).items == [s])

        #expect(try await store.userCount() == 0)
        _ = try await store.addUser(name: "ada", passwordHash: "$2b$hash")
        await #expect(throws: StoreError.conflict(kind: "user", id: "ada", reason: "exists already")) {
            try await store.addUser(name: "ada", passwordHash: "x")
        }
        await #expect(throws: StoreError.self) { try await store.addUser(name: "bad name", passwordHash: "x") }
        #expect(try await store.user("ada")?.passwordHash == "$2b$hash")
        let token = try await store.createToken(user: "ada", kind: .api, digest: "abc", label: "script", expiresAt: nil)
        #expect(try await store.token(digest: "abc") == token)
        #expect(try await store.revokeToken(digest: "abc"))
        #expect(try await store.token(digest: "abc")?.revoked == true)
        await #expect(throws: StoreError.self) {
            try await store.createToken(user: "nobody", kind: .api, digest: "d", label: "", expiresAt: nil)
        }
    }

    @Test func pageRequestsOutsideTheirRangeAreRefusedNamingTheField() {
        #expect(throws: StoreError.invalidArgument(field: "limit", value: "0", valid: "an integer from 1 to 1000")) {
            try PageRequest(limit: 0)
        }
        #expect(throws: StoreError.self) { try PageRequest(limit: 10, offset: -1) }
    }
}
