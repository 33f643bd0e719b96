// Module TradewindReports: self-contained HTML tear sheets for backtests and optimizations, plain-text
// summaries, and PDF export through a headless Chromium.
//
// May import: every library module below it (Core, Data, Analytics, Engine, Strategies, Optimizer, Charts).
