import Foundation
import TradewindCore
import TradewindData
import TradewindEngine
import TradewindStore
import TradewindStrategies

/// One closed or open trade as responses and stored results give it.
struct TradeLogRow: Codable, Sendable, Equatable {
    var symbol: String
    var side: String
    var entryTime: String
    var exitTime: String
    var entryPrice: Double
    var exitPrice: Double
    var quantity: Double
    var netPnL: Double
    var returnFraction: Double
    var barsHeld: Int
    var open: Bool

    enum CodingKeys: String, CodingKey {
        case symbol, side, quantity, open
        case entryTime = "entry_time", exitTime = "exit_time", entryPrice = "entry_price", exitPrice = "exit_price"
        case netPnL = "net_pnl", returnFraction = "return", barsHeld = "bars_held"
    }

    init(_ t: Trade, times: Timestamps) {
        symbol = t.symbol
        side = t.side == .buy ? "long" : "short"
        entryTime = times.string(t.entryTime)
        exitTime = times.string(t.exitTime)
        entryPrice = t.entryPrice
        exitPrice = t.exitPrice
        quantity = t.quantity
        netPnL = t.netPnL
        returnFraction = t.returnFraction.isFinite ? t.returnFraction : 0
        barsHeld = t.barsHeld
        open = t.isOpen
    }
}

/// A point of an equity curve; its time is written as the server's `Timestamps` give it (`BacktestJSON.equity`).
struct EquityPoint: Sendable, Equatable {
    var time: UnixNanos
    var equity: Double
}

/// What one backtest produced, ready for a response and for the store.
struct BacktestOutcome: Sendable {
    var summary: BacktestSummary
    var trades: [TradeLogRow]
    var equity: [EquityPoint]
    var notes: [String]
    var marketCondition: String
    var startedAt: UnixNanos
    var endedAt: UnixNanos
    /// The best closed trade's return (nil without closed trades).
    var maxGain: Double? {
        trades.filter { !$0.open }.map(\.returnFraction).max()
    }

    var metrics: ResultMetrics {
        ResultMetrics(sharpe: summary.sharpe, totalReturn: summary.totalReturn, maxGain: maxGain, winRate: summary.winRate,
                      maxDrawdown: summary.maxDrawdown, trades: summary.trades)
    }
}

/// Runs backtests for the API: checks the request (the `backtest` command's checks), loads the data and runs the
/// strategy on a dedicated thread, never on the event loop.
struct BacktestRun: Sendable {
    let loader: MarketLoader
    let times: Timestamps
    let catalog: StrategyCatalog

    /// Checks what can be checked before reading data: strategy, parameters, zone, settings, data source.
    func check(_ request: BacktestRequest) throws {
        let descriptor = try catalog.named(request.strategy)
        _ = try descriptor.parameters(request.params)
        _ = try request.backtest.config(zone: try MarketLoader.zone(request.tz))
        try loader.check(request.data)
    }

    /// Runs `request` and makes its response parts and store records, all on a dedicated thread (the JSON of an
    /// equity curve and a trade log is CPU work too, kept off the event loop). A job's backtest runs this way, on a
    /// thread of its own within the job's budget.
    func run(_ request: BacktestRequest, threads: ThreadBudget) async throws -> StorableBacktest {
        try check(request)
        let loader = self.loader, times = self.times, catalog = self.catalog
        return try await DedicatedThread.run(name: "tw-backtest") { () throws -> StorableBacktest in
            try Self.storable(request, loader: loader, times: times, catalog: catalog, threads: threads)
        }
    }

    /// As `run(_:threads:)`, on one of `pool`'s long-lived threads (`POST /api/backtest`): no thread started per
    /// request; a full queue is a 503 asking the client to retry.
    func run(_ request: BacktestRequest, threads: ThreadBudget, on pool: BacktestThreads) async throws -> StorableBacktest {
        try check(request)
        let loader = self.loader, times = self.times, catalog = self.catalog
        do {
            return try await pool.run { () throws -> StorableBacktest in
                try Self.storable(request, loader: loader, times: times, catalog: catalog, threads: threads)
            }
        } catch let full as BacktestThreads.Full {
            throw APIError(.serviceUnavailable, "busy", full.description)
        }
    }

    /// The outcome of `request`, its encoded parts and its store records, computed on the calling thread.
    static func storable(_ request: BacktestRequest, loader: MarketLoader, times: Timestamps, catalog: StrategyCatalog,
                         threads: ThreadBudget) throws -> StorableBacktest {
        let outcome = try outcome(request, loader: loader, times: times, catalog: catalog, threads: threads)
        let encoded = try ResultBuilder.EncodedBacktest(outcome, times: times)
        return StorableBacktest(outcome: outcome, encoded: encoded,
                                result: try ResultBuilder.backtest(outcome, request: request, encoded: encoded),
                                session: ResultBuilder.session(outcome, strategy: request.strategy, encoded: encoded))
    }

    /// Loads the data and runs the strategy on the calling thread.
    static func outcome(_ request: BacktestRequest, loader: MarketLoader, times: Timestamps, catalog: StrategyCatalog,
                        threads: ThreadBudget) throws -> BacktestOutcome {
        let run = try ResultReplay.run(request, loader: loader, catalog: catalog, threads: threads)
        let (result, data, notes) = (run.result, run.data, run.notes)
        let interval = data.series.first?.interval ?? .daily
        let summary = BacktestSummary(result: result, interval: interval, strategy: run.context.strategy,
                                      parameters: run.context.parameters.description, riskFree: request.riskFree)
        let trades = result.trades.map { TradeLogRow($0, times: times) }
        let e = result.equity
        var equity: [EquityPoint] = []
        if request.equityPoints > 0, !e.time.isEmpty {
            let n = e.time.count
            let step = max(1, (n + request.equityPoints - 1) / request.equityPoints)
            var i = 0
            while i < n {
                equity.append(EquityPoint(time: e.time[i], equity: e.equity[i]))
                i += step
            }
            if (n - 1) % step != 0 { equity.append(EquityPoint(time: e.time[n - 1], equity: e.equity[n - 1])) }
        }
        return BacktestOutcome(summary: summary, trades: trades, equity: equity, notes: notes,
                               marketCondition: MarketCondition.classify(data.series.first),
                               startedAt: e.time.first ?? 0, endedAt: e.time.last ?? 0)
    }
}

/// A backtest ready to answer and to store: its outcome, its encoded parts, and its result and session records.
struct StorableBacktest: Sendable {
    var outcome: BacktestOutcome
    var encoded: ResultBuilder.EncodedBacktest
    var result: NewResult
    var session: NewSession
}

/// The market condition a run met, from its first symbol's buy-and-hold over the run: annualised return above
/// +10 % is `bull`, below −10 % `bear`, else `sideways` (`unknown` without two bars).
enum MarketCondition {
    static func classify(_ series: BarSeries?) -> String {
        guard let s = series, s.count >= 2, let first = s.close.first, let last = s.close.last, first > 0, last > 0 else {
            return "unknown"
        }
        let years = Double(s.time[s.count - 1] - s.time[0]) / (365.25 * 86_400e9)
        guard years > 0 else { return "unknown" }
        let annual = pow(last / first, 1 / max(years, 1.0 / 52)) - 1
        return annual > 0.10 ? "bull" : annual < -0.10 ? "bear" : "sideways"
    }
}
