// TradewindServer: `tradewind serve` — the HTTP + WebSocket API over TradewindStore.
//
// Owns: the routes (`Routes/`, one file per area, all under `/api`), the job scheduler that runs queued backtests
// and optimisations on a bounded pool of dedicated threads and resumes interrupted ones from their finished symbols
// (`Jobs/`), the WebSocket event hub with bounded, coalescing per-client queues (`Live/`), authentication —
// bcrypt passwords, short-lived JWT access tokens, refresh and API tokens, per-address login rate limits
// (`Auth/`) —, Prometheus metrics (`Metrics/`), JSON errors `{error, message, field}` and the committed OpenAPI
// document (`Resources/openapi.json`), and the web dashboard: its static files (`Resources/dashboard`: HTML, CSS and
// JavaScript written here, no build step) served at `/` by `Dashboard/`.
// Distributed optimisation (`Distributed/`): with a PostgreSQL store the
// scheduler shards optimisation jobs into one task per symbol on TradewindStore's `WorkQueue` and follows them;
// `TaskWorker` is `tradewind worker` (claims, leases kept by heartbeats, idempotent commits, SIGTERM drain), computing
// a symbol through the same `SymbolComputation` as an in-process job; `DataClient` fetches and caches a worker's data
// from `GET /api/data/{dataset}/{symbol}`.
//
// Models (`Models/`): the store's model registry (`StoreModelRegistry`), the model download and hash routes, and
// training jobs.
//
// May import: every Tradewind library up to TradewindReports, TradewindStore, TradewindLive, TradewindProviders, TradewindModels, Hummingbird (+ WebSocket, Auth,
// Bcrypt), JWTKit, swift-prometheus, swift-metrics, swift-log, swift-service-lifecycle and Foundation.
// The `tradewind` command only parses `serve`'s and `worker`'s flags and calls `TradewindServer.run` or `TaskWorker.run`.
