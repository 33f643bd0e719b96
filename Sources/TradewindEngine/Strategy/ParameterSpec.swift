/// A value of a strategy parameter.
public enum ParameterValue: Sendable, Hashable, CustomStringConvertible {
    case int(Int)
    case real(Double)
    case bool(Bool)
    case choice(String)
    /// Minutes after local midnight (600 = 10:00).
    case timeOfDay(Int)

    public var description: String {
        switch self {
        case .int(let v): return String(v)
        case .real(let v): return String(v)
        case .bool(let v): return String(v)
        case .choice(let v): return v
        case .timeOfDay(let m): return String(format2(m / 60)) + ":" + format2(m % 60)
        }
    }
}

private func format2(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }

/// The type and valid values of a parameter.
public enum ParameterKind: Sendable, Hashable {
    case int(ClosedRange<Int>)
    case real(ClosedRange<Double>)
    case bool
    case choice([String])
    /// A local time of day, in minutes after midnight, within the range.
    case timeOfDay(ClosedRange<Int>)

    public var typeName: String {
        switch self {
        case .int: return "int"
        case .real: return "real"
        case .bool: return "bool"
        case .choice: return "choice"
        case .timeOfDay: return "time-of-day"
        }
    }

    /// The valid values, in words (`5...200`, `one of worst, path`).
    public var validValues: String {
        switch self {
        case .int(let r): return "an integer in \(r.lowerBound)...\(r.upperBound)"
        case .real(let r): return "a number in \(r.lowerBound)...\(r.upperBound)"
        case .bool: return "true or false"
        case .choice(let c): return "one of " + c.joined(separator: ", ")
        case .timeOfDay(let r):
            return "a time HH:MM in \(ParameterValue.timeOfDay(r.lowerBound))...\(ParameterValue.timeOfDay(r.upperBound))"
        }
    }
}

/// What a strategy declares about one parameter, so the CLI, the optimizer and a UI can list and validate it.
public struct ParameterSpec: Sendable, Hashable {
    public let name: String
    public let kind: ParameterKind
    public let defaultValue: ParameterValue
    public let description: String

    public init(_ name: String, _ kind: ParameterKind, default defaultValue: ParameterValue, _ description: String) {
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue
        self.description = description
    }

    /// Checks that `value` has this parameter's type and lies in its range.
    public func validate(_ value: ParameterValue) throws(ParameterError) {
        let ok: Bool
        switch (kind, value) {
        case (.int(let r), .int(let v)): ok = r.contains(v)
        case (.real(let r), .real(let v)): ok = v.isFinite && r.contains(v)
        case (.real(let r), .int(let v)): ok = r.contains(Double(v))
        case (.bool, .bool): ok = true
        case (.choice(let c), .choice(let v)): ok = c.contains(v)
        case (.timeOfDay(let r), .timeOfDay(let v)): ok = r.contains(v)
        default:
            throw ParameterError.wrongType(name: name, value: value.description, expected: kind.validValues)
        }
        if !ok { throw ParameterError.outOfRange(name: name, value: value.description, valid: kind.validValues) }
    }

    /// Parses command-line text (`20`, `0.5`, `true`, `worst`, `10:00`) as this parameter's type.
    public func parse(_ text: String) throws(ParameterError) -> ParameterValue {
        let t = text.trimmingCharacters(in: " ")
        let value: ParameterValue?
        switch kind {
        case .int: value = Int(t).map(ParameterValue.int)
        case .real: value = Double(t).flatMap { $0.isFinite ? ParameterValue.real($0) : nil }
        case .bool:
            switch t.lowercased() {
            case "true", "yes", "1", "on": value = .bool(true)
            case "false", "no", "0", "off": value = .bool(false)
            default: value = nil
            }
        case .choice: value = .choice(t)
        case .timeOfDay:
            let parts = t.split(separator: ":")
            if parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]), (0..<24).contains(h), (0..<60).contains(m) {
                value = .timeOfDay(h * 60 + m)
            } else { value = nil }
        }
        guard let v = value else {
            throw ParameterError.wrongType(name: name, value: text, expected: kind.validValues)
        }
        try validate(v)
        return v
    }
}

extension String {
    fileprivate func trimmingCharacters(in c: Character) -> String {
        var s = Substring(self)
        while s.first == c { s.removeFirst() }
        while s.last == c { s.removeLast() }
        return String(s)
    }
}

/// A parameter problem, naming the parameter, the value and what is valid.
public enum ParameterError: Error, Equatable, CustomStringConvertible {
    case unknown(name: String, strategy: String, known: [String])
    case outOfRange(name: String, value: String, valid: String)
    case wrongType(name: String, value: String, expected: String)
    /// A rule across several parameters (e.g. fast < slow).
    case inconsistent(String)

    public var description: String {
        switch self {
        case .unknown(let n, let s, let k):
            return "unknown parameter '\(n)' for strategy \(s); its parameters are: \(k.joined(separator: ", "))"
        case .outOfRange(let n, let v, let valid): return "parameter '\(n)' = \(v) is out of range; expected \(valid)"
        case .wrongType(let n, let v, let e): return "parameter '\(n)' = '\(v)' is not valid; expected \(e)"
        case .inconsistent(let why): return "inconsistent parameters: \(why)"
        }
    }
}
