import Foundation
import TradewindCore
import TradewindEngine
import TradewindOptimizer
import TradewindStore

/// Builds the store's records from the libraries' outcomes.
enum ResultBuilder {
    /// The detail JSON of a backtest result: the `backtest --json` summary, notes and the equity curve.
    /// A backtest's parts, each encoded once and spliced into the stored detail, the session and `POST /api/backtest`'s
    /// response (encoding the equity curve twice and the summary three times was half of that route's CPU time).
    struct EncodedBacktest: Sendable {
        let summary: String
        let notes: String
        let equity: String
        let trades: String

        init(_ outcome: BacktestOutcome, times: Timestamps) throws {
            summary = outcome.summary.json
            notes = try JSON.string(outcome.notes)
            equity = BacktestJSON.equity(outcome.equity, times: times)
            trades = BacktestJSON.trades(outcome.trades)
        }

        /// The stored detail: `{equity, notes, replay, summary}`; `replay` is the request that reproduces the run
        /// (reports re-run it).
        func detail(replay: BacktestRequest) throws -> String {
            #"{"equity":"# + equity + #","notes":"# + notes + #","replay":"# + (try JSON.string(replay))
                + #","summary":"# + summary + "}"
        }

        /// `POST /api/backtest`'s body: `{equity, market_condition, notes, summary, trades}`.
        func response(marketCondition: String) -> String {
            #"{"equity":"# + equity + #","market_condition":"# + JSONString.quoted(marketCondition) + #","notes":"# + notes
                + #","summary":"# + summary + #","trades":"# + trades + "}"
        }
    }

    /// The detail JSON of an optimisation result.
    struct OptimizationDetail: Encodable {
        var optimization: SymbolOptimization
        /// A backtest of the best point on the symbol (reports re-run it).
        var replay: BacktestRequest?
    }

    /// The part of any result's detail that reports read.
    struct Replayable: Decodable {
        var replay: BacktestRequest?
    }

    static func backtest(_ outcome: BacktestOutcome, request: BacktestRequest, encoded: EncodedBacktest) throws -> NewResult {
        NewResult(kind: .backtest, symbol: outcome.summary.symbols.joined(separator: ","), strategy: request.strategy,
                  parameters: request.params.sorted { $0.key < $1.key }.map { ResultParameter(name: $0.key, value: $0.value) },
                  metrics: outcome.metrics, detail: try encoded.detail(replay: request), trades: encoded.trades)
    }

    static func session(_ outcome: BacktestOutcome, strategy: String, encoded: EncodedBacktest) -> NewSession {
        NewSession(mode: "backtest", strategy: strategy, marketCondition: outcome.marketCondition,
                   metrics: encoded.summary, startedAt: outcome.startedAt, endedAt: outcome.endedAt)
    }

    /// The detail JSON of an optimisation result: the symbol's full optimisation figures (best, top, overfitting,
    /// validation) as `optimize --json` gives them. Built on a thread of its own (`tw-result`): the best point's engine
    /// run and the JSON encoding are a job's work, and run at the job's priority (`ThreadPriority`), not on Swift's
    /// cooperative pool beside the event loops.
    static func optimization(_ s: SymbolOptimization, series: BarSeries, job: OptimizationJob, request: OptimizationRequest,
                             tz: String?, times: Timestamps) async throws -> NewResult {
        try await DedicatedThread.run(name: "tw-result") { () throws -> NewResult in
            try optimizationResult(s, series: series, job: job, request: request, tz: tz, times: times)
        }
    }

    /// `optimization`'s work, on the calling thread.
    static func optimizationResult(_ s: SymbolOptimization, series: BarSeries, job: OptimizationJob, request: OptimizationRequest,
                                   tz: String?, times: Timestamps) throws -> NewResult {
        let params = s.best?.params.items.map { ResultParameter(name: $0.name, value: $0.value) } ?? []
        // The best point's trade log: one engine run on the symbol's bars with the job's settings.
        var trades: [TradeLogRow] = []
        if let best = s.best {
            let overrides = Dictionary(best.params.items.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
            let parameters = try job.strategy.parameters(overrides)
            let result = try job.strategy.run(parameters, job.dataset(series), job.config)
            trades = result.trades.map { TradeLogRow($0, times: times) }
        }
        let summary = s.best?.summary
        let maxGain = trades.filter { !$0.open }.map(\.returnFraction).max()
        var stored = s
        stored.objectiveByTrial = []
        let replay = s.best.map { best in
            BacktestRequest(strategy: request.strategy, data: request.data, symbols: [s.symbol] + job.companions.map(\.symbol),
                            params: Dictionary(best.params.items.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a }),
                            backtest: request.backtest, tz: tz, adjust: request.adjust)
        }
        return NewResult(kind: .optimize, symbol: s.symbol, strategy: request.strategy, parameters: params,
                         objectiveName: (request.minimize && !request.objective.hasPrefix("-") ? "-" : "") + request.objective,
                         metrics: ResultMetrics(sharpe: summary?.sharpe, totalReturn: summary?.totalReturn, maxGain: maxGain,
                                                winRate: summary?.winRate, maxDrawdown: summary?.maxDrawdown,
                                                trades: summary?.trades ?? 0, objective: s.best?.objective),
                         detail: try JSON.string(OptimizationDetail(optimization: stored, replay: replay)),
                         trades: try JSON.string(trades))
    }
}
