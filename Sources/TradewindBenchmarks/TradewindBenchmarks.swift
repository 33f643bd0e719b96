// Module TradewindBenchmarks: the benchmarks behind every speed claim in BENCHMARKS.md, run by
// `tradewind bench …`, measuring Tradewind and (when Python is present) its peers in the same run.
//
// May import: every Tradewind library module.
