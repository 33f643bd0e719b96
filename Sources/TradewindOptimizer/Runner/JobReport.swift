import Foundation
import TradewindEngine

/// Text and JSON renderings of a job's outcome (what `tradewind optimize` prints).
public enum JobReport {
    struct JSONOutput: Encodable {
        var method: String
        var objective: String
        var evaluations: Int
        var validationEvaluations: Int?
        var elapsedSeconds: Double
        var evaluationsPerSecond: Double?
        var interrupted: Bool
        var symbol: String?
        var best: BestTrial?
        var top: [TopEntry]
        var overfitting: OverfittingFigures?
        var validation: ValidationFigures?
        var autoBounds: [String: String]?
        var evaluator: String?
        var engineReason: String?
        var symbols: [SymbolOptimization]?

        enum CodingKeys: String, CodingKey {
            case method, objective, evaluations, interrupted, symbol, best, top, overfitting, validation, symbols, evaluator
            case engineReason = "engine_reason"
            case autoBounds = "auto_bounds"
            case elapsedSeconds = "elapsed_seconds", evaluationsPerSecond = "evaluations_per_second"
            case validationEvaluations = "validation_evaluations"
        }
    }

    /// One JSON object: `method`, `objective`, `evaluations` (parameter sets × symbols evaluated in this run),
    /// `validation_evaluations` (with walk-forward: the folds' own re-optimisations), `elapsed_seconds`,
    /// `evaluations_per_second` (both kinds of evaluation over the elapsed time), `interrupted`, then for the best symbol (the only one, or
    /// the one whose best objective ranks first) `symbol`, `best` (`params`, `objective`, `trial` and the
    /// backtest metrics keys), `top`, `overfitting`, `validation`, `evaluator` (`kernel` or `engine`) and `engine_reason`
    /// (why no kernel applied; also per symbol as `path` and `engine_reason`); with several symbols, `symbols` holds
    /// every symbol's full result. `auto_bounds` gives the ranges `--auto-bounds` derived.
    public static func json(_ outcome: JobOutcome, method: SearchMethodKind, objective: Objective) throws -> String {
        let ranked = outcome.symbols.sorted {
            objective.direction.ranksBefore($0.best?.objective ?? .nan, 0, $1.best?.objective ?? .nan, 0)
        }
        let lead = ranked.first
        let listed = outcome.symbols.count > 1 ? outcome.symbols : []
        // The symbols' objective_by_trial arrays go straight into the bytes (`ObjectiveByTrialJSON`).
        let bytes = try ObjectiveByTrialJSON.encode(encoder, symbols: listed) { symbols in
            JSONOutput(method: method.rawValue, objective: objective.description, evaluations: outcome.evaluations,
                       validationEvaluations: outcome.validationEvaluations > 0 ? outcome.validationEvaluations : nil,
                       elapsedSeconds: outcome.elapsedSeconds, evaluationsPerSecond: outcome.evaluationsPerSecond,
                       interrupted: outcome.interrupted, symbol: lead?.symbol, best: lead?.best, top: lead?.top ?? [],
                       overfitting: lead?.overfitting, validation: lead?.validation, autoBounds: lead?.autoBounds,
                       evaluator: lead?.path, engineReason: lead?.engineReason, symbols: symbols.isEmpty ? nil : symbols)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The encoder of `json`: sorted keys, non-finite numbers as the strings `inf`, `-inf` and `nan`.
    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    /// One line: evaluations (and walk-forward re-optimisations), elapsed time and evaluations per second.
    public static func throughput(_ outcome: JobOutcome) -> String {
        let validation = outcome.validationEvaluations > 0 ? " + \(outcome.validationEvaluations) in walk-forward folds" : ""
        return "\(outcome.evaluations) evaluations\(validation) in " + String(format: "%.2f s (%.0f per second)",
                                                                           outcome.elapsedSeconds, outcome.evaluationsPerSecond ?? 0)
    }

    /// The per-symbol table: symbol, best parameters (the searched ones), objective, return, max drawdown, trades, and the
    /// out-of-sample return and Sharpe when validation ran.
    public static func table(_ outcome: JobOutcome, objective: Objective) -> String {
        func pct(_ v: Double?) -> String { v.map { String(format: "%.2f%%", $0 * 100) } ?? "-" }
        func num(_ v: Double?) -> String { v.map { String(format: "%.4f", $0) } ?? "-" }
        let hasOOS = outcome.symbols.contains { $0.validation != nil }
        var rows: [[String]] = [["symbol", "best parameters", objective.description, "return", "max dd", "trades"]
            + (hasOOS ? ["oos return", "oos sharpe"] : []) + ["evals"]]
        for s in outcome.symbols {
            let shown = s.best.map { b in
                ParameterAssignment(b.params.items.filter { s.searchedParameters.isEmpty || s.searchedParameters.contains($0.name) })
            }
            let searched = shown?.text ?? "(no feasible trial)"
            var r = [s.symbol, searched, num(s.best?.objective), pct(s.best?.summary.totalReturn),
                     pct(s.best?.summary.maxDrawdown), s.best.map { String($0.summary.trades) } ?? "-"]
            if hasOOS { r += [pct(s.validation?.outOfSample.totalReturn), num(s.validation?.outOfSample.sharpe)] }
            r.append(String(s.evaluations))
            rows.append(r)
        }
        let widths = rows[0].indices.map { c in rows.map { $0[c].count }.max() ?? 0 }
        var lines = rows.map { r in
            r.enumerated().map { $1 + String(repeating: " ", count: widths[$0] - $1.count) }.joined(separator: "  ")
        }
        lines.insert(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "), at: 1)
        for s in outcome.symbols {
            if let o = s.overfitting {
                lines.append("\(s.symbol): \(o.trials) trials, PSR \(num(o.probabilisticSharpe)), DSR \(num(o.deflatedSharpe)), "
                             + "robustness \(num(o.robustness)) (\(o.neighbours) neighbours)")
            }
        }
        let engine = outcome.symbols.filter { $0.path != "kernel" }
        if engine.isEmpty {
            if !outcome.symbols.isEmpty { lines.append("evaluator: kernel") }
        } else {
            let reasons = Dictionary(grouping: engine, by: { $0.engineReason ?? "unknown" })
            for (why, group) in reasons.sorted(by: { $0.key < $1.key }) {
                let who = group.count == outcome.symbols.count ? "" : " (" + group.map(\.symbol).joined(separator: " ") + ")"
                lines.append("evaluator: engine\(who): \(why)")
            }
        }
        if outcome.interrupted { lines.append("interrupted: \(outcome.symbols.count) symbol(s) finished") }
        return lines.joined(separator: "\n")
    }
}
