// Module TradewindReports: self-contained HTML tear sheets for backtests and optimizations, plain-text
// summaries, and PDF export through a headless Chromium. The ML strategies' out-of-sample model section is plain
// values here (`ModelOutOfSampleSection`, drawn by `ModelOutOfSampleHTML`), filled by TradewindModels above it.
//
// May import: every library module below it (Core, Data, Analytics, Engine, Strategies, Optimizer, Charts).
