import TradewindCore
import TradewindEngine

/// Text and JSON descriptions of the catalog's strategies, for `tradewind strategy list|show`.
public enum StrategyListing {
    /// One line per strategy: name and summary (aligned), or a JSON array of
    /// `{"name", "summary", "kernel", "parameters": [{"name", "type", "default", "valid", "description"}]}`.
    public static func list(json: Bool, catalog: StrategyCatalog = .builtIn) -> String {
        if json {
            return "[" + catalog.all.map { object($0) }.joined(separator: ",") + "]\n"
        }
        let width = catalog.all.map(\.name.count).max() ?? 0
        return catalog.all.map { d in
            d.name + String(repeating: " ", count: width - d.name.count + 2) + d.summary
                + (d.kernel != nil ? "  [fast kernel]" : "")
        }.joined(separator: "\n") + "\n"
    }

    /// The strategy's summary, exact rules and parameters; throws `UnknownStrategyError` naming the known ones. The
    /// backtest settings its requirements apply are called `setting(field)` (default: the `BacktestSettings` field name).
    public static func show(_ name: String, catalog: StrategyCatalog = .builtIn,
                            naming setting: (BacktestSettings.Field) -> String = \.rawValue) throws(UnknownStrategyError) -> String {
        let d = try catalog.named(name)
        var out = "\(d.name): \(d.summary)\n"
        if !d.rules.isEmpty { out += "\nRules:\n" + d.rules + "\n" }
        out += "\nParameters:\n"
        let w = d.parameterSpecs.map { $0.name.count }.max() ?? 0
        for p in d.parameterSpecs {
            let defaultText = p.defaultValue.description.isEmpty ? "none" : p.defaultValue.description
            out += "  " + p.name + String(repeating: " ", count: w - p.name.count + 2)
            out += "\(p.kind.typeName), default \(defaultText), \(p.kind.validValues). \(p.description)\n"
        }
        if !d.constraints.isEmpty { out += "\nConstraints: " + d.constraints.joined(separator: ", ") + "\n" }
        let needs = requirementsText(d.requirements, naming: setting)
        if !needs.isEmpty { out += "\nNeeds: " + needs + "\n" }
        if let k = d.kernel {
            out += "\nFast kernel: \(k.summary)\n"
            out += "  Covers: \(k.coverage); every metric of the backtest summary, so every objective.\n"
            out += "  Otherwise the optimizer runs the engine and says why (evaluator, engine_reason).\n"
        }
        return out
    }

    static func object(_ d: StrategyDescriptor) -> String {
        let params = d.parameterSpecs.map { p in
            "{\"name\":\(quote(p.name)),\"type\":\(quote(p.kind.typeName)),\"default\":\(quote(p.defaultValue.description)),"
                + "\"valid\":\(quote(p.kind.validValues)),\"description\":\(quote(p.description))}"
        }
        let kernel = d.kernel.map { quote($0.summary) } ?? "null"
        return "{\"name\":\(quote(d.name)),\"summary\":\(quote(d.summary)),\"kernel\":\(kernel),\"parameters\":[" + params.joined(separator: ",") + "]}"
    }

    /// The requirements in words (empty when there are none); the settings they apply are called `setting(field)`.
    static func requirementsText(_ r: StrategyRequirements,
                                 naming setting: (BacktestSettings.Field) -> String = \.rawValue) -> String {
        var parts: [String] = []
        if r.intradayBars { parts.append("intraday bars") }
        if r.exchangeSessions { parts.append("exchange sessions (applied: \(setting(.session)) nyse)") }
        if r.flattenAtClose { parts.append("flat at each close (applied: \(setting(.flattenAtClose)))") }
        for p in r.symbolParameters { parts.append("the symbol named by \(p), when set, in the data") }
        return parts.joined(separator: "; ")
    }

    static func quote(_ s: String) -> String { JSONString.quoted(s) }
}
