import ArgumentParser
import TradewindCore
import TradewindEngine
import TradewindStrategies

/// `--warmup BARS|auto`: bars before the start the strategy sees but does not trade on (`Warmup`), shared by
/// `backtest` and `trade`, which take them by the same rule.
struct WarmupOption: ParsableArguments {
    @Option(help: "Warm-up: bars before the start (--from, or the data's first bars; live: fetched from the feed's history) that the strategy sees but does not trade on; results start after them. A number of bars, or auto (the strategy's own need, from its parameters).")
    var warmup: String = "0"

    /// `config` with the warm-up these options ask for, from `data` (`Warmup.applying`).
    func applied(to config: BacktestConfig, strategy: StrategyDescriptor, parameters: StrategyParameters,
                 data: MarketDataset) throws -> BacktestConfig {
        let setting: WarmupSetting
        do { setting = try WarmupSetting(parsing: warmup) } catch { throw ValidationError(error.description) }
        return Warmup.applying(bars: setting.bars(for: strategy, parameters: parameters), to: config, data: data)
    }
}
