import TradewindEngine
import TradewindIndicators
import TradewindML

/// The `model` parameter the ML strategies share: the `universal.json` of a trained model (its weights beside it).
enum ModelParameter {
    static let spec = ParameterSpec("model", .path, default: .string(""),
                                    "A trained model's configuration, DIR/universal.json (`tradewind ml train --out DIR`).")

    /// The model the parameters name, loaded and checked.
    static func load(_ p: StrategyParameters) throws(ParameterError) -> UniversalModel {
        let path = try p.string("model")
        guard !path.isEmpty else { throw .missing(name: "model", expected: ParameterKind.path.validValues) }
        guard path.hasSuffix(".json") else { throw .badFile(name: "model", detail: "\(path): expected a model's universal.json") }
        do { return try UniversalModel.load(stem: String(path.dropLast(".json".count))) } catch {
            throw .badFile(name: "model", detail: error.description)
        }
    }

    /// The bars of history before a full window of features, for the model the parameters name (0 when none is
    /// given or its configuration cannot be read: the strategy's own start then reports the file's error): the
    /// features' longest look-back (`UniversalFeature.warmUp`, the SMA 50's 49 bars) and the model's window of
    /// feature rows less the one on the decision bar, as `DIR/universal.json` sets it (108 for a 60-bar window).
    static func warmupBars(_ p: StrategyParameters) -> Int {
        guard let path = try? p.string("model"), path.hasSuffix(".json"),
              let config = try? ModelFiles.loadConfig(UniversalModelConfig.self, stem: String(path.dropLast(".json".count))),
              config.dataset.window > 0 else { return 0 }
        return UniversalFeature.warmUp + config.dataset.window - 1
    }

    /// Order size for one of `slots` equal positions: all cash with one slot, else 1/`slots` of equity, or the cash
    /// left when that is less (no order is rejected for want of cash).
    static func size(_ context: some TradingContext, slots: Int) -> OrderSize {
        slots == 1 ? .allAvailable : .notionalOrAvailable(context.equity / Double(slots))
    }
}

extension UniversalSignalStream {
    /// Feeds every symbol that has a bar now; returns the symbols with a full window.
    mutating func feed(_ context: some TradingContext) throws -> [Int] {
        var ready: [Int] = []
        for s in 0..<context.symbolCount where context.hasBar(s) {
            try update(s, bar: OHLCV(open: context.open(s), high: context.high(s), low: context.low(s), close: context.close(s),
                                     volume: context.volume(s)), time: context.time)
            if isReady(s) { ready.append(s) }
        }
        return ready
    }
}
