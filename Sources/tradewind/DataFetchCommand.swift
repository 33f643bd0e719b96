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
    @Flag(help: "No progress bar.") var quiet = false
    @Flag(help: "Print the summary as JSON.") var json = false

    func run() async throws {
        let symbolList: [String]
        do { symbolList = try ValueList.parse(symbols) } catch { throw ValidationError("--symbols: \(error)") }
        guard let first = CivilDate(iso: from) else { throw ValidationError("--from: '\(from)' is not a date YYYY-MM-DD") }
        guard let last = CivilDate(iso: to), first <= last else { throw ValidationError("--to: '\(to)' is not a date YYYY-MM-DD on or after --from") }
        guard let barInterval = BarInterval(interval), AlpacaBarsClient.capabilities.intervals.contains(barInterval) else {
            throw ValidationError("--interval: '\(interval)' is not one of 1m, 5m, 15m, 30m, 1h, 1d, 1w, 1mo")
        }
        guard concurrency >= 1, concurrency <= 256 else { throw ValidationError("--concurrency: give 1 to 256") }
        guard timeout > 0, timeout <= 3600, retries >= 0, retries <= 10, ttl >= 0 else {
            throw ValidationError("--timeout must be 0–3600 s, --retries 0–10, --ttl 0 or more hours")
        }
        var settings: ProviderSettings
        do {
            settings = try ProviderSettings(retry: RetryPolicy(maxRetries: retries), timeout: .milliseconds(Int64(timeout * 1000)))
        } catch {
            throw CommandError(description: error.description)
        }
        for r in rate {
            let parts = r.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let id = ProviderID(named: parts[0]), let limit = RateLimit(parts[1]) else {
                throw ValidationError("--rate: '\(r)' is not PROVIDER=N/min (or N/s, N/h)")
            }
            settings.setRate(limit, for: id)
        }
        let chain: ProviderChain
        do {
            if provider == "auto" {
                var ids = ProviderID.defaultFallbackOrder
                if let order {
                    ids = try order.split(separator: ",").map { name in
                        guard let id = ProviderID(named: String(name)) else { throw ValidationError("--order: unknown provider '\(name)'") }
                        return id
                    }
                }
                chain = try ProviderChain(settings: settings, order: ids)
            } else {
                guard let id = ProviderID(named: provider) else {
                    throw ValidationError("--provider: '\(provider)' is not alpaca, polygon, finnhub, yahoo or auto")
                }
                chain = ProviderChain([try settings.provider(id)])
            }
        } catch let error as ProviderError {
            throw CommandError(description: error.description)
        }
        let range = BarRequest(symbol: "", interval: barInterval, firstDay: first, lastDay: last)
        let fetcher = BarFetcher(chain: chain, cache: FetchCache(directory: out, ttl: .milliseconds(Int64(ttl * 3_600_000))),
                                 concurrency: concurrency)
        let bar = ProgressBar(enabled: !quiet && !json, symbols: symbolList.count)
        let clock = ContinuousClock()
        let started = clock.now
        let reports = await fetcher.fetch(symbols: symbolList, interval: barInterval, from: range.from, to: range.to,
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
