import Foundation
import TradewindCharts
import TradewindCore
import TradewindOptimizer

/// Fills an `OptimizationReportInput` from a job's outcome (`tradewind optimize --report`).
///
/// The report's main symbol is the one whose best objective ranks first (the only one for a single-symbol
/// job): its trials (recorded with `SearchSettings.recordTrials`), best parameters and figures, walk-forward
/// windows and stitched out-of-sample equity, and overfitting figures. Every symbol gets a row of the
/// per-symbol table. Symbols taken from a resume file have no recorded trials.
public enum OptimizationFigures {
    public static func input(outcome: JobOutcome, strategy: String, method: String, objective: Objective, dataSource: String,
                             costs: String, period: ReportPeriod, heatmap: (String, String)? = nil) -> OptimizationReportInput? {
        guard let lead = lead(outcome: outcome, objective: objective), let best = lead.best else { return nil }
        let pct = ValueFormat.percent(decimals: 2), num = ValueFormat.number(decimals: 3), int = ValueFormat.number(decimals: 0)
        func metric(_ key: String, _ label: String, _ v: Double?, _ f: ValueFormat) -> ReportMetric {
            ReportMetric(key: key, label: label, value: v ?? .nan, format: f)
        }
        func parameters(_ p: ParameterAssignment, only names: [String]? = nil) -> [ReportParameter] {
            p.items.filter { names?.contains($0.name) ?? true }.map { ReportParameter(name: $0.name, value: value($0.value)) }
        }
        let s = best.summary
        let searched = lead.searchedParameters.isEmpty ? nil : lead.searchedParameters
        let bestResult = BestResult(parameters: parameters(best.params, only: searched), objective: best.objective ?? .nan, metrics: [
            metric("total_return", "Total return", s.totalReturn, pct), metric("cagr", "CAGR", s.cagr, pct),
            metric("volatility", "Volatility", s.volatility, pct), metric("sharpe", "Sharpe", s.sharpe, num),
            metric("sortino", "Sortino", s.sortino, num), metric("max_drawdown", "Max drawdown", s.maxDrawdown, pct),
            metric("trades", "Trades", Double(s.trades), int), metric("win_rate", "Win rate", s.winRate, pct),
            metric("profit_factor", "Profit factor", s.profitFactor, num), metric("exposure", "Exposure", s.exposure, pct),
        ])
        let rows = lead.trials.map { t in
            TrialRow(number: t.number, parameters: t.values.map { value($0.description) }, objective: t.objective)
        }
        var input = OptimizationReportInput(
            title: "\(strategy) optimization (\(method), \(objective))", strategy: strategy, method: method,
            symbols: outcome.symbols.map(\.symbol), period: period, dataSource: dataSource, costs: costs,
            objective: ObjectiveInfo(name: objective.metric.rawValue, higherIsBetter: objective.direction == .maximize,
                                     format: objective.metric == .trades ? int : num),
            parameterNames: lead.searchedParameters, best: bestResult, trials: rows, heatmapAxes: heatmap,
            showTrialOrder: method != "grid")
        if let v = lead.validation {
            input.walkForward = v.folds.map { f in
                WalkForwardWindow(index: f.index, inSampleStart: nanos(f.trainStart), inSampleEnd: nanos(f.trainEnd),
                                  outOfSampleStart: nanos(f.testStart), outOfSampleEnd: nanos(f.testEnd),
                                  parameters: parameters(f.params, only: searched),
                                  inSampleObjective: f.inSample.objective ?? .nan, outOfSampleObjective: f.outOfSample.objective ?? .nan)
            }
            // Figures resumed from a job file are input: a file whose lists disagree gets no stitched chart
            // (`JobFile.load` refuses such files; this keeps the adapter safe for any caller).
            if v.stitchedTimes.count == v.stitchedEquity.count {
                input.stitchedEquity = TimeSeries(times: v.stitchedTimes.map(nanos), values: v.stitchedEquity)
            }
        }
        if let o = lead.overfitting {
            input.overfitting = [
                metric("trials", "Trials", Double(o.trials), int),
                metric("probabilistic_sharpe", "Probabilistic Sharpe ratio", o.probabilisticSharpe, pct),
                metric("deflated_sharpe", "Deflated Sharpe ratio", o.deflatedSharpe, pct),
                metric("expected_max_sharpe", "Expected max Sharpe of unskilled trials (ann.)", o.expectedMaxSharpe, num),
                metric("robustness", "Robustness (neighbourhood)", o.robustness, num),
            ]
            if let v = lead.validation {
                input.overfitting.append(metric("in_sample_objective", "In-sample objective (mean)", v.inSample.objective, num))
                input.overfitting.append(metric("out_of_sample_objective", "Out-of-sample objective (stitched)", v.outOfSample.objective, num))
            }
        }
        if outcome.symbols.count > 1 {
            input.symbolRows = outcome.symbols.map { r in
                SymbolResultRow(symbol: r.symbol, parameters: r.best.map { parameters($0.params, only: searched) } ?? [],
                                objective: r.best?.objective ?? .nan, metrics: [
                                    metric("total_return", "Return", r.best?.summary.totalReturn, pct),
                                    metric("max_drawdown", "Max drawdown", r.best?.summary.maxDrawdown, pct),
                                    metric("trades", "Trades", r.best.map { Double($0.summary.trades) }, int),
                                    metric("oos_return", "OOS return", r.validation?.outOfSample.totalReturn, pct),
                                    metric("oos_sharpe", "OOS Sharpe", r.validation?.outOfSample.sharpe, num),
                                ])
            }
        }
        if !outcome.resumed.isEmpty { input.notes.append("Resumed from a job file: \(outcome.resumed.joined(separator: ", ")).") }
        if outcome.interrupted { input.notes.append("The job was interrupted; only finished symbols are shown.") }
        return input
    }

    /// The report's main symbol: the one whose best objective ranks first (nil for a job without symbols).
    public static func lead(outcome: JobOutcome, objective: Objective) -> SymbolOptimization? {
        outcome.symbols.min { objective.direction.ranksBefore($0.best?.objective ?? .nan, 0, $1.best?.objective ?? .nan, 0) }
    }

    static func value(_ text: String) -> ReportParameterValue {
        if let x = Double(text), x.isFinite { return .number(x) }
        return .text(text)
    }

    /// The instant of an ISO 8601 text; 0 when it is not one or lies outside `UnixNanos` (years 1678 to 2262).
    static func nanos(_ iso: String) -> UnixNanos {
        let f = ISO8601DateFormatter()
        guard let d = f.date(from: iso), let t = Int64(exactly: (d.timeIntervalSince1970 * 1e9).rounded()) else { return 0 }
        return t
    }
}
