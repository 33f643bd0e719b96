/// A value of a strategy parameter.
public enum ParameterValue: Sendable, Hashable, CustomStringConvertible {
    case int(Int)
    case real(Double)
    case bool(Bool)
    case choice(String)
    /// Minutes after local midnight (600 = 10:00).
    case timeOfDay(Int)
    /// Text: a symbol, a file path (`ParameterKind.string` and `.path`). Empty only as a default meaning "none".
    case string(String)

    public var description: String {
        switch self {
        case .int(let v): return String(v)
        case .real(let v): return String(v)
        case .bool(let v): return String(v)
        case .choice(let v): return v
        case .timeOfDay(let m): return String(format2(m / 60)) + ":" + format2(m % 60)
        case .string(let v): return v
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
    /// Non-empty text (a symbol name). An empty default means "not set".
    case string
    /// The path of an existing file (checked when the value is given).
    case path

    public var typeName: String {
        switch self {
        case .int: return "int"
        case .real: return "real"
        case .bool: return "bool"
        case .choice: return "choice"
        case .timeOfDay: return "time-of-day"
        case .string: return "string"
        case .path: return "path"
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
        case .string: return "a non-empty text"
        case .path: return "the path of an existing file"
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

    /// Checks that `value` has this parameter's type and lies in its range (texts: non-empty; paths: an
    /// existing file).
    public func validate(_ value: ParameterValue) throws(ParameterError) {
        let ok: Bool
        switch (kind, value) {
        case (.string, .string(let v)): ok = !v.isEmpty
        case (.path, .string(let v)):
            guard !v.isEmpty else { throw ParameterError.outOfRange(name: name, value: "''", valid: kind.validValues) }
            guard FileCheck.isReadableFile(v) else { throw ParameterError.fileNotFound(name: name, path: v) }
            ok = true
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
        case .string, .path: value = .string(t)
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
extension ParameterSpec {
    /// The value type of a spec (a name for modules that have a `ParameterValue` of their own).
    public typealias Value = ParameterValue
}

public enum ParameterError: Error, Equatable, CustomStringConvertible {
    case unknown(name: String, strategy: String, known: [String])
    case outOfRange(name: String, value: String, valid: String)
    case wrongType(name: String, value: String, expected: String)
    /// A rule across several parameters (e.g. fast < slow).
    case inconsistent(String)
    /// A path parameter naming no readable file.
    case fileNotFound(name: String, path: String)
    /// A required parameter (a path without a default) was not given.
    case missing(name: String, expected: String)
    /// A path parameter's file exists but cannot be used (the reader's message says where and why).
    case badFile(name: String, detail: String)
    /// Code asked for a parameter the strategy does not declare (a mistyped name in a strategy's source).
    case undeclared(name: String, declared: [String])

    public var description: String {
        switch self {
        case .unknown(let n, let s, let k):
            return "unknown parameter '\(n)' for strategy \(s); its parameters are: \(k.joined(separator: ", "))"
        case .outOfRange(let n, let v, let valid): return "parameter '\(n)' = \(v) is out of range; expected \(valid)"
        case .wrongType(let n, let v, let e): return "parameter '\(n)' = '\(v)' is not valid; expected \(e)"
        case .inconsistent(let why): return "inconsistent parameters: \(why)"
        case .fileNotFound(let n, let p): return "parameter '\(n)' = '\(p)': no such readable file; give the path of an existing file"
        case .missing(let n, let e): return "parameter '\(n)' is required: give \(n)=… (\(e))"
        case .badFile(let n, let d): return "parameter '\(n)': \(d)"
        case .undeclared(let n, let d):
            return "parameter '\(n)' is not declared; the declared parameters are: \(d.joined(separator: ", "))"
        }
    }
}
