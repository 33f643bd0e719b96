// Module TradewindData: market data in and out.
//
// Owns: reading real files (CSV dialects, gzip, timestamp formats, time zones, bar-label
// conventions) into validated `BarSeries`, the bundled samples (`sample:NAME`), the binary
// columnar cache, deterministic synthetic data, resampling, split/dividend-adjusted views and
// per-session views of intraday bars.
//
// May import: TradewindCore, Foundation, zlib (through CZlib).
