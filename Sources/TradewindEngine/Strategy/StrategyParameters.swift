/// A validated set of parameter values for one strategy, every declared parameter present.
public struct StrategyParameters: Sendable, Hashable, CustomStringConvertible {
    public let specs: [ParameterSpec]
    public private(set) var values: [String: ParameterValue]

    /// The defaults of `specs`.
    public init(defaultsOf specs: [ParameterSpec]) {
        self.specs = specs
        var v: [String: ParameterValue] = [:]
        for s in specs { v[s.name] = s.defaultValue }
        values = v
    }

    /// Defaults overridden by typed values; unknown names and out-of-range values are errors.
    public init(specs: [ParameterSpec], strategy: String, values overrides: [String: ParameterValue]) throws(ParameterError) {
        self.init(defaultsOf: specs)
        for (name, value) in overrides.sorted(by: { $0.key < $1.key }) {
            guard let spec = specs.first(where: { $0.name == name }) else {
                throw ParameterError.unknown(name: name, strategy: strategy, known: specs.map(\.name))
            }
            try spec.validate(value)
            values[name] = value
        }
    }

    /// Defaults overridden by `name=value` texts from a command line.
    public init(specs: [ParameterSpec], strategy: String, parsing overrides: [String: String]) throws(ParameterError) {
        var typed: [String: ParameterValue] = [:]
        for (name, text) in overrides {
            guard let spec = specs.first(where: { $0.name == name }) else {
                throw ParameterError.unknown(name: name, strategy: strategy, known: specs.map(\.name))
            }
            typed[name] = try spec.parse(text)
        }
        try self.init(specs: specs, strategy: strategy, values: typed)
    }

    public subscript(name: String) -> ParameterValue? { values[name] }

    /// Overrides one parameter, validated exactly as `init(specs:strategy:values:)` validates an override
    /// (unknown name, then the spec's range); on error nothing changes.
    public mutating func set(_ name: String, to value: ParameterValue, strategy: String) throws(ParameterError) {
        guard let spec = specs.first(where: { $0.name == name }) else {
            throw ParameterError.unknown(name: name, strategy: strategy, known: specs.map(\.name))
        }
        try spec.validate(value)
        values[name] = value
    }

    /// Typed getters. They trap on a name the strategy did not declare (a programming error, not user input).
    public func int(_ name: String) -> Int {
        guard case .int(let v) = value(name) else { preconditionFailure("parameter \(name) is not an int") }
        return v
    }

    public func real(_ name: String) -> Double {
        switch value(name) {
        case .real(let v): return v
        case .int(let v): return Double(v)
        default: preconditionFailure("parameter \(name) is not a real")
        }
    }

    public func bool(_ name: String) -> Bool {
        guard case .bool(let v) = value(name) else { preconditionFailure("parameter \(name) is not a bool") }
        return v
    }

    public func choice(_ name: String) -> String {
        guard case .choice(let v) = value(name) else { preconditionFailure("parameter \(name) is not a choice") }
        return v
    }

    /// A text or path parameter's value (empty when its default "not set" was kept).
    public func string(_ name: String) -> String {
        guard case .string(let v) = value(name) else { preconditionFailure("parameter \(name) is not a string") }
        return v
    }

    /// Minutes after local midnight.
    public func timeOfDay(_ name: String) -> Int {
        guard case .timeOfDay(let v) = value(name) else { preconditionFailure("parameter \(name) is not a time of day") }
        return v
    }

    private func value(_ name: String) -> ParameterValue {
        guard let v = values[name] else { preconditionFailure("undeclared parameter \(name)") }
        return v
    }

    public var description: String {
        specs.map { "\($0.name)=\(values[$0.name]?.description ?? "?")" }.joined(separator: " ")
    }
}
