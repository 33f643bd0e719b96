import ArgumentParser
import Foundation
import TradewindCore
import TradewindData

/// `tradewind data …`: list, inspect, import and synthesise market data.
struct DataCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "List, inspect, import, synthesise and fetch market data.",
        subcommands: [DataList.self, DataInfo.self, DataImport.self, DataSynth.self, DataFetch.self, DataProviders.self]
    )
}

struct DataList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the bundled samples.")

    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let rows = SampleCatalog.all
        if json {
            let items = rows.map { s in
                ["name": "sample:" + s.name, "interval": s.interval.description, "summary": s.summary,
                 "zone": s.options.zone.identifier, "label": s.options.label?.rawValue ?? "start"]
            }
            let data = try JSONSerialization.data(withJSONObject: items, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        let width = rows.map { $0.name.count }.max()! + 7
        for s in rows {
            let name = ("sample:" + s.name).padding(toLength: width, withPad: " ", startingAt: 0)
            print("\(name)  \(s.interval.description.padding(toLength: 4, withPad: " ", startingAt: 0))  \(s.summary)")
        }
    }
}

struct DataInfo: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info", abstract: "Summarise a data file, directory, cache or sample.")

    @Argument(help: "A CSV file, a directory of CSV files, a cache directory, or sample:NAME.")
    var source: String

    @Option(help: "Only these symbols (comma-separated).") var symbol: String?
    @OptionGroup var loading: LoadingOptions
    @Flag(help: "Print JSON: an object for one symbol, an array for several.") var json = false

    func run() throws {
        let symbols = symbol.map { $0.split(separator: ",").map(String.init) }
        let options = try loading.loadOptions(symbol: symbols?.count == 1 ? symbols![0] : nil)
        let dataset: MarketDataset
        do {
            dataset = loading.adjusted(try DataSource(parsing: source).load(options, symbols: symbols))
        } catch {
            // The source is this command's argument; --symbol gives both a file's symbol and the symbols to read.
            throw CommandError(description: ErrorText.message(error, flags: [.symbol: "--symbol", .symbols: "--symbol",
                                                                             .label: "--label", .duplicates: "--duplicates"]))
        }
        let summaries = dataset.series.map { SeriesSummary($0, zone: options.zone) }
        if json {
            print(SeriesSummary.json(summaries))
        } else {
            print(summaries.map(\.text).joined(separator: "\n\n"))
        }
    }
}

struct DataImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Read CSV files, directories or samples and write a binary cache directory.",
        discussion: "The cache holds one SYMBOL.twc file per symbol; every command's --data reads it. Writes are atomic.")

    @Argument(help: "CSV files, directories or sample:NAME.") var inputs: [String]
    @Option(help: "Output cache directory.") var out: String
    @OptionGroup var loading: LoadingOptions

    func validate() throws {
        guard loading.adjust == .raw else {
            throw ValidationError("the cache keeps raw bars with their splits and dividends; pass --adjust when reading it, not when importing")
        }
    }

    func run() throws {
        let options = try loading.loadOptions()
        let summary: DataImporter.Summary
        do {
            summary = try DataImporter.importData(inputs, options: options, to: out)
        } catch {
            throw CommandError(description: ErrorText.message(error, flags: [.label: "--label", .duplicates: "--duplicates"]))
        }
        print("wrote \(summary.symbols.count) symbols, \(summary.bars) bars to \(out)")
    }
}
