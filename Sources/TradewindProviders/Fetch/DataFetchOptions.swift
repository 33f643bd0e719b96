import Foundation
import TradewindCore

/// The options of a market-data fetch, as `tradewind data fetch` takes them and as the server's `data_fetch` jobs
/// take them (`POST /api/jobs` with `"kind": "data_fetch"`): the same fields, defaults, checks and messages.
public struct DataFetchOptions: Sendable, Codable, Equatable {
    /// `alpaca`, `polygon` (or `massive`), `finnhub`, `yahoo` or `auto`.
    public var provider: String = "auto"
    public var symbols: [String]
    /// First New York date, `YYYY-MM-DD`.
    public var from: String
    /// Last New York date, included.
    public var to: String
    /// `1m`, `5m`, `15m`, `30m`, `1h`, `1d`, `1w` or `1mo`.
    public var interval: String = "1d"
    /// The cache directory (for a server job: relative to the server's home).
    public var out: String = "data-cache"
    /// For `auto`: the providers in the order to try (default alpaca, polygon, finnhub, yahoo).
    public var order: [String]?
    /// Request rates per provider, `polygon=100/min`.
    public var rate: [String] = []
    /// Symbols fetched at once (1…256).
    public var concurrency: Int = 20
    /// Seconds one request may take (0–3600).
    public var timeout: Double = 30
    /// Retries of a failed request (0–10).
    public var retries: Int = 3
    /// Hours before recent cached data is fetched again (0 or more).
    public var ttl: Double = 2
    /// Alpaca: symbols per request (its multi-symbol bars, `AlpacaBatching`); 1 asks for each symbol alone.
    public var batch: Int = 1

    /// The JSON field names.
    public static let fields = ["provider", "symbols", "from", "to", "interval", "out", "order", "rate", "concurrency", "timeout",
                                "retries", "ttl", "batch"]

    public init(provider: String = "auto", symbols: [String], from: String, to: String, interval: String = "1d",
                out: String = "data-cache", order: [String]? = nil, rate: [String] = [], concurrency: Int = 20,
                timeout: Double = 30, retries: Int = 3, ttl: Double = 2, batch: Int = 1) {
        self.provider = provider
        self.symbols = symbols
        self.from = from
        self.to = to
        self.interval = interval
        self.out = out
        self.order = order
        self.rate = rate
        self.concurrency = concurrency
        self.timeout = timeout
        self.retries = retries
        self.ttl = ttl
        self.batch = batch
    }

    enum CodingKeys: String, CodingKey {
        case provider, symbols, from, to, interval, out, order, rate, concurrency, timeout, retries, ttl, batch
    }

    /// Absent fields take their defaults; `symbols`, `from` and `to` are required.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        symbols = try c.decode([String].self, forKey: .symbols)
        from = try c.decode(String.self, forKey: .from)
        to = try c.decode(String.self, forKey: .to)
        provider = try c.decodeIfPresent(String.self, forKey: .provider) ?? provider
        interval = try c.decodeIfPresent(String.self, forKey: .interval) ?? interval
        out = try c.decodeIfPresent(String.self, forKey: .out) ?? out
        order = try c.decodeIfPresent([String].self, forKey: .order)
        rate = try c.decodeIfPresent([String].self, forKey: .rate) ?? rate
        concurrency = try c.decodeIfPresent(Int.self, forKey: .concurrency) ?? concurrency
        timeout = try c.decodeIfPresent(Double.self, forKey: .timeout) ?? timeout
        retries = try c.decodeIfPresent(Int.self, forKey: .retries) ?? retries
        ttl = try c.decodeIfPresent(Double.self, forKey: .ttl) ?? ttl
        batch = try c.decodeIfPresent(Int.self, forKey: .batch) ?? batch
    }

    /// A bad option: which field, and what is wrong with it.
    public struct Invalid: Error, Sendable, Equatable, CustomStringConvertible {
        /// The option's name (`from`, `interval`, …).
        public let field: String
        public let message: String
        public var description: String { "--\(field): \(message)" }
    }

    /// A checked fetch: the symbols, interval and range, and the providers to ask.
    public struct Checked: Sendable {
        public let symbols: [String]
        public let interval: BarInterval
        /// `[from, to)`: the first date's New York midnight to the midnight after the last date.
        public let range: BarRequest
        public let chain: ProviderChain
        public let concurrency: Int
        public let ttl: Duration

        /// The fetcher writing into `directory`, storing each symbol's completed segments at most every
        /// `checkpointEvery` (and at the end and on a failure).
        public func fetcher(directory: String, checkpointEvery: Duration = .seconds(5)) -> BarFetcher {
            BarFetcher(chain: chain, cache: FetchCache(directory: directory, ttl: ttl), concurrency: concurrency,
                       checkpointEvery: checkpointEvery)
        }
    }

    /// Checks every option and builds the providers from `environment` (keys, base URLs). Throws `Invalid` naming the
    /// first bad option, or a provider that is not configured (field `provider`).
    public func checked(environment: ProviderEnvironment = .process,
                        http: ProviderHTTPClient = .shared) throws(Invalid) -> Checked {
        let list = symbols.map { $0.trimmingCharacters(in: .whitespaces) }
        guard !list.isEmpty, list.allSatisfy({ !$0.isEmpty && $0.count <= 32 && !$0.contains("/") }) else {
            throw Invalid(field: "symbols", message: "name one or more symbols (up to 32 characters each, no '/')")
        }
        guard let first = CivilDate(iso: from) else { throw Invalid(field: "from", message: "'\(from)' is not a date YYYY-MM-DD") }
        guard let last = CivilDate(iso: to), first <= last else {
            throw Invalid(field: "to", message: "'\(to)' is not a date YYYY-MM-DD on or after --from")
        }
        guard let barInterval = BarInterval(interval), AlpacaBarsClient.capabilities.intervals.contains(barInterval) else {
            throw Invalid(field: "interval", message: "'\(interval)' is not one of 1m, 5m, 15m, 30m, 1h, 1d, 1w, 1mo")
        }
        guard (1...256).contains(concurrency) else { throw Invalid(field: "concurrency", message: "\(concurrency): give 1 to 256") }
        guard timeout > 0, timeout <= 3600 else { throw Invalid(field: "timeout", message: "\(timeout): give more than 0 and up to 3600 seconds") }
        guard (0...10).contains(retries) else { throw Invalid(field: "retries", message: "\(retries): give 0 to 10") }
        guard ttl >= 0, ttl <= 24 * 365 else { throw Invalid(field: "ttl", message: "\(ttl): give 0 to 8760 hours") }
        guard (1...200).contains(batch) else { throw Invalid(field: "batch", message: "\(batch): give 1 to 200 symbols per request") }
        var settings: ProviderSettings
        do {
            settings = try ProviderSettings(environment: environment, retry: RetryPolicy(maxRetries: retries),
                                            timeout: .milliseconds(Int64(timeout * 1000)))
        } catch {
            throw Invalid(field: "provider", message: error.description)
        }
        for r in rate {
            let parts = r.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let id = ProviderID(named: parts[0]), let limit = RateLimit(parts[1]) else {
                throw Invalid(field: "rate", message: "'\(r)' is not PROVIDER=N/min (or N/s, N/h)")
            }
            settings.setRate(limit, for: id)
        }
        var ids = ProviderID.defaultFallbackOrder
        if let order {
            ids = []
            for name in order {
                guard let id = ProviderID(named: name) else { throw Invalid(field: "order", message: "unknown provider '\(name)'") }
                ids.append(id)
            }
        }
        let single = provider == "auto" ? nil : ProviderID(named: provider)
        guard provider == "auto" || single != nil else {
            throw Invalid(field: "provider", message: "'\(provider)' is not alpaca, polygon, finnhub, yahoo or auto")
        }
        var chain: ProviderChain
        do throws(ProviderError) {
            if let single {
                chain = ProviderChain([try settings.provider(single, http: http)])
            } else {
                chain = try ProviderChain(settings: settings, order: ids, http: http)
            }
        } catch {
            throw Invalid(field: "provider", message: error.description)
        }
        if batch > 1 {
            chain = ProviderChain(chain.providers.map { p in (p as? AlpacaBarsClient).map { AlpacaBatching(client: $0, size: batch) } ?? p })
        }
        return Checked(symbols: list, interval: barInterval, range: BarRequest(symbol: "", interval: barInterval, firstDay: first, lastDay: last),
                       chain: chain, concurrency: concurrency, ttl: .milliseconds(Int64(ttl * 3_600_000)))
    }
}
