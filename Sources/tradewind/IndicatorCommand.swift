import ArgumentParser
import Foundation
import TradewindCore
import TradewindData
import TradewindIndicators

/// `tradewind indicator list [--json]` and `tradewind indicator NAME --data … [--param k=v]…`.
struct IndicatorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "indicator",
        abstract: "List the indicators, or compute one over market data (TA-Lib names, parameters and outputs).",
        discussion: """
            `tradewind indicator list` prints every indicator with its inputs, parameters (defaults) and outputs \
            (--json: also kinds and valid ranges). `tradewind indicator NAME --data SOURCE` prints a CSV with header \
            timestamp,<outputs in TA-Lib's order>: ISO 8601 UTC bar start times and empty cells during the lookback. \
            Parameters use TA-Lib's (Python) names: --param timeperiod=20 --param nbdevup=1.5. Session-anchored VWAP \
            starts a session on each local calendar day in --tz (default America/New_York). MAVP reads its period per \
            bar from --periods FILE.
            """
    )

    @Argument(help: "An indicator name (e.g. RSI, BBANDS, MACD) or `list`.")
    var name: String

    @Option(help: "Market data: a CSV file, a directory of CSV files, a cache directory, or sample:NAME.")
    var data: String?

    @OptionGroup var loading: LoadingOptions

    @Option(help: "Symbol to compute (default: the only or first symbol of the data).")
    var symbol: String?

    @Option(name: .customLong("param"), help: "A parameter as name=value (repeatable).")
    var params: [String] = []

    @Option(help: "Per-bar periods for MAVP: a file with one number per bar in bar order (the last field of each line; a header line is skipped).")
    var periods: String?

    @Option(help: "Output format: csv or json.")
    var format: String = "csv"

    @Flag(help: "With `list`: print JSON.")
    var json = false

    func run() throws {
        do {
            if name.lowercased() == "list" {
                print(json ? try IndicatorTable.listJSON() : IndicatorTable.listText(), terminator: "")
                return
            }
            guard format == "csv" || format == "json" else { throw ValidationError("--format must be csv or json") }
            guard let data else { throw ValidationError("--data is required (a file, directory, cache or sample:NAME)") }
            let descriptor = try IndicatorRegistry.descriptor(named: name)
            let parameters = try IndicatorTable.parameters(params, for: descriptor)
            let options = try loading.loadOptions(symbol: nil)
            let dataset = try DataSource(parsing: data).load(options, symbols: symbol.map { [$0] })
            guard let series = symbol.flatMap({ dataset[$0] }) ?? dataset.series.first else {
                throw ValidationError("no series\(symbol.map { " for symbol \($0)" } ?? "") in \(data)")
            }
            let perBar = try periods.map { path throws in
                try IndicatorTable.periods(csv: String(contentsOfFile: path, encoding: .utf8), file: path)
            }
            let inputs = try IndicatorTable.inputs(for: descriptor, series: series, zone: options.zone, periods: perBar)
            let outputs = try descriptor.compute(inputs, parameters: parameters)
            let text = format == "json"
                ? IndicatorTable.json(descriptor, times: series.time, outputs: outputs)
                : IndicatorTable.csv(descriptor, times: series.time, outputs: outputs)
            FileHandle.standardOutput.write(Data(text.utf8))
        } catch let error as ValidationError {
            throw error
        } catch {
            FileHandle.standardError.write(Data("Error: \(ErrorText.message(error, data: ErrorText.dataFlags.merging([.symbols: "--symbol"]) { a, _ in a }))\n".utf8))
            throw ExitCode.failure
        }
    }
}
