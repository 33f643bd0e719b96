import ArgumentParser
import Foundation
import TradewindCore
import TradewindData
import TradewindEngine
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

    func run() throws {
        do {
            let descriptor = try strategyCatalog.named(strategy)
            let parameters = try descriptor.parameters(try ParameterOptions.overrides(params))

            let load = try dataOptions.loading.loadOptions(symbol: symbols.count == 1 ? symbols[0] : nil)
            let zone = load.zone
            let data = try dataOptions.load(symbols: symbols.isEmpty ? nil : symbols)
            // What the strategy needs (sessions, flattening) is applied and said; what data lacks is an error.
            let (prepared, notes) = try descriptor.prepare(try costs.config(zone: zone), parameters: parameters, data: data,
                                                            naming: BacktestOptions.flag)
            let config = try warmup.applied(to: prepared, strategy: descriptor, parameters: parameters, data: data)
            for note in notes { FileHandle.standardError.write(Data(("note: " + note + "\n").utf8)) }
            let result = try descriptor.run(parameters, data, config)
            let interval = data.series.first?.interval ?? .daily
            let summary = BacktestSummary(result: result, interval: interval, strategy: descriptor.name,
                                          parameters: parameters.description, riskFree: riskFree)
            if let trades { try result.tradesCSV().write(toFile: trades, atomically: true, encoding: .utf8) }
            if let equity { try result.equityCSV().write(toFile: equity, atomically: true, encoding: .utf8) }
            if let orders { try result.ordersCSV().write(toFile: orders, atomically: true, encoding: .utf8) }
            try BacktestReportAdapter.export(result: result, data: data, report: report, summary: self.summary, pdf: pdf,
                                             context: .init(strategy: descriptor.name, parameters: parameters,
                                                            dataSource: dataOptions.data, benchmark: benchmark, riskFree: riskFree,
                                                            catalog: strategyCatalog))
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
            FileHandle.standardError.write(Data("Error: \(ErrorText.message(error, data: ErrorText.dataFlags.merging([.symbols: "--symbol"]) { a, _ in a }))\n".utf8))
            throw ExitCode.failure
        }
    }
}
