import ArgumentParser
import Foundation
import TradewindCore
import TradewindData
import TradewindProviders

/// `tradewind data fetch`: market data from a provider into a cache directory.
struct DataFetch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Fetch bars from a market-data provider into a cache directory (only what is missing).",
        discussion: """
            Providers: alpaca, polygon (or massive), finnhub, yahoo, or auto (the configured ones in turn, per symbol, \
            default order alpaca,polygon,finnhub,yahoo; --order changes it). Keys and base URLs come from the \
            environment (see `tradewind data providers`). The cache is a Tradewind cache directory: every --data reads it.
            """)

    @Option(help: "alpaca, polygon, finnhub, yahoo or auto.") var provider: String = "auto"
    @Option(help: "Symbols: SPY,QQQ or @FILE (one a line).") var symbols: String
    @Option(help: "First date (YYYY-MM-DD, New York).") var from: String
    @Option(help: "Last date (YYYY-MM-DD, New York), included.") var to: String
    @Option(help: "Bar interval: 1m, 5m, 15m, 30m, 1h, 1d, 1w, 1mo.") var interval: String = "1d"
    @Option(help: "Cache directory.") var out: String = "data-cache"
    @Option(help: "For auto: the providers in the order to try (comma-separated).") var order: String?
    @Option(help: "Request rate per provider, e.g. polygon=100/min (repeatable). Defaults: alpaca 200/min, polygon 5/min, finnhub 60/min, yahoo 60/min.")
    var rate: [String] = []
    @Option(help: "Symbols fetched at once.") var concurrency: Int = 20
    @Option(help: "Seconds one request may take.") var timeout: Double = 30
    @Option(help: "Retries of a failed request (429, 5xx, timeouts).") var retries: Int = 3
    @Option(help: "Hours before recent cached data is fetched again.") var ttl: Double = 2
    @Option(help: "Alpaca: symbols per request (multi-symbol bars, paged across the symbols); 1 asks for each alone.")
    var batch: Int = 1
    @Option(help: "Seconds a symbol's completed segments (a month of intraday bars each) wait before they are stored; what is stored survives a kill.")
    var checkpoint: Double = 5
    @Flag(help: "No progress bar.") var quiet = false
    @Flag(help: "Print the summary as JSON.") var json = false

    func run() async throws {
        let symbolList: [String]
        do { symbolList = try ValueList.parse(symbols) } catch { throw ValidationError("--symbols: \(error)") }
        let options = DataFetchOptions(provider: provider, symbols: symbolList, from: from, to: to, interval: interval, out: out,
                                       order: order.map { $0.split(separator: ",").map(String.init) }, rate: rate,
                                       concurrency: concurrency, timeout: timeout, retries: retries, ttl: ttl,
                                       batch: batch)
        let checked: DataFetchOptions.Checked
        do {
            checked = try options.checked()
        } catch {
            if error.field == "provider" { throw CommandError(description: error.message) }
            throw ValidationError(error.description)
        }
        guard checkpoint >= 0, checkpoint <= 3600 else { throw ValidationError("--checkpoint: \(checkpoint): give 0 to 3600 seconds") }
        let fetcher = checked.fetcher(directory: out, checkpointEvery: .milliseconds(Int64(checkpoint * 1000)))
        let bar = ProgressBar(enabled: !quiet && !json, symbols: checked.symbols.count)
        let clock = ContinuousClock()
        let started = clock.now
        let reports = await fetcher.fetch(symbols: checked.symbols, interval: checked.interval, from: checked.range.from,
                                          to: checked.range.to,
                                          progress: { p in bar.update(Double(p.done) / Double(p.total), finished: p.done) })
        bar.finish()
        let seconds = bar.seconds(clock.now - started)
        print(json ? FetchSummary.json(reports, seconds: seconds) : FetchSummary.table(reports, seconds: seconds))
        let failed = reports.filter { $0.error != nil }.count
        if failed > 0 { throw CommandError(description: "\(failed) of \(reports.count) symbols could not be fetched (see the table)") }
    }
}

/// `tradewind data providers`: each provider, whether it is configured, and its limits.
struct DataProviders: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "providers", abstract: "List the market-data providers, whether each is configured, and their limits.")

    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let settings: ProviderSettings
        do { settings = try ProviderSettings() } catch { throw CommandError(description: error.description) }
        print(json ? ProviderListing.json(settings) : ProviderListing.table(settings))
    }
}
