import TradewindModels
import TradewindStrategies

/// The strategy catalog every command lists and runs: Tradewind's built-in strategies plus the ML strategies
/// (`ml-signal`, `ml-topk`), registered through `StrategyCatalog.registering`.
let strategyCatalog: StrategyCatalog = ModelStrategies.catalog
