import Foundation
import TradewindCore
import TradewindData

/// `--data provider:NAME:SYMBOLS:FROM:TO[:INTERVAL]` (e.g. `provider:alpaca:SPY,QQQ:2024-01-02:2024-12-31:1m`,
/// NAME one of alpaca, polygon, finnhub, yahoo, auto; INTERVAL default 1d): the bars are fetched into the fetch cache
/// (`$TRADEWIND_FETCH_CACHE`, else `~/.cache/tradewind/fetch`, one folder per provider and interval) — only what
/// is missing from it — and read from there. Registered by `ProviderDataSource.register()`.
public struct ProviderDataSource: DataSourceLoader {
    /// Where keys, base URLs and the cache root are read (nil: the process environment at load time).
    public let environment: ProviderEnvironment?

    public init(environment: ProviderEnvironment? = nil) {
        self.environment = environment
    }

    /// Makes `provider:` a data source for every `--data`.
    public static func register() {
        DataSourceSchemes.register("provider", ProviderDataSource())
    }

    public var usage: String { "provider:NAME:SYMBOLS:FROM:TO[:INTERVAL] (NAME alpaca, polygon, finnhub, yahoo or auto; dates YYYY-MM-DD)" }

    /// A parsed `provider:` spec.
    public struct Spec: Sendable, Equatable {
        public var provider: String
        public var symbols: [String]
        public var firstDay: CivilDate
        public var lastDay: CivilDate
        public var interval: BarInterval
    }

    public func parse(_ spec: String) throws(DataError) -> Spec {
        let parts = spec.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let file = "provider:" + spec
        guard parts.count == 4 || parts.count == 5 else {
            throw DataError(.badOption, file: file, input: .source, "expected " + usage)
        }
        guard parts[0] == "auto" || ProviderID(named: parts[0]) != nil else {
            throw DataError(.badOption, file: file, value: parts[0], input: .source, "unknown provider; use alpaca, polygon, finnhub, yahoo or auto")
        }
        let symbols = parts[1].split(separator: ",").map(String.init).filter { !$0.isEmpty }
        guard !symbols.isEmpty else { throw DataError(.badOption, file: file, input: .source, "name at least one symbol (SPY,QQQ)") }
        guard let first = CivilDate(iso: parts[2]), let last = CivilDate(iso: parts[3]), first <= last else {
            throw DataError(.badOption, file: file, value: parts[2] + ":" + parts[3], input: .source,
                            "FROM and TO must be dates YYYY-MM-DD with FROM on or before TO")
        }
        var interval = BarInterval.daily
        if parts.count == 5 {
            guard let i = BarInterval(parts[4]), AlpacaBarsClient.capabilities.intervals.contains(i) else {
                throw DataError(.badOption, file: file, value: parts[4], input: .interval, "use 1m, 5m, 15m, 30m, 1h, 1d, 1w or 1mo")
            }
            interval = i
        }
        return Spec(provider: parts[0], symbols: symbols, firstDay: first, lastDay: last, interval: interval)
    }

    public func validate(_ spec: String) throws(DataError) {
        _ = try parse(spec)
    }

    public func load(_ spec: String, options: LoadOptions, symbols: [String]?) throws(DataError) -> MarketDataset {
        let s = try parse(spec)
        let file = "provider:" + spec
        if let symbols {
            for x in symbols where !s.symbols.contains(x) {
                throw DataError(.unknownSymbol, file: file, value: x, input: .symbols, "not among this source's symbols: " + s.symbols.joined(separator: ","))
            }
        }
        let wanted = symbols ?? s.symbols
        let env = environment ?? .process
        let chain: ProviderChain
        do {
            let settings = try ProviderSettings(environment: env)
            chain = s.provider == "auto" ? try ProviderChain(settings: settings)
                : ProviderChain([try settings.provider(ProviderID(named: s.provider)!)])
        } catch {
            throw DataError(.badOption, file: file, input: .source, error.description)
        }
        let directory = Self.cacheRoot(env) + "/\(s.provider)-\(s.interval)"
        let fetcher = BarFetcher(chain: chain, cache: FetchCache(directory: directory))
        let first = BarRequest(symbol: "", interval: s.interval, firstDay: s.firstDay, lastDay: s.lastDay)
        let reports = AwaitFromSynchronousCode.run { await fetcher.fetch(symbols: wanted, interval: s.interval, from: first.from, to: first.to) }
        if let failed = reports.first(where: { $0.error != nil }) {
            throw DataError(.unreadable, file: file, value: failed.symbol, input: .source, failed.error!.description)
        }
        let dataset = try BarCache.readDirectory(directory, symbols: wanted, threads: options.threads)
        return MarketDataset(dataset.series.map { $0.between(first.from, first.to) })
    }

    /// Where `provider:` sources keep their fetch caches.
    public static func cacheRoot(_ environment: ProviderEnvironment = .process) -> String {
        if let root = environment.first(["TRADEWIND_FETCH_CACHE"])?.value { return root }
        return NSHomeDirectory() + "/.cache/tradewind/fetch"
    }
}
