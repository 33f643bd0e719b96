import Foundation
import Testing
import TradewindCore
import TradewindData
import TradewindEngine
import TradewindLive
import TradewindStore
import TradewindStrategies

/// A runtime killed at a chosen moment and started again on the same broker and journal: the start-up
/// reconciliation adopts what the earlier run left, books the fills made while it was down, never sends an intent
/// twice, flags broker orders nobody here placed, and refuses to start when the journal and the broker disagree.
@Suite struct RestartReconciliationTests {
    static let data = try! DataSource(parsing: "sample:spy-daily").load()
    static let config = BacktestConfig()

    /// One trading process: a runtime on the shared broker and journal, driven a step at a time.
    struct Process {
        let runtime: TradingRuntime

        init(_ broker: any Broker, journal: any TradingJournal, runID: String = "tw") throws {
            let d = try StrategyCatalog.builtIn.named("sma-cross")
            let p = try d.parameters(["fast": "5", "slow": "20"])
            runtime = try TradingRuntime(strategy: try SMACross(parameters: p), symbols: Fixture.feed.symbols,
                                         interval: Fixture.feed.interval, config: RestartReconciliationTests.config,
                                         broker: broker, journal: journal, runID: runID)
            runtime.log = { _ in }
        }

        func begin() async throws -> ReconciliationReport {
            let report = try await runtime.reconcile()
            try runtime.start()
            return report
        }
    }

    enum Fixture {
        static let feed = try! ReplayFeed(RestartReconciliationTests.data)
        static var steps: [FeedStep] { feed.timeline }
    }

    /// The trader's end of the connection to a broker, dying at the first order: right after the intent was
    /// journaled (the command never leaves), or right after sending it (its acknowledgement never arrives).
    final class DyingBroker: Broker, @unchecked Sendable {
        enum Moment { case beforeSend, afterSend }
        let inner: PaperBroker
        let moment: Moment
        private(set) var dead = false
        private(set) var lastCommand: BrokerCommand?
        init(_ inner: PaperBroker, dies moment: Moment) {
            self.inner = inner
            self.moment = moment
        }
        var name: String { inner.name }
        var connectionEpoch: Int { inner.connectionEpoch }
        func send(_ command: BrokerCommand) {
            guard !dead else { return }
            if case .submit = command {} else if case .bracket = command {} else { return inner.send(command) }
            lastCommand = command
            if moment == .afterSend { inner.send(command) }
            dead = true
        }
        func pollUpdates(into updates: inout [BrokerUpdate]) { if !dead { inner.pollUpdates(into: &updates) } }
        func updates(after eventID: String?) async throws -> [BrokerUpdate] { try await inner.updates(after: eventID) }
        func account() async throws -> BrokerAccount { try await inner.account() }
        func marketOpened(_ step: FeedStep) throws { try inner.marketOpened(step) }
        func barEnded() { inner.barEnded() }
        func sessionClosed() { inner.sessionClosed() }
    }

    static func paper() throws -> PaperBroker {
        try PaperBroker(symbols: Fixture.feed.symbols, interval: Fixture.feed.interval, config: config)
    }

    static func journalPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("tw-restart-\(UUID().uuidString).jsonl").path
    }

    /// The venue goes on without the runtime (as an exchange does while the trader is down).
    static func venueAlone(_ broker: PaperBroker, _ steps: ArraySlice<FeedStep>) throws {
        for s in steps {
            try broker.marketOpened(s)
            broker.barEnded()
        }
    }

    /// Runs `process` from `index` until an order intent is journaled at a step; returns the step after it.
    static func runUntilAnIntent(_ process: Process, journal: any TradingJournal, from index: Int) throws -> Int {
        var i = index
        let before = try journal.readBack().intentClientIDs.count
        while i < Fixture.steps.count {
            try process.runtime.process(Fixture.steps[i])
            i += 1
            if try journal.readBack().intentClientIDs.count > before { return i }
        }
        Issue.record("no order was sent; the test proves nothing")
        return i
    }

    static func clientIDsAtBroker(_ broker: PaperBroker) async throws -> [String] {
        try await broker.updates(after: nil).compactMap {
            if case .accepted(let c?, _, _, _, _) = $0.kind { return c } else { return nil }
        }
    }

    static func expectBooksEqualBroker(_ runtime: TradingRuntime, _ broker: PaperBroker, _ label: String) {
        let status = runtime.currentStatus(), account = broker.snapshot()
        #expect(status.positions == account.positions, "\(label): books \(status.positions) vs broker \(account.positions)")
        #expect(abs(status.cash - account.cash) <= 1e-6 * max(abs(account.cash), 1), "\(label): cash \(status.cash) vs \(account.cash)")
    }

    /// Where the journal is kept: one protocol, two media, read back alike.
    enum Medium: String, CaseIterable, Sendable {
        case file, sqliteStore, postgresStore

        struct NoPostgres: Error, CustomStringConvertible {
            var description: String { "TRADEWIND_TEST_POSTGRES_URL is not set (.ci/run sets it; Scripts/start-test-postgres.sh starts a server)" }
        }

        /// Opens the journal at `path` (a JSON-lines file, a SQLite store's trading-journal area, or PostgreSQL's in a
        /// schema named after `path`) as a process does.
        func open(_ path: String) async throws -> any TradingJournal {
            switch self {
            case .file: return try FileJournal(path: path)
            case .sqliteStore: return StoreJournal(store: try await SQLStore.open(path), name: "restart-test")
            case .postgresStore:
                guard let base = ProcessInfo.processInfo.environment["TRADEWIND_TEST_POSTGRES_URL"], !base.isEmpty else {
                    throw NoPostgres()
                }
                let schema = "j_" + String(UInt64(truncatingIfNeeded: path.hashValue), radix: 16)
                return StoreJournal(store: try await SQLStore.open(base + (base.contains("?") ? "&" : "?") + "schema=\(schema)"),
                                    name: "restart-test")
            }
        }
    }

    @Test(arguments: Medium.allCases)
    func aRestartAdoptsTheEarlierRunsPositionsAndBooksTheFillsMadeWhileDown(_ medium: Medium) async throws {
        let path = Self.journalPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let broker = try Self.paper()
        // Run 1 trades until it holds a position and has just sent an order, then dies (no finish, no end entry).
        var journal = try await medium.open(path)
        let first = try Process(broker, journal: journal)
        _ = try await first.begin()
        var i = try Self.runUntilAnIntent(first, journal: journal, from: 0)
        i = try Self.runUntilAnIntent(first, journal: journal, from: i)
        // While it is down, the venue fills the order it left.
        try Self.venueAlone(broker, Fixture.steps[i..<(i + 3)])
        i += 3
        var polled: [BrokerUpdate] = []
        broker.pollUpdates(into: &polled)
        let fillsWhileDown = polled.filter { if case .fill = $0.kind { true } else { false } }.count
        #expect(fillsWhileDown > 0, "no fill happened while down; the test proves nothing")

        journal = try await medium.open(path)
        let second = try Process(broker, journal: journal)
        let report = try await second.begin()
        #expect(report.fillsWhileDown == fillsWhileDown)
        #expect(report.mismatches.isEmpty)
        #expect(report.positions == broker.snapshot().positions)
        #expect(!report.resumedOrders.isEmpty && report.externalOrders.isEmpty)
        try second.runtime.process(Fixture.steps[i])
        Self.expectBooksEqualBroker(second.runtime, broker, "after the restart's first step")
        for step in Fixture.steps[(i + 1)...] { try second.runtime.process(step) }
        _ = try await second.runtime.finish()
        Self.expectBooksEqualBroker(second.runtime, broker, "at the end")
        // No lost fill: every fill the broker made is in the journal once; no client id was used twice.
        let brokerFills = try await broker.updates(after: nil).filter { if case .fill = $0.kind { true } else { false } }
        let record = try journal.readBack()
        #expect(Set(record.fills.map(\.eventID)) == Set(brokerFills.map(\.eventID)))
        #expect(record.fills.count == brokerFills.count)
        let ids = try await Self.clientIDsAtBroker(broker)
        #expect(Set(ids).count == ids.count, "a client order id reached the broker twice")
        #expect(record.starts == 2)
        let summary = try journal.summary()
        #expect(summary.positions == broker.snapshot().positions)
        #expect(summary.fills == brokerFills.count && summary.starts == 2 && summary.ends == 1)
        #expect(summary.text.contains("positions: ") && summary.text.contains("P&L: "))
    }

    /// Runs a process on a broker that dies at its first order; returns the step index after the crash and the
    /// client id of the order it was sending.
    static func crash(at moment: DyingBroker.Moment, broker: PaperBroker, journal: FileJournal) async throws -> (Int, String) {
        let dying = DyingBroker(broker, dies: moment)
        let first = try Process(dying, journal: journal)
        _ = try await first.begin()
        var i = 0
        while i < Fixture.steps.count, !dying.dead {
            try first.runtime.process(Fixture.steps[i])
            i += 1
        }
        guard case .submit(let o)? = dying.lastCommand else {
            Issue.record("the run sent no order; the test proves nothing")
            return (i, "")
        }
        return (i, o.clientOrderID)
    }

    @Test func anIntentJournaledButNeverSentIsNotSentAgainAfterARestart() async throws {
        let path = Self.journalPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let broker = try Self.paper()
        let (i, client) = try await Self.crash(at: .beforeSend, broker: broker, journal: try FileJournal(path: path))
        #expect(try FileJournal(path: path).readBack().unacknowledgedClientIDs.contains(client))

        let journal = try FileJournal(path: path)
        let second = try Process(broker, journal: journal)
        let report = try await second.begin()
        #expect(report.neverSent == [client])
        #expect(report.acknowledgedWhileDown.isEmpty)
        for step in Fixture.steps[i...] { try second.runtime.process(step) }
        _ = try await second.runtime.finish()
        let ids = try await Self.clientIDsAtBroker(broker)
        #expect(!ids.contains(client), "the intent journaled before the crash was sent after the restart")
        #expect(!ids.isEmpty && ids.allSatisfy { $0.hasPrefix("twr2-") }, "the restarted run's client ids are new: \(ids.prefix(3))")
        Self.expectBooksEqualBroker(second.runtime, broker, "at the end")
        // Settled: a third start does not report it again, and still never sends it.
        let third = try Process(broker, journal: try FileJournal(path: path))
        #expect(try await third.begin().neverSent.isEmpty)
    }

    @Test func anIntentSentButNeverAcknowledgedIsAdoptedByClientIDAfterARestart() async throws {
        let path = Self.journalPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let broker = try Self.paper()
        let (i, client) = try await Self.crash(at: .afterSend, broker: broker, journal: try FileJournal(path: path))
        // The venue fills it while the trader is down.
        try Self.venueAlone(broker, Fixture.steps[i..<(i + 1)])

        let journal = try FileJournal(path: path)
        let second = try Process(broker, journal: journal)
        let report = try await second.begin()
        #expect(report.acknowledgedWhileDown == [client])
        #expect(report.neverSent.isEmpty && report.externalOrders.isEmpty)
        #expect(report.fillsWhileDown == 1)
        try second.runtime.process(Fixture.steps[i + 1])
        Self.expectBooksEqualBroker(second.runtime, broker, "after the restart's first step")
        for step in Fixture.steps[(i + 2)...] { try second.runtime.process(step) }
        _ = try await second.runtime.finish()
        let ids = try await Self.clientIDsAtBroker(broker)
        #expect(ids.filter { $0 == client }.count == 1, "the order of the intent reached the broker \(ids.filter { $0 == client }.count) times")
        Self.expectBooksEqualBroker(second.runtime, broker, "at the end")
    }

    @Test func aBrokerOrderTheJournalDoesNotKnowIsAdoptedAsExternalAndFlagged() async throws {
        let path = Self.journalPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let broker = try Self.paper()
        let symbol = Fixture.feed.symbols[0]
        broker.send(.submit(BrokerOrder(clientOrderID: "by-hand-1", symbol: symbol,
                                        request: OrderRequest(symbol: 0, side: .buy, size: .units(7)))))
        try Self.venueAlone(broker, Fixture.steps[0..<2])

        let journal = try FileJournal(path: path)
        let run = try Process(broker, journal: journal)
        let report = try await run.begin()
        #expect(report.externalOrders.count == 1 && report.externalOrders[0].contains("by-hand-1"))
        #expect(report.positions == [symbol: 7])
        try run.runtime.process(Fixture.steps[2])
        #expect(run.runtime.currentStatus().positions[symbol] == broker.snapshot().positions[symbol])
        #expect(run.runtime.currentStatus().fullText.contains("EXTERNAL order adopted"))
        let summary = try journal.summary()
        #expect(summary.reconciliationNotes.contains { $0.contains("external order adopted") && $0.contains("by-hand-1") })
        Self.expectBooksEqualBroker(run.runtime, broker, "after the first step")
    }

    @Test func aJournalFillTheBrokerDoesNotReportStopsTheStartWithAReport() async throws {
        let path = Self.journalPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let broker = try Self.paper()
        let first = try Process(broker, journal: try FileJournal(path: path))
        _ = try await first.begin()
        for step in Fixture.steps { try first.runtime.process(step) }
        _ = try await first.runtime.finish()
        #expect(try FileJournal(path: path).readBack().fills.count > 0)

        // The same journal against another (empty) account: its fills are nowhere at this broker.
        let other = try Self.paper()
        let second = try Process(other, journal: try FileJournal(path: path))
        do {
            _ = try await second.begin()
            Issue.record("the start went on despite the mismatch")
        } catch let error as ReconciliationError {
            #expect(!error.report.mismatches.isEmpty)
            #expect(error.description.contains("does not report") && error.description.contains("What to do"))
        }
        #expect(try FileJournal(path: path).summary().reconciliationNotes.contains { $0.hasPrefix("mismatch") })
    }
}
