import Foundation
import TradewindCore
import TradewindData
import TradewindEngine
import TradewindReports
import TradewindStore
import TradewindStrategies

/// One run of a `BacktestRequest`: a backtest (`BacktestRun`), or a stored result's backtest re-run (its `replay`
/// request) for what the store does not keep — the report files of `/api/reports/{id}.*` and the charts of
/// `/api/history/{id}/charts`.
struct ResultReplay: Sendable {
    var result: BacktestResult
    var data: MarketDataset
    /// What the strategy's preparation changed in the settings, in words.
    var notes: [String]
    var context: BacktestReportAdapter.Context

    /// The replay request of `record`, or a 409 saying why there is none.
    static func request(of record: ResultRecord) throws -> BacktestRequest {
        guard let replay = try? JSONDecoder().decode(ResultBuilder.Replayable.self, from: Data(record.detail.utf8)).replay else {
            throw APIError(.conflict, "conflict",
                           "result \(record.summary.id) has no reproducible run (an optimisation without a feasible trial)")
        }
        return replay
    }

    /// Runs `replay` on the calling thread (callers use a `DedicatedThread`).
    static func run(_ replay: BacktestRequest, loader: MarketLoader, catalog: StrategyCatalog, threads: ThreadBudget) throws -> ResultReplay {
        let descriptor = try catalog.named(replay.strategy)
        let parameters = try descriptor.parameters(replay.params)
        let zone = try MarketLoader.zone(replay.tz)
        let data = try loader.load(replay.data, symbols: replay.symbols, zone: zone, adjust: replay.adjust, threads: threads)
        let (config, notes) = try descriptor.prepare(try replay.backtest.config(zone: zone), parameters: parameters, data: data)
        let result = try descriptor.run(parameters, data, config)
        return ResultReplay(result: result, data: data, notes: notes,
                            context: .init(strategy: descriptor.name, parameters: parameters, dataSource: replay.data,
                                           riskFree: replay.riskFree, catalog: catalog))
    }
}
