import Foundation
import TradewindCore

/// One bundled sample dataset, named on the command line as `sample:NAME`.
public struct SampleDataset: Sendable, Equatable {
    /// The name after `sample:`.
    public let name: String
    /// One line on what it is.
    public let summary: String
    /// Folder under the samples root.
    public let folder: String
    /// The bar interval of its files.
    public let interval: BarInterval
    /// How its files must be read (zone of naive timestamps, bar label, symbol).
    public let options: LoadOptions
    /// Licence file in the folder.
    public let licenceFile: String
    /// Which files belong to the sample, and the symbol of each (nil = not part of it).
    let symbolOfFile: @Sendable (String) -> String?

    public static func == (a: SampleDataset, b: SampleDataset) -> Bool { a.name == b.name }

    /// The sample's files grouped by symbol, sorted by symbol then file name.
    public func files() throws(DataError) -> [(symbol: String, paths: [String])] {
        let dir = try SampleCatalog.rootDirectory() + "/" + folder
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: dir).sorted() } catch {
            throw DataError(.unreadable, file: dir, "the bundled sample folder is missing; reinstall Tradewind or set TRADEWIND_SAMPLES")
        }
        var groups: [String: [String]] = [:]
        for n in names {
            if let s = symbolOfFile(n) { groups[s, default: []].append(dir + "/" + n) }
        }
        return groups.keys.sorted().map { (symbol: $0, paths: groups[$0]!) }
    }
}

/// The bundled samples (real market data with their licences; see Samples/README.md).
public enum SampleCatalog {
    /// Every bundled sample, in the order `tradewind data list` shows them.
    public static let all: [SampleDataset] = [
        SampleDataset(
            name: "spy-daily", summary: "SPY daily bars 2007–2013 (Yahoo! Finance via pyalgotrade, Apache-2.0)",
            folder: "spy-daily", interval: .daily, options: LoadOptions(zone: .newYork, symbol: "SPY"),
            licenceFile: "LICENSE.pyalgotrade.txt",
            symbolOfFile: { $0.hasPrefix("SPY-") && $0.hasSuffix("-yahoofinance.csv") ? "SPY" : nil }),
        SampleDataset(
            name: "sp500-50", summary: "50 S&P 500 large caps, daily 1999-11-01..2021-04-21, with dividends and splits (Alpha Vantage via Pooksoft, MIT)",
            folder: "sp500-50", interval: .daily, options: LoadOptions(zone: .newYork),
            licenceFile: "LICENSE.pooksoft.txt",
            symbolOfFile: { name in
                // DA-<TICKER>-T-2021-04-21.csv.gz
                guard name.hasPrefix("DA-"), name.hasSuffix("-T-2021-04-21.csv.gz") else { return nil }
                return String(name.dropFirst(3).dropLast("-T-2021-04-21.csv.gz".count))
            }),
        SampleDataset(
            name: "eqker-1m", summary: "24 US symbols, 1-minute regular-hours bars, 2019-02-11..15 (Alpha Vantage via eqker, ISC)",
            folder: "eqker-1m", interval: .minute, options: LoadOptions(zone: .newYork, label: .end, interval: .minute),
            licenceFile: "LICENSE.eqker.txt", symbolOfFile: { eqkerSymbol($0, suffix: "_1min.csv") }),
        SampleDataset(
            name: "eqker-15m", summary: "24 US symbols, 15-minute regular-hours bars, 2019-01-04..2019-02-15 (eqker, ISC)",
            folder: "eqker-15m", interval: .minutes(15), options: LoadOptions(zone: .newYork, label: .end, interval: .minutes(15)),
            licenceFile: "LICENSE.eqker.txt", symbolOfFile: { eqkerSymbol($0, suffix: "_15min.csv") }),
        SampleDataset(
            name: "eqker-daily", summary: "24 US symbols, daily bars 2018-01-02..2019-02-15 (eqker, ISC)",
            folder: "eqker-daily", interval: .daily, options: LoadOptions(zone: .newYork),
            licenceFile: "LICENSE.eqker.txt", symbolOfFile: { eqkerSymbol($0, suffix: "_daily.csv") }),
        SampleDataset(
            name: "spy-1m-2011", summary: "SPY 1-minute bars Jan and Mar 2011 with extended hours (NinjaTrader via pyalgotrade, Apache-2.0)",
            folder: "spy-1m-2011", interval: .minute, options: LoadOptions(zone: .utc, label: .end, symbol: "SPY", interval: .minute),
            licenceFile: "LICENSE.pyalgotrade.txt",
            symbolOfFile: { $0.hasPrefix("nt-spy-minute-2011") && $0.hasSuffix(".csv") ? "SPY" : nil }),
    ]

    private static func eqkerSymbol(_ name: String, suffix: String) -> String? {
        name.hasSuffix(suffix) ? String(name.dropLast(suffix.count)) : nil
    }

    /// The sample called `name` (without the `sample:` prefix).
    public static func named(_ name: String) throws(DataError) -> SampleDataset {
        guard let s = all.first(where: { $0.name == name }) else {
            throw DataError(.unknownSample, file: "sample:" + name,
                            "no bundled sample of that name; available: " + all.map(\.name).joined(separator: ", "))
        }
        return s
    }

    /// Where the bundled samples are: `$TRADEWIND_SAMPLES` when set, else the resource bundle beside
    /// the executable (as `swift build` lays it out), else the source checkout this library was built from.
    public static func rootDirectory() throws(DataError) -> String {
        let fm = FileManager.default
        if let env = ProcessInfo.processInfo.environment["TRADEWIND_SAMPLES"], !env.isEmpty {
            guard fm.fileExists(atPath: env) else {
                throw DataError(.unreadable, file: env, "TRADEWIND_SAMPLES points to a folder that does not exist")
            }
            return env
        }
        var candidates: [String] = []
        let exe = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath().deletingLastPathComponent()
        candidates.append(exe.appendingPathComponent("Tradewind_TradewindData.resources/Samples").path)
        candidates.append(Bundle.main.bundleURL.appendingPathComponent("Tradewind_TradewindData.resources/Samples").path)
        // The checkout: Sources/TradewindData/Sources/SampleCatalog.swift → Sources/TradewindData/Samples.
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(source.appendingPathComponent("Samples").path)
        for c in candidates where fm.fileExists(atPath: c + "/README.md") { return c }
        throw DataError(.unreadable, file: "sample:", "cannot find the bundled samples (looked in \(candidates.joined(separator: ", "))); set TRADEWIND_SAMPLES to the Samples folder")
    }
}
