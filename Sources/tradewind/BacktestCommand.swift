import ArgumentParser
import Foundation
import TradewindCore
import TradewindData
import TradewindEngine
import TradewindModels
import TradewindOptimizer
import TradewindReports
import TradewindStrategies

/// `tradewind backtest`: run a catalog strategy over history and print its summary.
struct BacktestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Run a strategy over historical bars (event-driven engine).",
        discussion: """
            Strategies and their parameters: `tradewind strategy list` / `tradewind strategy show NAME`.
            Market orders fill at the next bar's open (--fill next-open, default) or at the signal bar's close \
            (--fill close). When a bar touches two orders (a bracket's take-profit and stop-loss), --intrabar worst \
            (default) assumes the adverse extreme came first; --intrabar path assumes O→H→L→C when close ≥ open, \
            else O→L→H→C. Cash account, fractional quantities unless --whole-shares. --json prints one object with \
            snake_case keys; every rate is a fraction and max_drawdown is positive.
            ML strategies (ml-signal, ml-topk): the report (--report, --pdf) adds a model section, the strategy's \
            out-of-sample equity against equal-weight buy-and-hold and a per-fold table. With --walk-forward, the \
            strategy is walked forward over the data's dates with the model retrained on each fold's in-sample bars \
            (--train-*), as `tradewind ml walk-forward` does; without it, the section keeps the given model's bars \
            after its training range.
            """
    )

    @OptionGroup var dataOptions: DataOptions

    @Option(name: .customLong("symbol"), help: "Only this symbol (repeatable). Default: every symbol of --data.")
    var symbols: [String] = []

    @Option(help: "Strategy name (\(strategyCatalog.names.joined(separator: ", "))).")
    var strategy: String

    @Option(name: .customLong("param"), help: "Strategy parameter name=value (repeatable).")
    var params: [String] = []

    @OptionGroup var costs: BacktestOptions
    @OptionGroup var warmup: WarmupOption
    @Option(help: "Annual risk-free rate for Sharpe/Sortino (fraction).") var riskFree: Double = 0
    @Flag(help: "Print JSON.") var json = false
    @Option(help: "Write the trades as CSV to this file.") var trades: String?
    @Option(help: "Write the equity curve as CSV to this file.") var equity: String?
    @Option(help: "Write the order log as CSV to this file.") var orders: String?
    @Option(help: "Write a self-contained HTML report to this file.") var report: String?
    @Option(help: "Write the report's text summary box to this file.") var summary: String?
    @Option(help: "Write the report as PDF (headless Chromium) to this file.") var pdf: String?
    @Option(help: "Benchmark symbol of the report (buy and hold; default: the first symbol).") var benchmark: String?
    @Option(help: "ML strategies' report: walk-forward folds over the data's dates, each retraining the model on its in-sample bars, e.g. folds=3 or folds=5,train=252,test=63[,mode=anchored][,gap=N].")
    var walkForward: String?
    @OptionGroup(title: "ML strategies' report (model retrained on each walk-forward fold)") var training: FoldTrainingOptions

    func run() throws {
        do {
            let descriptor = try strategyCatalog.named(strategy)
            let overrides = try ParameterOptions.overrides(params)
            let parameters = try descriptor.parameters(overrides)
            let spec = try walkForwardSpec(strategy: descriptor.name)

            let load = try dataOptions.loading.loadOptions(symbol: symbols.count == 1 ? symbols[0] : nil)
            let zone = load.zone
            let data = try dataOptions.load(symbols: symbols.isEmpty ? nil : symbols)
            // What the strategy needs (sessions, flattening) is applied and said; what data lacks is an error.
            let (prepared, notes) = try descriptor.prepare(try costs.config(zone: zone), parameters: parameters, data: data,
                                                            naming: BacktestOptions.flag)
            var config = try warmup.applied(to: prepared, strategy: descriptor, parameters: parameters, data: data)
            // The order log and fills are read only by the order CSV and the report; a second core maps fresh pages.
            config.recordsOrderLog = orders != nil || report != nil || pdf != nil || self.summary != nil
            config.threads = .all
            for note in notes { FileHandle.standardError.write(Data(("note: " + note + "\n").utf8)) }
            let result = try descriptor.run(parameters, data, config)
            let interval = data.series.first?.interval ?? .daily
            let summary = BacktestSummary(result: result, interval: interval, strategy: descriptor.name,
                                          parameters: parameters.description, riskFree: riskFree)
            if let trades { try result.tradesCSV().write(toFile: trades, atomically: true, encoding: .utf8) }
            if let equity { try result.equityCSV().write(toFile: equity, atomically: true, encoding: .utf8) }
            if let orders { try result.ordersCSV().write(toFile: orders, atomically: true, encoding: .utf8) }
            var context = BacktestReportAdapter.Context(strategy: descriptor.name, parameters: parameters, dataSource: dataOptions.data,
                                                        benchmark: benchmark, riskFree: riskFree, catalog: strategyCatalog)
            if report != nil || pdf != nil {
                let retraining = try training.retraining()
                defer { training.removeTemporaryModels(of: retraining) }
                context.modelSection = try ModelReportSection.backtest(strategy: descriptor.name, parameters: overrides, data: data,
                                                                       result: result, config: prepared, walkForward: spec,
                                                                       retraining: retraining, catalog: strategyCatalog)
            }
            try BacktestReportAdapter.export(result: result, data: data, report: report, summary: self.summary, pdf: pdf, context: context)
            if json {
                FileHandle.standardOutput.write(Data((summary.json + "\n").utf8))
            } else {
                print(summary.formattedBox())
            }
            // The run's records and the bars go with the process: it ends now.
            ProcessLifetime.keepUntilExit((result, data))
        } catch let error as ValidationError {
            throw error
        } catch {
            FileHandle.standardError.write(Data("Error: \(ErrorText.message(error, data: ErrorText.dataFlags.merging([.symbols: "--symbol"]) { a, _ in a }))\n".utf8))
            throw ExitCode.failure
        }
    }

    /// The `--walk-forward` folds; refused for a strategy without a model section, or without a report to draw it in.
    func walkForwardSpec(strategy: String) throws -> WalkForwardSpec? {
        guard let walkForward else { return nil }
        guard ModelReportSection.applies(to: strategy) else {
            throw ValidationError("--walk-forward: only the ML strategies' report has a model section (ml-signal, ml-topk), not \(strategy)")
        }
        guard report != nil || pdf != nil else { throw ValidationError("--walk-forward: it draws the report's model section; give --report or --pdf") }
        do { return try WalkForwardSpec.parse(walkForward) } catch { throw ValidationError("--walk-forward \(walkForward): \(error.description)") }
    }
}
