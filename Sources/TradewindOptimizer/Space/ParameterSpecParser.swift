/// Parses the command line's parameter specs into dimensions.
///
/// Grammar (`name` is `[A-Za-z_][A-Za-z0-9_]*`; no spaces):
/// - `name=start:stop:step` — a stepped range, stop inclusive when it lands on a step; integers
///   when all three are integer literals (no decimal point or exponent), reals otherwise (exact
///   decimal rule, see `ExactDecimal`).
/// - `name=start:stop` — integer literals: integers with step 1; otherwise a **continuous** real
///   range for random/TPE search (a grid search rejects it: give a step).
/// - `name=log:low:high` — a continuous log-uniform range (random/TPE only).
/// - `name=log:low:high:count` — `count` geometrically spaced levels from low to high inclusive,
///   rounded to distinct integers when low and high are integer literals.
/// - `name=a,b,c` — choices (numbers or strings), unordered.
/// - `name=value` — a fixed value.
public enum ParameterSpecParser {
    /// Parses one spec.
    public static func parse(_ spec: String) throws(OptimizerError) -> ParameterDimension {
        guard let eq = spec.firstIndex(of: "=") else {
            throw .invalidSpec(spec: spec, reason: "missing '='")
        }
        let name = String(spec[..<eq])
        let body = String(spec[spec.index(after: eq)...])
        guard isIdentifier(name) else {
            throw .invalidSpec(spec: spec, reason: "'\(name)' is not a parameter name (letters, digits and _, not starting with a digit)")
        }
        guard !body.isEmpty else { throw .invalidSpec(spec: spec, reason: "no value after '='") }

        if body.contains(",") {
            let items = body.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard items.allSatisfy({ !$0.isEmpty }) else { throw .invalidSpec(spec: spec, reason: "empty choice") }
            return try ParameterDimension.choices(name, items.map(SearchValue.parse))
        }
        let parts = body.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        if parts.count == 1 {
            return .fixed(name, SearchValue.parse(body))
        }
        if parts[0] == "log" {
            guard parts.count == 3 || parts.count == 4 else {
                throw .invalidSpec(spec: spec, reason: "a log range is log:low:high or log:low:high:count")
            }
            let low = try number(parts[1], spec)
            let high = try number(parts[2], spec)
            if parts.count == 3 {
                return try ParameterDimension.continuous(name, low.doubleValue, high.doubleValue, logScale: true)
            }
            guard let count = Int(parts[3]) else {
                throw .invalidSpec(spec: spec, reason: "count '\(parts[3])' is not an integer")
            }
            guard count >= 1 else {
                throw .invalidArgument(name: "count of '\(name)'", value: parts[3], valid: "an integer ≥ 1")
            }
            return try ParameterDimension.logGrid(name, low.doubleValue, high.doubleValue, count: count,
                                                  integer: low.isInteger && high.isInteger)
        }
        guard parts.count == 2 || parts.count == 3 else {
            throw .invalidSpec(spec: spec, reason: "a range is start:stop:step or start:stop")
        }
        let start = try number(parts[0], spec)
        let stop = try number(parts[1], spec)
        // Reals when any literal is written with a decimal point or an exponent.
        let real = parts.contains { $0.contains(".") || $0.contains("e") || $0.contains("E") }
        if parts.count == 3 {
            let step = try number(parts[2], spec)
            return ParameterDimension(name: name, domain: .stepped(try SteppedRange(parameter: name, start: start, stop: stop, step: step, real: real)))
        }
        if !real {
            return ParameterDimension(name: name, domain: .stepped(try SteppedRange(parameter: name, start: start, stop: stop, step: ExactDecimal(1))))
        }
        return try ParameterDimension.continuous(name, start.doubleValue, stop.doubleValue)
    }

    /// Parses several specs into a space (duplicate names are an error).
    public static func parse(_ specs: [String]) throws(OptimizerError) -> ParameterSpace {
        var dims: [ParameterDimension] = []
        for s in specs { dims.append(try parse(s)) }
        return try ParameterSpace(dims)
    }

    static func number(_ text: String, _ spec: String) throws(OptimizerError) -> ExactDecimal {
        guard let d = ExactDecimal(text) else {
            throw .invalidSpec(spec: spec, reason: "'\(text)' is not a decimal number (at most 15 decimals)")
        }
        return d
    }

    /// `[A-Za-z_][A-Za-z0-9_]*`.
    public static func isIdentifier(_ s: String) -> Bool {
        guard let f = s.utf8.first else { return false }
        func letter(_ c: UInt8) -> Bool { (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95 }
        return letter(f) && s.utf8.allSatisfy { letter($0) || ($0 >= 48 && $0 <= 57) }
    }
}
