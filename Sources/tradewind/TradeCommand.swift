import ArgumentParser
import Foundation
import Synchronization
import TradewindAlpaca
import TradewindCore
import TradewindData
import TradewindEngine
import TradewindLive
import TradewindReports
import TradewindStore
import TradewindStrategies

/// `tradewind trade`: run a strategy with the live runtime (paper broker; a replay feed of recorded bars).
struct TradeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trade",
        abstract: "Paper-trade a strategy with the live runtime (risk limits, journal), on a replay of recorded bars.",
        subcommands: [TradeRunCommand.self, TradeStatusCommand.self],
        defaultSubcommand: TradeRunCommand.self
    )
}

struct TradeRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Trade a catalog strategy (the default subcommand: `tradewind trade --strategy …`).",
        discussion: """
            The strategy runs unchanged from the backtest, through the risk manager (--config) and the journal \
            (--state FILE, or --database FILE|postgres://… with --journal-name) to the broker. On start the run \
            reconciles with the broker against the journal: earlier runs' positions and orders are adopted, unknown \
            broker orders adopted as external and flagged, a mismatch stops the start with a report. --broker paper fills with the engine's fill models and the cost flags below. \
            --feed replay:DATA plays recorded bars (DATA as for --data, read with --tz/--label/--adjust) at --speed \
            (max, or a factor: 60 = an hour a minute); the run ends with the data and prints the same summary as \
            `tradewind backtest` (--json: the same keys). --warmup BARS|auto: bars before the start the strategy sees \
            but does not trade on (a replay's recorded ones; Alpaca's fetched from its historical bars before \
            subscribing), as `tradewind backtest --warmup` takes them. Live money is never the default: a real broker account \
            needs --live and --confirm-live.
            """
    )

    @Option(help: "Strategy name (\(strategyCatalog.names.joined(separator: ", "))).") var strategy: String
    @Option(name: .customLong("param"), help: "Strategy parameter name=value (repeatable).") var params: [String] = []
    @Option(name: .customLong("symbol"), help: "Only this symbol (repeatable). Default: every symbol of the feed.")
    var symbols: [String] = []
    @Option(help: "Broker: paper, or alpaca (keys in APCA_API_KEY_ID/APCA_API_SECRET_KEY; the paper account unless --live).")
    var broker: String = "paper"
    @Option(help: "Feed: replay:DATA (with --broker paper), or alpaca[:iex|sip] (Alpaca's minute bars, with --broker alpaca).")
    var feed: String
    @Flag(help: "With --feed alpaca: subscribe to the symbols' trades only and build the minute bars from them by Alpaca's rules (the transformer strategy's path), instead of Alpaca's streamed bars.")
    var barsFromTrades = false
    @Option(help: "Replay speed: max, or market seconds per second (60 = an hour a minute).") var speed: String = "max"
    @Option(help: "Risk limits: a JSON file (keys max_open_positions, max_position_fraction, max_gross_exposure, daily_loss_limit, max_drawdown, trading_start_minute, trading_end_minute; or a `trading` object with them).")
    var config: String?
    @Option(help: "Journal file (JSON lines): every order intent and broker report, written before it is acted on.")
    var state: String?
    @OptionGroup var store: TradingJournalOptions
    @Option(help: "Alerts (fills, halts, errors, session summaries) to the webhook whose URL is in the environment variable TRADEWIND_WEBHOOK_URL, as discord or json.")
    var webhookFormat: String?
    @Flag(help: "Trade a real-money account (needs --confirm-live).") var live = false
    @Flag(help: "Confirms --live.") var confirmLive = false
    @OptionGroup var loading: LoadingOptions
    @OptionGroup var costs: BacktestOptions
    @OptionGroup var warmup: WarmupOption
    @Option(help: "Annual risk-free rate for Sharpe/Sortino (fraction).") var riskFree: Double = 0
    @Flag(help: "Print JSON.") var json = false
    @Option(help: "Write the trades as CSV to this file.") var trades: String?
    @Flag(help: "With --broker alpaca against `tradewind exchange serve`: before each bar, wait until every trade_updates event the exchange published has arrived, so fills are booked on the bar a backtest books them.")
    var lockstep = false
    @Option(help: "Rewrite this file with the run's status as JSON (steps, latest bar, equity, positions, orders sent) after each batch of bars.")
    var statusFile: String?

    func run() async throws {
        do {
            guard broker == "paper" || broker == "alpaca" else {
                throw ValidationError("--broker \(broker): unknown broker; available: paper, alpaca")
            }
            if live && broker == "paper" {
                throw ValidationError("--live: the paper broker trades no money; --live applies to a real broker account (with --confirm-live)")
            }
            if confirmLive && !live { throw ValidationError("--confirm-live is only meaningful with --live") }
            if lockstep && (broker != "alpaca" || live) {
                throw ValidationError("--lockstep applies to --broker alpaca against `tradewind exchange serve` (not --live)")
            }
            if live && !confirmLive { throw ValidationError("--live trades real money: add --confirm-live to confirm") }
            let spec = try FeedSpec(parsing: feed)
            if barsFromTrades, case .replay = spec { throw ValidationError("--bars-from-trades applies to --feed alpaca (a replay's bars are recorded)") }
            let replaySpeed = try ReplayFeed.Speed(parsing: speed)
            let descriptor = try strategyCatalog.named(strategy)
            let parameters = try descriptor.parameters(try ParameterOptions.overrides(params))
            let options = try loading.loadOptions()
            let data: MarketDataset
            switch (broker, spec) {
            case ("paper", .replay(let source)):
                data = loading.adjusted(try DataSource(parsing: source).load(options, symbols: symbols.isEmpty ? nil : symbols))
            case ("alpaca", .alpaca):
                guard !symbols.isEmpty else { throw ValidationError("--feed alpaca needs the symbols to trade: --symbol SPY …") }
                data = MarketDataset(Set(symbols.map { $0.uppercased() }).sorted().map { BarSeries(symbol: $0, interval: .minute) })
            default:
                throw ValidationError("--broker \(broker) with --feed \(feed): the paper broker trades on replay:DATA, alpaca on alpaca[:iex|sip]")
            }
            let (prepared, notes) = try descriptor.prepare(try costs.config(zone: options.zone), parameters: parameters,
                                                            data: data, naming: BacktestOptions.flag)
            // The warm-up: a replay's from the recorded bars before --from, Alpaca's fetched from REST at the start.
            let settings = try warmup.applied(to: prepared, strategy: descriptor, parameters: parameters, data: data)
            for note in notes { FileHandle.standardError.write(Data(("note: " + note + "\n").utf8)) }
            let limits = try config.map { path throws(RiskConfigError) in try RiskLimits.load(path: path) } ?? RiskLimits()
            let opened = try await store.open(state: state)
            let journal = CrashAfterIntentJournal.wrapping(opened.journal)
            let notifier = try webhookFormat.map { format throws -> WebhookNotifier in
                guard let kind = WebhookNotifier.Format(rawValue: format) else {
                    throw ValidationError("--webhook-format \(format): expected discord or json")
                }
                guard let text = ProcessInfo.processInfo.environment["TRADEWIND_WEBHOOK_URL"], let url = URL(string: text),
                      url.scheme == "https" || url.scheme == "http" else {
                    throw ValidationError("--webhook-format needs the webhook's http(s) URL in TRADEWIND_WEBHOOK_URL (kept out of the command line, which other users can read)")
                }
                return WebhookNotifier(url: url, format: kind)
            }
            let display = StatusDisplay(file: statusFile)
            let result: BacktestResult
            if case .alpaca(let dataFeed) = spec {
                let account = try AlpacaAccountSettings(environment: ProcessInfo.processInfo.environment, live: live)
                let feed = account.feed(symbols: data.symbols, feed: dataFeed,
                                        source: barsFromTrades ? .builtFromTrades(closeDelay: .seconds(2)) : .streamedBars)
                let broker = account.broker()
                try await broker.connect(symbols: feed.symbols)
                // Client order ids must be new at Alpaca: the run's id is its start time.
                let runtime = try TradingRuntime(symbols: feed.symbols, interval: .minute, config: settings, broker: broker,
                                                 risk: limits, journal: journal, notifier: notifier,
                                                 runID: "tw\(Int(Date().timeIntervalSince1970))") { setup in
                    try descriptor.stream(parameters, setup)
                }
                runtime.onBatch = { display.show($0) }
                if lockstep { runtime.beforeBatch = { try await broker.catchUpWithExchange() } }
                let interrupt = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
                signal(SIGINT, SIG_IGN)
                interrupt.setEventHandler { feed.stop() }
                interrupt.resume()
                FileHandle.standardError.write(Data(("trading \(descriptor.name) on \(feed.symbols.joined(separator: ", ")) with \(broker.name) on Alpaca's \(dataFeed) minute bars (Ctrl+C ends the run, Ctrl+\\ prints the state)\n").utf8))
                result = try await runtime.trade(feed)
                broker.disconnect()
            } else {
                let session = ReplaySession(data: data, config: settings, speed: replaySpeed, risk: limits, journal: journal,
                                            notifier: notifier)
                let feed = try session.feed()
                let runtime = try session.runtime(for: feed) { setup in try descriptor.stream(parameters, setup) }
                runtime.onBatch = { display.show($0) }
                FileHandle.standardError.write(Data(("trading \(descriptor.name) on \(data.symbols.joined(separator: ", ")) with the \(broker) broker, feed \(feed) at speed \(speed) (Ctrl+\\ prints the state)\n").utf8))
                result = try await runtime.trade(feed)
            }
            display.finish()
            await notifier?.flush()
            await opened.store?.close()
            let interval = data.series.first?.interval ?? .daily
            let summary = BacktestSummary(result: result, interval: interval, strategy: descriptor.name,
                                          parameters: parameters.description, riskFree: riskFree)
            if let trades { try result.tradesCSV().write(toFile: trades, atomically: true, encoding: .utf8) }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                print(String(decoding: try encoder.encode(summary), as: UTF8.self))
            } else {
                print(summary.formattedBox())
            }
        } catch let error as ValidationError {
            throw error
        } catch {
            FileHandle.standardError.write(Data("Error: \(ErrorText.message(error, data: ErrorText.dataFlags))\n".utf8))
            throw ExitCode.failure
        }
    }
}

struct TradeStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Positions, open orders, P&L, latest fills and risk halts from a trading run's journal (--state FILE or --database …).")

    @Option(help: "The journal file a `tradewind trade --state FILE` run wrote.") var state: String?
    @OptionGroup var store: TradingJournalOptions

    func run() async throws {
        do {
            let opened = try await store.open(state: state, mustExist: true)
            guard let journal = opened.journal else {
                throw ValidationError("name the journal: --state FILE or --database FILE|postgres://…")
            }
            let summary = try journal.summary()
            await opened.store?.close()
            print(summary.text)
        } catch let error as ValidationError {
            throw error
        } catch {
            FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}

/// Where a trading run's journal is: `--state FILE` (JSON lines) or the store's trading-journal area.
struct TradingJournalOptions: ParsableArguments {
    @Option(help: "A store (SQLite file, or postgres://user:password@host:port/db) whose trading-journal area keeps the journal, durably, instead of --state.")
    var database: String?
    @Option(help: "The journal's name in --database (several bots can share one database).")
    var journalName: String = "trade"

    /// The journal named by `state` or `--database` (nil when neither is given), with the store to close.
    func open(state: String?, mustExist: Bool = false) async throws -> (journal: (any TradingJournal)?, store: SQLStore?) {
        if state != nil && database != nil { throw ValidationError("--state and --database: give one journal, not both") }
        if let state {
            if mustExist && !FileManager.default.fileExists(atPath: state) {
                throw ValidationError("--state \(state): no such journal file")
            }
            return (try FileJournal(path: state), nil)
        }
        guard let database else { return (nil, nil) }
        let isURL = database.hasPrefix("postgres://") || database.hasPrefix("postgresql://")
        if mustExist && !isURL && !FileManager.default.fileExists(atPath: database) {
            throw ValidationError("--database \(database): no such database file")
        }
        let store = try await SQLStore.open(database)
        if mustExist {
            let names = try await store.tradingJournalNames()
            guard names.contains(journalName) else {
                await store.close()
                throw ValidationError("--journal-name \(journalName): no such journal in --database; "
                    + (names.isEmpty ? "it holds none" : "it holds: " + names.joined(separator: ", ")))
            }
        }
        return (StoreJournal(store: store, name: journalName), store)
    }
}

/// The live status line on a terminal's standard error (at most once a second), and the full state on `SIGQUIT`
/// (Ctrl+\\), printed at the next batch of bars.
final class StatusDisplay: @unchecked Sendable {
    private let terminal = isatty(2) != 0
    private var lastLine = ContinuousClock.now - .seconds(10)
    private let requested = SignalFlag()
    private var source: (any DispatchSourceSignal)?
    private let file: String?

    init(file: String? = nil) {
        self.file = file
        signal(SIGQUIT, SIG_IGN)
        let s = DispatchSource.makeSignalSource(signal: SIGQUIT, queue: .global())
        s.setEventHandler { [requested] in requested.value.store(true, ordering: .relaxed) }
        s.resume()
        source = s
    }

    func show(_ status: RuntimeStatus) {
        if let file { try? status.json.write(toFile: file, atomically: true, encoding: .utf8) }
        if requested.value.exchange(false, ordering: .relaxed) {
            FileHandle.standardError.write(Data(("\n" + status.fullText + "\n").utf8))
        }
        guard terminal, ContinuousClock.now - lastLine >= .seconds(1) else { return }
        lastLine = .now
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + status.line).utf8))
    }

    func finish() {
        source?.cancel()
        if terminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}

/// A flag set from a signal handler's queue and read by the run.
final class SignalFlag: Sendable {
    let value = Atomic<Bool>(false)
}
