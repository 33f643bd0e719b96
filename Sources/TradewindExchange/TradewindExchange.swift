/// `tradewind exchange`: a local Alpaca-compatible paper exchange that replays recorded bars.
///
/// Owns the exchange's market (`ExchangeMarket`: TradewindLive's `PaperBroker` over a replay of recorded bars, its
/// replay clock, the orders as Alpaca reports them, the events of the `trade_updates` stream and the bars of the
/// data stream), and its server (`ExchangeServer`: the Trading API v2 subset, `/stream`, `/v2/stocks/bars` and
/// the `/v2/iex`/`/v2/sip` data stream on one Hummingbird port, with Alpaca's key headers and error bodies). Any
/// Alpaca client whose base URL can be overridden (Tradewind's adapters, `alpaca-py`) can trade against it offline.
/// With a state directory (`ExchangeMarket.keepState(in:)`, `ExchangeStateLog`) the market writes every command before
/// carrying it out and resumes from them after a crash.
///
/// May import: TradewindCore, TradewindData, TradewindEngine, TradewindLive, TradewindAlpaca (the wire types),
/// Hummingbird, HummingbirdWebSocket. Imported by the CLI and the benchmarks.
enum TradewindExchangeModule {}
