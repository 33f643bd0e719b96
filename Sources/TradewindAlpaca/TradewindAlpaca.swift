/// Alpaca: the Trading API v2, its `trade_updates` stream and Market Data v2, as Alpaca documents them.
///
/// Owns Alpaca's wire types and their codecs (`Wire/`: orders, account, positions, clock, calendar, bars, stream
/// messages, the `{code, message}` error body, and the translation between an Alpaca order and the runtime's
/// `BrokerOrder`), shared by the client side here and by the local exchange (`TradewindExchange`); the trading REST
/// client (`Client/`: retries for idempotent calls, 429 with `Retry-After`, submits made idempotent by their client
/// order id, on async-http-client's pooled connections) and the `trade_updates` stream client (HummingbirdWSClient,
/// reconnecting); and `AlpacaBroker`, TradewindLive's `Broker` over them. Credentials, base URLs, the token bucket,
/// the retry policy and the historical bars client are `TradewindProviders`'.
///
/// May import: TradewindCore, TradewindData, TradewindEngine (order types), TradewindLive (the broker protocol),
/// TradewindProviders, AsyncHTTPClient, HummingbirdWSClient, NIO. Imported by TradewindExchange and the CLI.
enum TradewindAlpacaModule {}
