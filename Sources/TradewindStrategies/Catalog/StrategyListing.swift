import TradewindEngine

/// Text and JSON descriptions of the catalog's strategies, for `tradewind strategy list|show`.
public enum StrategyListing {
    /// One line per strategy: name and summary (aligned), or a JSON array of
    /// `{"name", "summary", "kernel", "parameters": [{"name", "type", "default", "valid", "description"}]}`.
    public static func list(json: Bool) -> String {
        if json {
            return "[" + StrategyCatalog.all.map { object($0) }.joined(separator: ",") + "]\n"
        }
        let width = StrategyCatalog.all.map(\.name.count).max() ?? 0
        return StrategyCatalog.all.map { d in
            d.name + String(repeating: " ", count: width - d.name.count + 2) + d.summary
                + (KernelAvailability.kernel(for: d.name) != nil ? "  [fast kernel]" : "")
        }.joined(separator: "\n") + "\n"
    }

    /// The strategy's summary, exact rules and parameters; throws `UnknownStrategyError` naming the known ones.
    public static func show(_ name: String) throws(UnknownStrategyError) -> String {
        let d = try StrategyCatalog.named(name)
        var out = "\(d.name): \(d.summary)\n"
        if let rules = StrategyRules.text[d.name] { out += "\nRules:\n" + rules + "\n" }
        out += "\nParameters:\n"
        let w = d.parameterSpecs.map(\.name.count).max() ?? 0
        for p in d.parameterSpecs {
            out += "  " + p.name + String(repeating: " ", count: w - p.name.count + 2)
                + "\(p.kind.typeName), default \(p.defaultValue), \(p.kind.validValues). \(p.description)\n"
        }
        if let k = KernelAvailability.kernel(for: d.name) { out += "\nFast kernel: \(k)\n" }
        return out
    }

    static func object(_ d: StrategyDescriptor) -> String {
        let params = d.parameterSpecs.map { p in
            "{\"name\":\(quote(p.name)),\"type\":\(quote(p.kind.typeName)),\"default\":\(quote(p.defaultValue.description)),"
                + "\"valid\":\(quote(p.kind.validValues)),\"description\":\(quote(p.description))}"
        }
        let kernel = KernelAvailability.kernel(for: d.name).map(quote) ?? "null"
        return "{\"name\":\(quote(d.name)),\"summary\":\(quote(d.summary)),\"kernel\":\(kernel),\"parameters\":[" + params.joined(separator: ",") + "]}"
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 { out += String(format4: u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }
}

private extension String {
    init(format4 v: UInt32) {
        let hex = String(v, radix: 16)
        self = "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
    }
}

/// Which strategies have an exact fast kernel, and under which settings it applies.
public enum KernelAvailability {
    public static func kernel(for name: String) -> String? {
        switch name {
        case "momentum":
            return "IntradayKernel (rule momentum): one symbol, percent-of-value commission and bps slippage, fractional "
                + "shares, cash account, NYSE session policy with flatten at close; equal to the engine (property-tested)."
        default: return nil
        }
    }
}
