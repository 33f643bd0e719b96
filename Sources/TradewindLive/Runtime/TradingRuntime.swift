import Foundation
import TradewindCore
import TradewindEngine

/// What a runtime did so far, for the status line, `SIGQUIT` and the server.
public struct RuntimeStatus: Sendable {
    public var steps = 0
    public var time: UnixNanos = 0
    public var equity = 0.0
    public var cash = 0.0
    public var positions: [String: Double] = [:]
    public var openOrders = 0
    public var fills = 0
    /// Orders handed to the broker (after the risk manager).
    public var ordersSent = 0
    /// Long plus short position value over equity (0 when equity is not positive).
    public var grossExposure = 0.0
    public var riskRejections = 0
    public var adoptedOrders = 0
    /// Broker orders adopted as external (a client id neither this run's nor the journal's), flagged.
    public var externalOrders: [String] = []
    public var haltReason: String?
    public var reconnects = 0
    public var duplicateReports = 0
    /// Seconds from the latest intraday bar's end to its arrival, by the wall clock (live feeds only; nil otherwise).
    public var feedLagSeconds: Double?
    /// Feed steps that could not be used (out of order, bad prices, unknown symbols), logged and skipped.
    public var skippedSteps = 0
    public var initialCash = 0.0
    /// Open orders as `symbol side type status`, and the latest refusals by the risk manager.
    public var orders: [String] = []
    public var refusalsByKind: [String: Int] = [:]

    /// One line for a terminal: time, equity and P&L, positions, open orders.
    public var line: String {
        let pnl = equity - initialCash
        let held = positions.sorted { $0.key < $1.key }.map { "\($0.key) \(Self.number($0.value))" }.joined(separator: ", ")
        return "\(ISO8601.utc(time))  equity \(Self.number(equity)) (\(pnl >= 0 ? "+" : "")\(Self.number(pnl)))  "
            + "positions: \(held.isEmpty ? "none" : held)  open orders: \(openOrders)  fills: \(fills)"
            + (feedLagSeconds.map { "  feed lag \(Self.number($0)) s" } ?? "")
            + (haltReason != nil ? "  HALTED" : "")
    }

    /// Everything, for `SIGQUIT`.
    public var fullText: String {
        var lines = ["steps: \(steps) (skipped \(skippedSteps)), latest bar: \(ISO8601.utc(time))"
                        + (feedLagSeconds.map { ", feed lag \(Self.number($0)) s" } ?? ""),
                     "cash \(Self.number(cash)), equity \(Self.number(equity)), P&L \(Self.number(equity - initialCash))",
                     "fills: \(fills), risk refusals: \(riskRejections), adopted broker orders: \(adoptedOrders), reconnects: \(reconnects), duplicate reports ignored: \(duplicateReports)"]
        for (symbol, q) in positions.sorted(by: { $0.key < $1.key }) { lines.append("position \(symbol): \(Self.number(q))") }
        for o in orders { lines.append("open order: \(o)") }
        for (kind, n) in refusalsByKind.sorted(by: { $0.key < $1.key }) { lines.append("refused (\(kind)): \(n)") }
        for o in externalOrders { lines.append("EXTERNAL order adopted: \(o)") }
        if let h = haltReason { lines.append("halted: \(h)") }
        return lines.joined(separator: "\n")
    }

    static func number(_ v: Double) -> String {
        let r = (v * 100).rounded() / 100
        return r == r.rounded() && abs(r) < 1e15 ? String(Int64(r)) : String(r)
    }
}

/// Errors that stop a trading run.
public enum TradingError: Error, Sendable, CustomStringConvertible {
    /// The feed and the run disagree on the symbols.
    case symbolsMismatch(feed: [String], run: [String])
    case strategy(BacktestError)
    case journal(String)

    public var description: String {
        switch self {
        case .symbolsMismatch(let f, let r):
            return "the feed delivers \(f.joined(separator: ", ")) but the run trades \(r.joined(separator: ", "))"
        case .strategy(let e): return "\(e)"
        case .journal(let why): return why
        }
    }
}

/// Runs a strategy live: the feed's bars drive the engine's streamed context, the strategy's orders go through the
/// risk manager and the journal to the broker, and the broker's reports come back into the context's books. The
/// strategy type is the one `Backtest.run` runs, unchanged.
///
/// Each step goes through the phases of `StreamingRun` in `Backtest.run`'s order, with the broker's work between
/// them, so replaying recorded bars with the `PaperBroker` records exactly what `tradewind backtest` records on them
/// (the parity tests prove it for every strategy of the catalog).
public final class TradingRuntime {
    let run: StreamingDriver
    let link: OrderLink
    public let broker: any Broker
    private(set) public var status = RuntimeStatus()
    private var halted = false

    /// A runtime for `strategy` trading `symbols` on bars of `interval` under `config` (the same settings a backtest
    /// takes; the broker fills with its own rules, the paper broker with these), through `broker`. Inlinable, so
    /// the run is specialised for the strategy's type where it is called.
    @inlinable
    public convenience init<S: Strategy>(strategy: S, symbols: [String], interval: BarInterval, config: BacktestConfig,
                                         broker: any Broker, risk: RiskLimits = RiskLimits(),
                                         journal: (any TradingJournal)? = nil, notifier: (any TradingNotifier)? = nil,
                                         runID: String = "tw") throws {
        try self.init(symbols: symbols, interval: interval, config: config, broker: broker, risk: risk, journal: journal,
                      notifier: notifier, runID: runID) { setup throws(BacktestError) in
            try StreamingDriver(strategy, setup: setup)
        }
    }

    /// A runtime for the strategy `makeRun` builds (a catalog's `StrategyDescriptor.stream`), given the setup.
    public init(symbols: [String], interval: BarInterval, config: BacktestConfig, broker: any Broker,
                risk: RiskLimits = RiskLimits(), journal: (any TradingJournal)? = nil,
                notifier: (any TradingNotifier)? = nil, runID: String = "tw",
                makeRun: (StreamingSetup) throws -> StreamingDriver) throws {
        try risk.validate()
        let link = OrderLink(broker: broker, risk: RiskManager(limits: risk), journal: journal, runID: runID)
        link.notifier = notifier
        let run = try makeRun(StreamingSetup(symbols: symbols, interval: interval, config: config, router: link))
        self.link = link
        self.broker = broker
        self.run = run
        barInterval = interval
        // Replayed time: the latest step's start (a live feed's runtime will read the wall clock).
        let context = run.context
        link.now = { [unowned context] in context.latestStepTime ?? 0 }
    }

    public var context: SimulationContext { run.context }
    private let barInterval: BarInterval
    /// Whether each step's arrival is timed against the wall clock (`RuntimeStatus.feedLagSeconds`): set by `trade(_:)`
    /// from the feed's `isRealTime`; set it yourself when driving `process(_:)` from a live source.
    public var reportsFeedLag = false
    /// The real clock a live feed's run follows (nanoseconds since the epoch); tests set their own.
    public var wallClock: () -> UnixNanos = TradingRuntime.systemClock
    /// How often a live feed's run reads the clock between bars (scheduled events, the session's close).
    public var clockTick: Duration = .seconds(1)

    /// Called with the status after each batch of feed steps (one step live; many when replaying at full speed).
    public var onBatch: ((RuntimeStatus) -> Void)?
    /// Awaited before each batch of feed steps is processed (nil: nothing). `tradewind trade --lockstep` makes
    /// it wait until the broker has every report its venue published, so that a run against `tradewind exchange`
    /// books each fill on the bar a backtest books it although bars and reports come on two connections.
    public var beforeBatch: (@Sendable () async throws -> Void)?
    /// Receives one line per skipped feed step (default: standard error).
    public var log: (String) -> Void = { FileHandle.standardError.write(Data(("tradewind trade: " + $0 + "\n").utf8)) }

    /// Records tick-to-order latency into `recorder` from now on.
    public func measureLatency(into recorder: LatencyRecorder) { link.latency = recorder }

    /// Runs until the feed ends (a replay) or the task is cancelled; returns the run's results in backtest form.
    public func trade(_ feed: some MarketFeed) async throws -> BacktestResult {
        do {
            return try await tradeUntilDone(feed)
        } catch {
            link.notifier?.send(.error("\(error)"))
            throw error
        }
    }

    private func tradeUntilDone(_ feed: some MarketFeed) async throws -> BacktestResult {
        guard feed.symbols == context.symbols else { throw TradingError.symbolsMismatch(feed: feed.symbols, run: context.symbols) }
        if reconciliation == nil { _ = try await reconcile() }
        let history = try await warmupHistory(feed)
        try start()
        for step in history { try process(step) }
        if !history.isEmpty { onBatch?(currentStatus()) }
        reportsFeedLag = feed.isRealTime
        var epoch = broker.connectionEpoch
        if feed.isRealTime {
            try await tradeInRealTime(feed, epoch: &epoch)
        } else {
            for try await batch in feed.steps() {
                try await consume(batch, epoch: &epoch)
                if Task.isCancelled { break }
            }
        }
        return try await finish()
    }

    /// The warm-up's steps (`BacktestConfig.warmup`) from the feed's history, before the run starts; a feed with
    /// less history shortens the warm-up to what it has, and says so.
    nonisolated(nonsending) func warmupHistory(_ feed: some MarketFeed) async throws -> [FeedStep] {
        let wanted = context.warmupSteps
        guard wanted > 0, !started else { return [] }
        let history = Array(try await feed.warmupSteps(wanted).suffix(wanted))
        if history.count < wanted {
            log("the feed has \(history.count) bars of history before its first for a warm-up of \(wanted): the warm-up is \(history.count) bars")
            try guarded { try context.setWarmup(steps: history.count) }
        }
        return history
    }

    /// Processes a batch of feed steps, taking the broker's missed reports first when its connection was restored.
    func consume(_ batch: ArraySlice<FeedStep>, epoch: inout Int) async throws {
        try await beforeBatch?()
        for step in batch {
            if broker.connectionEpoch != epoch {
                // The connection was lost and restored: take the reports missed meanwhile, and check the broker's
                // positions, before going on.
                epoch = broker.connectionEpoch
                status.reconnects += 1
                try await reconcileAfterReconnect()
            }
            try process(step)
        }
        onBatch?(currentStatus())
    }

    /// What the start-up reconciliation found (nil until `reconcile()` ran).
    public private(set) var reconciliation: ReconciliationReport?

    /// Reconciles with the broker before the first step (`trade(_:)` does it): reads the journal of earlier runs,
    /// the broker's whole report history and its positions; adopts the earlier runs' orders and positions, the fills
    /// made while down and the broker orders nobody here placed (flagged as external), all booked at the first step;
    /// looks up every intent journaled but never acknowledged by its client id (adopted when the broker has it, never
    /// sent twice); and makes this run's client ids unique against earlier runs'. Throws `ReconciliationError`
    /// (journaled) when they disagree in a way adoption cannot explain.
    nonisolated(nonsending) public func reconcile() async throws -> ReconciliationReport {
        let record: JournalRecord
        do { record = try link.journal?.readBack() ?? JournalRecord() } catch { throw TradingError.journal("\(error)") }
        // What the connection already delivered first, then the whole history (a broker that keeps its own
        // account for sizing reads it again there, after these).
        var history: [BrokerUpdate] = []
        broker.pollUpdates(into: &history)
        var seen = Set(history.map(\.eventID))
        history += try await broker.updates(after: nil).filter { seen.insert($0.eventID).inserted }
        let account = try await broker.account()
        let report = Reconciler(record: record, history: history, brokerPositions: account.positions,
                                symbols: Set(context.symbols)).reconcile()
        reconciliation = report
        guard report.mismatches.isEmpty else {
            try journal(.reconciliation("mismatch, start stopped: " + report.mismatches.joined(separator: "; "), time: 0))
            throw ReconciliationError(broker: broker.name, report: report, accountOutlivesProcess: broker.accountOutlivesProcess)
        }
        var known = record.intentClientIDs
        for u in history {
            if case .accepted(let c?, _, _, _, _) = u.kind { known.insert(c) }
        }
        let base = link.runID
        var candidate = base, n = record.starts + 1
        while known.contains(where: { $0.hasPrefix(candidate + "-") }) {
            candidate = "\(base)r\(n)"
            n += 1
        }
        link.runID = candidate
        for note in report.notes + report.neverSent.map(ReconciliationReport.neverSentNote) { log(note) }
        link.prepareAdoption(history, record: record, notes: report.notes, notSent: report.neverSent)
        return report
    }

    /// Starts the run (`onStart`, journaled): then `process` each step as it comes (one iteration on demand, as a
    /// server's tick does), and `finish`. `trade(_:)` does all three over a feed.
    public func start() throws {
        guard !started else { return }
        started = true
        try journal(.lifecycle("start", time: 0))
        try guarded { try run.start() }
        try link.raiseFailure()
    }

    private var started = false

    /// Ends the run: whatever the broker reported that has not reached the runtime (a lost connection, a late report)
    /// is taken first, so the books end equal to the broker's; then `onEnd` and the results in backtest form.
    nonisolated(nonsending) public func finish() async throws -> BacktestResult {
        try link.applyUpdates(context)
        try await catchUp()
        let result = try guarded { try run.finish() }
        try link.raiseFailure()
        try journal(.lifecycle("end", time: context.latestStepTime ?? 0))
        return result
    }

    /// One step of the market through every phase.
    public func process(_ step: FeedStep) throws {
        if reportsFeedLag && barInterval.isIntraday {
            let arrived = wallClock()
            status.feedLagSeconds = Double(arrived - (step.time + barInterval.nominalNanos)) / 1e9
        }
        if let latency = link.latency {
            latency.stepStart = LatencyRecorder.now()
            latency.flushAtStepStart = (link.journal as? FileJournal)?.flushNanos ?? 0
        }
        if let latest = context.latestStepTime, step.time <= latest {
            // Out of order (a late or repeated message): logged and skipped before it can close a session.
            status.skippedSteps += 1
            log("skipped a feed step at \(ISO8601.utc(step.time)): not after the latest step \(ISO8601.utc(latest))")
            return
        }
        if context.sessionEnds(before: step.time) { try closeSession() }
        do { try run.appendStep(step.time, step.bars) } catch {
            // A malformed step (bad prices, an unknown symbol, a symbol twice) is logged and skipped.
            status.skippedSteps += 1
            log("skipped a feed step: \(error)")
            return
        }
        try guarded { try run.fireDueEvents() }
        try link.raiseFailure()
        try broker.marketOpened(step)
        run.beginStep()
        if link.hasPendingAdoption { try link.applyAdoption(context) }
        try link.applyUpdates(context, matchedOnBar: true)
        try guarded { try run.runBar() }
        try link.raiseFailure()
        broker.barEnded()
        try link.applyUpdates(context)
        run.endBar()
        try guarded { try run.completeBar() }
        try link.raiseFailure()
        if context.isSessionClose { sessionEnded() }
        try watchRisk()
    }

    /// The clock moved to `now` with no new bar (a live clock's tick): closes the open session when it ended, or runs
    /// the scheduled events due by `now`, and takes the broker's reports. `trade(_:)` calls it every `clockTick` for
    /// a live feed; call it yourself when driving `process(_:)` from a live source.
    public func clockAdvanced(to now: UnixNanos) throws {
        if context.sessionEnds(before: now) {
            try closeSession()
        } else if let latest = context.latestStepTime, now > latest {
            try guarded { try run.fireEventsThrough(now) }
            try link.raiseFailure()
        }
        guard context.steps > 0 else { return }
        try link.applyUpdates(context)
        try guarded { try run.deliverNotifications() }
        try link.raiseFailure()
        try watchRisk()
    }

    /// After a restored connection: applies the reports missed meanwhile (`catchUp`), then compares the broker's
    /// positions with the run's books. A fill reported between the two reads shows in the account first, so a
    /// difference is read once more after a second catch-up; one that remains (positions that changed at the broker
    /// without an order report: a trade placed elsewhere, a transfer) is journaled and stops the run with
    /// `ReconciliationError` (`afterReconnect`), as an unresolvable difference stops the start.
    nonisolated(nonsending) public func reconcileAfterReconnect() async throws {
        try await catchUp()
        var differences = try await positionDifferences()
        if !differences.isEmpty {
            try await catchUp()
            differences = try await positionDifferences()
        }
        guard !differences.isEmpty else { return }
        var report = ReconciliationReport()
        report.mismatches = differences
        try journal(.reconciliation("mismatch after a reconnect, trading stopped: " + differences.joined(separator: "; "),
                                    time: context.steps > 0 ? context.time : 0))
        throw ReconciliationError(broker: broker.name, report: report, afterReconnect: true)
    }

    /// The traded symbols whose broker position differs from the run's books, in words (empty when they agree).
    nonisolated(nonsending) func positionDifferences() async throws -> [String] {
        let held = try await broker.account().positions
        var out: [String] = []
        for (k, symbol) in context.symbols.enumerated() {
            let broker = held[symbol] ?? 0, books = context.position(k)
            if !Reconciler.quantitiesAgree(broker, books) {
                out.append("\(symbol): the broker holds \(RuntimeStatus.number(broker)) but the run's books hold \(RuntimeStatus.number(books))")
            }
        }
        return out
    }

    /// Applies the broker's reports missed while disconnected (or before a restart), then tells the strategy.
    nonisolated(nonsending) public func catchUp() async throws {
        if try await link.catchUp(context) > 0 {
            try guarded { try run.deliverNotifications() }
            try link.raiseFailure()
        }
    }

    private func closeSession() throws {
        var linkError: (any Error)?
        try guarded {
            try run.closeSession { () throws(BacktestError) -> Void in
                broker.sessionClosed()
                do { try link.applyUpdates(context) } catch { linkError = error }
            }
        }
        if let linkError { throw linkError }
        try link.raiseFailure()
        sessionEnded()
    }

    /// The session summary alert: equity, the session's profit and loss, its fills.
    private var summaryEquity: Double?
    private var summaryFills = 0
    private func sessionEnded() {
        guard let notifier = link.notifier else { return }
        let equity = context.equity
        let fills = context.fillCount
        notifier.send(.sessionSummary(date: "\(context.sessionDate)", equity: equity,
                                      profitAndLoss: equity - (summaryEquity ?? context.initialCash), fills: fills - summaryFills))
        summaryEquity = equity
        summaryFills = fills
    }

    /// Past the drawdown limit: cancel every order, close every position, refuse new ones.
    private func watchRisk() throws {
        guard !halted, let why = link.risk.observe(context) else { return }
        halted = true
        status.haltReason = why
        try journal(.halt(reason: why, time: context.time))
        link.notifier?.send(.halt(reason: why, time: context.time))
        for o in context.openOrders { context.cancel(o.id) }
        for s in 0..<context.symbolCount where context.position(s) != 0 { context.closePosition(s, tag: "risk-halt") }
        try link.raiseFailure()
    }

    /// Updates and returns the status.
    public func currentStatus() -> RuntimeStatus {
        let c = context
        status.steps = c.steps
        status.time = c.latestStepTime ?? 0
        status.cash = c.cash
        status.equity = c.steps > 0 ? c.equity : c.cash
        status.positions = Dictionary(uniqueKeysWithValues: (0..<c.symbolCount).filter { c.position($0) != 0 }
            .map { (c.symbols[$0], c.position($0)) })
        status.openOrders = c.openOrders.count
        status.ordersSent = link.sentCount
        status.grossExposure = c.steps > 0 && status.equity > 0 ? c.grossPositionValue / status.equity : 0
        status.riskRejections = link.rejectedByRisk
        status.adoptedOrders = link.adopted
        status.externalOrders = link.externalOrders
        status.fills = c.fillCount
        status.initialCash = c.initialCash
        status.orders = c.openOrders.map { "\(c.symbols[$0.symbol]) \($0.side.rawValue) \($0.type.name) \($0.status.rawValue)" }
        status.refusalsByKind = link.risk.refusals
        status.duplicateReports = link.duplicatesIgnored
        return status
    }

    private func journal(_ entry: JournalEntry) throws {
        do { try link.journal?.record(entry) } catch { throw TradingError.journal("\(error)") }
    }

    private func guarded<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as BacktestError { throw TradingError.strategy(e) }
    }
}
