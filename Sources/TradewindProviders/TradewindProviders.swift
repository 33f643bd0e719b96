// Module TradewindProviders: market data fetched from providers' HTTP APIs.
//
// Owns: the provider protocol (`MarketDataProvider`: historical bars, the latest price, what each provider offers),
// the clients of Alpaca market data v2, Polygon/Massive aggregates v2, Finnhub stock candles and Yahoo Finance
// chart v8, their credentials and base URLs (from the environment), the politeness machinery every client shares
// (`TokenBucket` per provider, `RetryPolicy` with backoff, jitter and Retry-After, per-request timeouts, pooled
// keep-alive connections in `ProviderHTTPClient`), the fallback chain (`auto`), the incremental fetch cache
// (`FetchCache`: missing ranges only, TTL on recent data, atomic writes, resume, corruption detection) and the
// `provider:` data source that `--data` accepts.
//
// May import: TradewindCore, TradewindData (the binary cache, bar validation, `DataSource`), Foundation,
// AsyncHTTPClient and the SwiftNIO modules it is built on. Secrets (API keys) travel in request headers only:
// never in URLs, logs, errors or the cache.
