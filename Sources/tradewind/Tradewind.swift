import ArgumentParser
import TradewindCore

/// The `tradewind` command line: parsing and printing only. Every command calls library code
/// that the tests exercise directly.
@main
struct Tradewind: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tradewind",
        abstract: "Trading research and execution: data, indicators, backtests, optimization.",
        version: TradewindRelease.version,
        subcommands: [
            // Registered subcommands, one per line (keep sorted).
            BacktestCommand.self,
            BenchCommand.self,
            CalendarCommand.self,
            DataCommand.self,
            IndicatorCommand.self,
            OptimizeCommand.self,
            StatsCommand.self,
            StrategyCommand.self,
        ]
    )

    static func main() async {
        // Backtests and optimizations allocate and free large result columns run after run: reuse them.
        MemoryPolicy.keepFreedMemoryInProcess()
        await main(nil)
    }
}
