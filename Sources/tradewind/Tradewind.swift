import ArgumentParser
import TradewindCore
import TradewindIndicators
import TradewindProviders

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
            ExchangeCommand.self,
            IndicatorCommand.self,
            MLCommand.self,
            OptimizeCommand.self,
            ServeCommand.self,
            StatsCommand.self,
            StrategyCommand.self,
            TokenCommand.self,
            TradeCommand.self,
            UserCommand.self,
            WorkerCommand.self,
        ]
    )

    static func main() async {
        // Process-wide tweaks are the executable's choice (the libraries leave them off).
        // Backtests and optimizations allocate and free large result columns run after run: reuse them.
        MemoryPolicy.keepFreedMemoryInProcess()
        // One job at a time on a machine shared with other processes: indicator kernels take a second thread
        // only while a core is idle.
        IndicatorKernels.probesIdleCores = true
        // `--data provider:NAME:…` fetches from a market-data provider into the fetch cache.
        ProviderDataSource.register()
        await main(nil)
    }
}
