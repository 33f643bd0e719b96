import TradewindCore
import TradewindEngine

/// A `--warmup` value: a number of bars, or `auto`, the strategy's own need (`CatalogStrategy.warmupBars`).
public enum WarmupSetting: Sendable, Hashable {
    case bars(Int)
    case auto

    /// Parses `auto` or a whole number of bars ≥ 0.
    public init(parsing text: String) throws(WarmupSettingError) {
        if text == "auto" { self = .auto; return }
        guard let n = Int(text), n >= 0 else { throw WarmupSettingError(text: text) }
        self = .bars(n)
    }

    /// The bars this setting asks for, for `strategy` with `parameters`.
    public func bars(for strategy: StrategyDescriptor, parameters: StrategyParameters) -> Int {
        switch self {
        case .bars(let n): return n
        case .auto: return strategy.warmupBars(parameters)
        }
    }
}

/// A `--warmup` value that is neither `auto` nor a number of bars.
public struct WarmupSettingError: Error, Sendable, Equatable, CustomStringConvertible {
    public let text: String
    public var description: String {
        "--warmup \(text): expected a number of bars ≥ 0 (e.g. 50), or auto (the strategy's own need, from its parameters)"
    }
}
