import ArgumentParser
import Foundation
import TradewindAnalytics
import TradewindCore
import TradewindData

/// `tradewind stats`: QuantStats-compatible performance metrics of any returns series.
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Performance metrics (QuantStats 0.0.86 definitions) of a returns CSV.",
        discussion: """
            FILE.csv has two columns, timestamp,return (optional header): a date (yyyy-MM-dd) or ISO 8601 \
            instant, and a simple return as a fraction (0.01 = 1 %). Empty or nan returns are missing \
            observations and are skipped, as QuantStats does. Annualisation uses --periods-per-year \
            (default 252, daily bars) or --interval (e.g. 1m = 98280 NYSE minute bars a year). \
            --risk-free is an annual rate (0.02 = 2 %). --benchmark adds alpha and beta; it must have a \
            return at every time of FILE.csv. --json prints one object with snake_case keys; every value \
            is a fraction and null means undefined or infinite.
            """
    )

    @Option(name: .long, help: "Returns CSV (timestamp,return).")
    var returns: String

    @Option(name: .long, help: "Bars per year (default 252).")
    var periodsPerYear: Double?

    @Option(name: .long, help: "Bar interval to derive periods per year on the NYSE calendar: 1m, 15m, 1h, 1d, 1w, 1mo.")
    var interval: String?

    @Option(name: .long, help: "Benchmark returns CSV (timestamp,return) for alpha and beta.")
    var benchmark: String?

    @Option(name: .long, help: "Annual risk-free rate as a fraction (default 0).")
    var riskFree: Double = 0

    @Option(name: .long, help: "Zone of timestamps without an offset, and of the monthly/yearly tables (default UTC).")
    var tz: String = "UTC"

    @Flag(name: .long, help: "Print JSON instead of a table.")
    var json = false

    func validate() throws {
        if interval != nil, periodsPerYear != nil {
            throw ValidationError("give either --periods-per-year or --interval, not both")
        }
        if let interval, BarInterval(interval) == nil {
            throw ValidationError("--interval \(interval): expected e.g. 1m, 15m, 1h, 1d, 1w, 1mo")
        }
    }

    func run() throws {
        do {
            let zone = try ZoneRules.named(tz)
            var periods = periodsPerYear ?? Annualization.daily
            if let interval, let bar = BarInterval(interval) {
                periods = Annualization.periodsPerYear(for: bar)
            }
            let table = try ReturnsCSV.load(path: returns, zone: zone)
            let series = try ReturnSeries.droppingMissing(returns: table.returns, times: table.times)
            var benchmarkReturns: [Double]?
            if let benchmark {
                let b = try ReturnsCSV.load(path: benchmark, zone: zone)
                benchmarkReturns = try series.alignedBenchmark(returns: b.returns, times: b.times)
            }
            let report = try PerformanceReport(
                series: series, benchmark: benchmarkReturns,
                options: ReportOptions(periodsPerYear: periods, riskFree: riskFree, zone: zone))
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
            } else {
                print(report.formattedTable())
            }
        } catch {
            FileHandle.standardError.write(Data("Error: \(ErrorText.message(error))\n".utf8))
            throw ExitCode.failure
        }
    }
}
