import TradewindCore
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
                + "\(p.kind.typeName), default \(p.defaultValue.description.isEmpty ? "none" : p.defaultValue.description), \(p.kind.validValues). \(p.description)\n"
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

/// Which strategies have an exact fast kernel, and whether a run's settings let it stand in for the engine.
public enum KernelAvailability {
    /// A one-line description of the strategy's kernel and its conditions, or nil when it has none.
    public static func kernel(for name: String) -> String? {
        switch name {
        case "momentum":
            return "IntradayKernel (rule momentum): one symbol of intraday bars, NYSE calendar session policy with flatten at "
                + "close, worst intrabar policy; equal to the engine (property-tested)."
        case "open-10am", "open-10am-stop", "vwap-momentum":
            return "IntradayKernel (rule \(name == "vwap-momentum" ? "vwap-momentum" : "open-10am")): one symbol of intraday bars, NYSE "
                + "calendar session policy with flatten at close, worst intrabar policy; equal to the engine (property-tested)."
        case "sma-cross":
            return "SMACrossKernel: one symbol, next-open fills; equal to the engine (property-tested)."
        case "rsi2":
            return "RSI2Kernel: one symbol, next-open fills, no filters and no hedge; equal to the engine (property-tested)."
        default: return nil
        }
    }

    /// True when the strategy's kernel reproduces an engine run of `name` with `parameters` on `data` under
    /// `config` exactly: the optimizer uses the kernel then, and the engine otherwise.
    ///
    /// Common conditions: one symbol without corporate actions in the data (the engine rescales positions on
    /// splits and credits dividends; the kernels do not — load with `--adjust split-dividend` to use a kernel on such
    /// a symbol), cash account, fractional shares, no volume cap, no period bounds, no financing, commission only as a
    /// percent of value (`CommissionModel.percentOfValue`), slippage none or in bps.
    public static func supports(_ name: String, parameters: StrategyParameters, config: BacktestConfig, data: MarketDataset) -> Bool {
        guard data.count == 1, !hasCorporateActions(data.series[0]) else { return false }
        return supports(name, parameters: parameters, config: config)
    }

    /// True when `series` has a split coefficient other than 1 or a dividend other than 0 on any bar.
    public static func hasCorporateActions(_ series: BarSeries) -> Bool {
        if let s = series.splitCoefficient, s.contains(where: { $0 != 1 }) { return true }
        if let d = series.dividend, d.contains(where: { $0 != 0 }) { return true }
        return false
    }

    /// The settings part of `supports(_:parameters:config:data:)`, for one symbol without corporate actions
    /// (callers that checked the data once use it per parameter set).
    public static func supports(_ name: String, parameters: StrategyParameters, config: BacktestConfig) -> Bool {
        guard kernel(for: name) != nil, config.account == .cash, !config.wholeShares,
              config.volumeParticipation == nil, config.from == nil, config.to == nil, config.financing == .none else { return false }
        let c = config.commission
        guard c.perShare == 0, c.fixed == 0, c.minimum == 0, c.maximum == .infinity, c.maximumPercent == .infinity,
              c.percent >= 0, c.percent < 1 else { return false }
        switch config.slippage {
        case .none, .basisPoints: break
        case .halfSpread: return false
        }
        switch name {
        case "momentum", "open-10am", "open-10am-stop", "vwap-momentum":
            return config.session.flattenAtClose && config.session.calendar is NYSECalendar && config.session.zone == .newYork
                && config.intrabar == .worst
        case "sma-cross":
            return config.fillTiming == .nextOpen && config.session.calendar == nil && config.session.hours == nil
        case "rsi2":
            return config.fillTiming == .nextOpen && config.session.calendar == nil && config.session.hours == nil
                && !parameters.bool("filter_vwap") && !parameters.bool("filter_trend") && parameters.real("min_volume") == 0
                && !parameters.bool("filter_bollinger") && parameters.string("hedge_symbol").isEmpty
        default:
            return false
        }
    }

    /// The `IntradayKernel` rule of an intraday catalog strategy (nil for the others). `vwap-momentum`'s
    /// `reference_time` parameter is the kernel's `referenceTime`; `open-10am` runs with stop 0.
    public static func intradayRule(for name: String) -> IntradayEntryRule? {
        switch name {
        case "momentum": return .momentum
        case "open-10am", "open-10am-stop": return .openAbove
        case "vwap-momentum": return .vwapMomentum
        default: return nil
        }
    }

    /// The kernel's costs for a supported `config`.
    public static func costs(of config: BacktestConfig) -> KernelCosts {
        var bps = 0.0
        if case .basisPoints(let b) = config.slippage { bps = b }
        return KernelCosts(commission: config.commission.percent, slippageBps: bps)
    }
}
