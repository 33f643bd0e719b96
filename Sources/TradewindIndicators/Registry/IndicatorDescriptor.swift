import TradewindCore

/// The indicator families, named as TA-Lib groups them (plus Tradewind's extras).
public enum IndicatorGroup: String, Sendable, CaseIterable, Codable {
    case overlap = "Overlap Studies"
    case momentum = "Momentum Indicators"
    case volume = "Volume Indicators"
    case volatility = "Volatility Indicators"
    case priceTransform = "Price Transform"
    case statistics = "Statistic Functions"
    case cycle = "Cycle Indicators"
    case mathOperators = "Math Operators"
    case mathTransform = "Math Transform"
    /// Candlestick patterns (a later issue): each is a `StreamingIndicator` over `OHLCV` with one "integer" output.
    case patternRecognition = "Pattern Recognition"
    case extras = "Tradewind Extras"
}

/// The column an indicator input reads by default.
public enum InputColumn: String, Sendable, CaseIterable, Codable {
    case open, high, low, close, volume
    /// Session id per bar (a new session starts where the id changes).
    case session
    /// Per-bar periods (MAVP).
    case periods
}

/// One input of an indicator: its TA-Lib name and the column it reads by default.
public struct InputSpec: Sendable, Equatable, Codable {
    public var name: String
    public var column: InputColumn
}

/// How a parameter's value is interpreted.
public enum IndicatorParameterKind: String, Sendable, Codable {
    case integer
    case real
    /// A TA-Lib moving-average type number 0...13 (`MAType`: 0 SMA, 1 EMA, 2 WMA, 3 DEMA, 4 TEMA, 5 TRIMA,
    /// 6 KAMA, 7 MAMA, 8 T3, 9 HMA, 10 DISABLED, 11 DEFAULT, 12 ZLEMA, 13 RMA).
    case maType = "matype"
}

/// One parameter: TA-Lib's (Python wrapper's) name, kind, default and valid range.
public struct IndicatorParameter: Sendable, Equatable, Codable {
    public var name: String
    public var kind: IndicatorParameterKind
    public var defaultValue: Double
    public var minimum: Double
    public var maximum: Double

    /// Checks one value against kind and range.
    public func validate(_ value: Double, indicator: String) throws(IndicatorError) {
        let shownRange: String
        switch kind {
        case .integer, .maType: shownRange = "\(Int(minimum))...\(Int(maximum))"
        case .real: shownRange = "\(minimum)...\(maximum)"
        }
        guard value.isFinite, value >= minimum, value <= maximum else {
            throw .invalidParameter(indicator: indicator, parameter: name, value: value,
                                    valid: kind == .maType ? MAType.validDescription : shownRange)
        }
        if kind != .real && value != value.rounded() {
            throw .invalidParameter(indicator: indicator, parameter: name, value: value,
                                    valid: "an integer in \(kind == .maType ? MAType.validDescription : shownRange)")
        }
    }
}

/// Parameter values resolved against a descriptor: every parameter present (defaults filled in) and valid.
public struct ResolvedParameters: Sendable, Equatable {
    public let values: [String: Double]
    public func int(_ name: String) -> Int { Int(values[name]!) }
    public func real(_ name: String) -> Double { values[name]! }
    public func maType(_ name: String) -> MAType { MAType(rawValue: Int(values[name]!))! }
}

/// Describes one indicator for discovery (CLI, optimizer, UI) and computes it by name.
public struct IndicatorDescriptor: Sendable {
    public let name: String
    public let group: IndicatorGroup
    public let summary: String
    public let inputs: [InputSpec]
    public let parameters: [IndicatorParameter]
    public let outputs: [String]
    let makeBatch: @Sendable ([[Double]], ResolvedParameters, ThreadBudget) throws -> [[Double]]
    let makeStream: @Sendable (ResolvedParameters) throws -> AnyIndicatorStream

    /// Fills in defaults and validates every value; unknown names are refused.
    public func resolve(_ given: [String: Double] = [:]) throws(IndicatorError) -> ResolvedParameters {
        for key in given.keys where !parameters.contains(where: { $0.name == key }) {
            throw .unknownParameter(indicator: name, parameter: key, known: parameters.map(\.name))
        }
        var values: [String: Double] = [:]
        for p in parameters {
            let v = given[p.name] ?? p.defaultValue
            try p.validate(v, indicator: name)
            values[p.name] = v
        }
        return ResolvedParameters(values: values)
    }

    /// A fresh streaming state for these parameters.
    public func stream(_ parameters: [String: Double] = [:]) throws(IndicatorError) -> AnyIndicatorStream {
        let resolved = try resolve(parameters)
        return try rethrowing { try makeStream(resolved) }
    }

    /// Bars consumed before the first value, for these parameters.
    public func lookback(_ parameters: [String: Double] = [:]) throws(IndicatorError) -> Int {
        try stream(parameters).lookback
    }

    /// Computes the indicator over `inputs` (one column per `inputs` entry, equal lengths); returns one column
    /// per output, aligned to the input, NaN during the lookback. The core indicators' kernels compute long
    /// columns on more than one thread where `threads` allows it (default: every core); the values are the
    /// same on any budget.
    public func compute(_ inputs: [[Double]], parameters: [String: Double] = [:],
                        threads: ThreadBudget = .all) throws(IndicatorError) -> [[Double]] {
        guard inputs.count == self.inputs.count else {
            throw .inputCountMismatch(indicator: name, expected: self.inputs.map(\.name), got: inputs.count)
        }
        let lengths = inputs.map(\.count)
        guard Set(lengths).count <= 1 else { throw .inputLengthMismatch(indicator: name, lengths: lengths) }
        let resolved = try resolve(parameters)
        return try rethrowing { try makeBatch(inputs, resolved, threads) }
    }

    private func rethrowing<T>(_ body: () throws -> T) throws(IndicatorError) -> T {
        do {
            return try body()
        } catch let e as IndicatorError {
            throw e
        } catch {
            throw .invalidCombination(indicator: name, reason: "\(error)")
        }
    }
}

/// A type-erased streaming indicator (for callers that pick indicators by name). Each update takes one bar's
/// inputs in the descriptor's `inputs` order and returns the outputs, or nil inside the lookback.
public struct AnyIndicatorStream: Sendable {
    private var box: any ErasedStream

    init<S: StreamingIndicator>(_ state: S, adapt: @escaping @Sendable ([Double]) -> S.Input) {
        box = Eraser(state: state, adapt: adapt)
    }

    public var lookback: Int { box.lookback }

    public mutating func update(_ row: [Double]) -> [Double]? { box.update(row) }
}

private protocol ErasedStream: Sendable {
    var lookback: Int { get }
    mutating func update(_ row: [Double]) -> [Double]?
}

private struct Eraser<S: StreamingIndicator>: ErasedStream {
    var state: S
    let adapt: @Sendable ([Double]) -> S.Input
    var lookback: Int { state.lookback }
    mutating func update(_ row: [Double]) -> [Double]? {
        guard let v = state.update(adapt(row)) else { return nil }
        return (0..<S.Output.outputNames.count).map { v.component($0) }
    }
}
