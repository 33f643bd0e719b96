/// A validated set of parameter values for one strategy, every declared parameter present.
///
/// The values are kept in the order of `specs` (a name is looked up by a scan of a handful of short names, cheaper
/// than hashing it): the optimizer builds one of these per trial, hundreds of thousands a second.
public struct StrategyParameters: Sendable, Hashable, CustomStringConvertible {
    public let specs: [ParameterSpec]
    /// `slots[i]` is the value of `specs[i].name`. A name declared twice has its value at its first spec's slot.
    private var slots: [ParameterValue]

    /// Every parameter's value by name.
    public var values: [String: ParameterValue] {
        var v: [String: ParameterValue] = [:]
        for s in specs { v[s.name] = slots[slot(of: s.name)!] }
        return v
    }

    /// The defaults of `specs` (a name declared twice takes its last spec's default).
    public init(defaultsOf specs: [ParameterSpec]) {
        self.specs = specs
        slots = specs.map(\.defaultValue)
        for s in specs { slots[slot(of: s.name)!] = s.defaultValue }
    }

    /// Defaults overridden by typed values; unknown names and out-of-range values are errors.
    public init(specs: [ParameterSpec], strategy: String, values overrides: [String: ParameterValue]) throws(ParameterError) {
        self.init(defaultsOf: specs)
        for (name, value) in overrides.sorted(by: { $0.key < $1.key }) {
            try set(name, to: value, strategy: strategy)
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

    public subscript(name: String) -> ParameterValue? { slot(of: name).map { slots[$0] } }

    /// The index of the first spec named `name`.
    @inline(__always) private func slot(of name: String) -> Int? {
        specs.firstIndex { $0.name == name }
    }

    /// Overrides one parameter, validated exactly as `init(specs:strategy:values:)` validates an override
    /// (unknown name, then the spec's range); on error nothing changes.
    public mutating func set(_ name: String, to value: ParameterValue, strategy: String) throws(ParameterError) {
        guard let i = slot(of: name) else {
            throw ParameterError.unknown(name: name, strategy: strategy, known: specs.map(\.name))
        }
        try specs[i].validate(value)
        slots[i] = value
    }

    /// Typed getters. A name the strategy did not declare, or a value of another type, is a
    /// `ParameterError` naming the parameter and what was expected; never a trap.
    public func int(_ name: String) throws(ParameterError) -> Int {
        guard case .int(let v) = try value(name) else { throw wrongType(name, "an integer") }
        return v
    }

    /// A real parameter's value (an integer value is widened).
    public func real(_ name: String) throws(ParameterError) -> Double {
        switch try value(name) {
        case .real(let v): return v
        case .int(let v): return Double(v)
        default: throw wrongType(name, "a number")
        }
    }

    public func bool(_ name: String) throws(ParameterError) -> Bool {
        guard case .bool(let v) = try value(name) else { throw wrongType(name, "true or false") }
        return v
    }

    public func choice(_ name: String) throws(ParameterError) -> String {
        guard case .choice(let v) = try value(name) else { throw wrongType(name, "a choice") }
        return v
    }

    /// A text or path parameter's value (empty when its default "not set" was kept).
    public func string(_ name: String) throws(ParameterError) -> String {
        guard case .string(let v) = try value(name) else { throw wrongType(name, "a text") }
        return v
    }

    /// Minutes after local midnight.
    public func timeOfDay(_ name: String) throws(ParameterError) -> Int {
        guard case .timeOfDay(let v) = try value(name) else { throw wrongType(name, "a time of day HH:MM") }
        return v
    }

    private func value(_ name: String) throws(ParameterError) -> ParameterValue {
        guard let i = slot(of: name) else { throw .undeclared(name: name, declared: specs.map(\.name)) }
        return slots[i]
    }

    private func wrongType(_ name: String, _ expected: String) -> ParameterError {
        .wrongType(name: name, value: self[name]?.description ?? "", expected: expected)
    }

    public var description: String {
        specs.map { "\($0.name)=\(self[$0.name]?.description ?? "?")" }.joined(separator: " ")
    }
}
