import Foundation

/// A stepped range `start, start+step, …` up to and including `stop` when it lands on a step,
/// held as integers at a common decimal scale (see `ExactDecimal` for the rounding rule).
public struct SteppedRange: Sendable, Hashable {
    /// `start · 10^scale`.
    public let startUnits: Int64
    /// `step · 10^scale`.
    public let stepUnits: Int64
    /// The number of values (≥ 1).
    public let count: Int
    /// Decimals shared by start and step.
    public let scale: Int

    /// True when values are reported as integers: every value is whole and the range was not
    /// declared real (`1.0:5.0:1.0` written with decimal points stays real).
    public let isInteger: Bool

    /// Builds `start:stop:step`; throws for step ≤ 0, stop < start or values that cannot be held
    /// exactly. `real` keeps whole-number values typed as reals.
    public init(parameter: String, start: ExactDecimal, stop: ExactDecimal, step: ExactDecimal, real: Bool = false) throws(OptimizerError) {
        guard step.mantissa > 0 else { throw .nonPositiveStep(parameter: parameter, step: step.description) }
        let scale = max(start.scale, stop.scale, step.scale)
        guard let s = start.rescaled(to: scale), let t = stop.rescaled(to: scale), let d = step.rescaled(to: scale) else {
            throw .emptyRange(parameter: parameter, reason: "\(start):\(stop):\(step) cannot be represented exactly (at most 15 decimals and 2^53 steps)")
        }
        guard t >= s else { throw .emptyRange(parameter: parameter, reason: "stop \(stop) is below start \(start)") }
        let n = (t - s) / d + 1
        guard n <= Int64(Int32.max) else {
            throw .emptyRange(parameter: parameter, reason: "\(n) values is more than a dimension may hold (2^31 - 1)")
        }
        self.startUnits = s
        self.stepUnits = d
        self.count = Int(n)
        self.scale = scale
        self.isInteger = scale == 0 && !real
    }

    /// The `k`-th value, `Double(startUnits + k·stepUnits) / 10^scale` (correctly rounded).
    @inlinable
    public func value(_ k: Int) -> Double {
        Double(startUnits + Int64(k) * stepUnits) / ExactDecimal.powerOfTen(scale)
    }

    public var start: ExactDecimal { ExactDecimal(mantissa: startUnits, scale: scale) }
    public var step: ExactDecimal { ExactDecimal(mantissa: stepUnits, scale: scale) }
    /// The last value (the stop, when it lands on a step).
    public var last: ExactDecimal { ExactDecimal(mantissa: startUnits + Int64(count - 1) * stepUnits, scale: scale) }
}

/// The set of values one parameter may take.
public enum ParameterDomain: Sendable, Hashable {
    /// `start:stop:step`, integers or reals.
    case stepped(SteppedRange)
    /// A continuous range for random and TPE search (no grid); `logScale` samples uniformly in log space.
    case continuous(low: Double, high: Double, logScale: Bool)
    /// An ascending list of numeric levels, e.g. a geometric (log-scale) grid.
    case levels([Double], integer: Bool)
    /// Unordered alternatives (numbers or strings).
    case choices([SearchValue])
    /// A single value, not searched.
    case fixed(SearchValue)
}

/// One searchable parameter: its name and domain.
public struct ParameterDimension: Sendable, Hashable {
    public let name: String
    public let domain: ParameterDomain

    public init(name: String, domain: ParameterDomain) {
        self.name = name
        self.domain = domain
    }

    // MARK: Constructors

    /// Integers `start, start+step, …, ≤ stop`.
    public static func integer(_ name: String, _ start: Int, _ stop: Int, step: Int = 1) throws(OptimizerError) -> ParameterDimension {
        ParameterDimension(name: name, domain: .stepped(try SteppedRange(
            parameter: name, start: ExactDecimal(start), stop: ExactDecimal(stop), step: ExactDecimal(step))))
    }

    /// Reals `start + k·step ≤ stop`, computed exactly from the shortest decimal forms of the arguments.
    public static func real(_ name: String, _ start: Double, _ stop: Double, step: Double) throws(OptimizerError) -> ParameterDimension {
        guard let a = ExactDecimal(start), let b = ExactDecimal(stop), let c = ExactDecimal(step) else {
            throw .invalidSpec(spec: "\(name)=\(start):\(stop):\(step)", reason: "bounds and step must be finite decimals")
        }
        if c.mantissa <= 0 { throw .nonPositiveStep(parameter: name, step: c.description) }
        return ParameterDimension(name: name, domain: .stepped(try SteppedRange(parameter: name, start: a, stop: b, step: c, real: true)))
    }

    /// A continuous range `[low, high]` (uniform, or log-uniform when `logScale`).
    public static func continuous(_ name: String, _ low: Double, _ high: Double, logScale: Bool = false) throws(OptimizerError) -> ParameterDimension {
        guard low.isFinite, high.isFinite else { throw .emptyRange(parameter: name, reason: "bounds must be finite") }
        guard high > low else { throw .emptyRange(parameter: name, reason: "high \(high) must be above low \(low)") }
        if logScale && low <= 0 { throw .emptyRange(parameter: name, reason: "a log range needs low > 0 (got \(low))") }
        return ParameterDimension(name: name, domain: .continuous(low: low, high: high, logScale: logScale))
    }

    /// `count` geometrically spaced levels from `low` to `high` inclusive:
    /// `level_k = exp(ln low + k·(ln high − ln low)/(count−1))`, with the end points exactly `low`
    /// and `high`. With `integer`, levels are rounded to the nearest integer and duplicates dropped.
    public static func logGrid(_ name: String, _ low: Double, _ high: Double, count: Int, integer: Bool) throws(OptimizerError) -> ParameterDimension {
        guard low.isFinite, high.isFinite, low > 0 else {
            throw .emptyRange(parameter: name, reason: "a log range needs finite bounds with low > 0 (got \(low))")
        }
        guard high >= low else { throw .emptyRange(parameter: name, reason: "high \(high) is below low \(low)") }
        guard count >= 1, count <= 1_000_000 else {
            throw .invalidArgument(name: "count of '\(name)'", value: String(count), valid: "1...1000000")
        }
        var levels: [Double] = []
        levels.reserveCapacity(count)
        if count == 1 || high == low {
            levels = [low]
        } else {
            let a = log(low)
            let b = log(high)
            for k in 0..<count {
                let v = k == 0 ? low : (k == count - 1 ? high : exp(a + Double(k) * (b - a) / Double(count - 1)))
                levels.append(v)
            }
        }
        if integer {
            var out: [Double] = []
            for v in levels {
                let r = v.rounded()
                if out.last != r { out.append(r) }
            }
            levels = out
        }
        return ParameterDimension(name: name, domain: .levels(levels, integer: integer))
    }

    /// Unordered alternatives; at least one, no duplicates.
    public static func choices(_ name: String, _ values: [SearchValue]) throws(OptimizerError) -> ParameterDimension {
        guard !values.isEmpty else { throw .emptyRange(parameter: name, reason: "no choices given") }
        guard Set(values).count == values.count else {
            throw .invalidSpec(spec: "\(name)=\(values.map(\.description).joined(separator: ","))", reason: "duplicate choices")
        }
        return ParameterDimension(name: name, domain: .choices(values))
    }

    /// A fixed value.
    public static func fixed(_ name: String, _ value: SearchValue) -> ParameterDimension {
        ParameterDimension(name: name, domain: .fixed(value))
    }

    // MARK: Values

    /// The number of discrete levels; nil for a continuous range.
    public var levelCount: Int? {
        switch domain {
        case let .stepped(r): return r.count
        case .continuous: return nil
        case let .levels(l, _): return l.count
        case let .choices(c): return c.count
        case .fixed: return 1
        }
    }

    /// True when the dimension takes numeric values (constraints may use it).
    public var isNumeric: Bool {
        switch domain {
        case .stepped, .continuous, .levels: return true
        case let .choices(c): return c.allSatisfy { $0.numeric != nil }
        case let .fixed(v): return v.numeric != nil
        }
    }

    /// True for a fixed value: not searched.
    public var isFixed: Bool {
        if case .fixed = domain { return true }
        return false
    }

    /// True when levels have an order in which "one step away" means something
    /// (stepped ranges, level lists, continuous ranges; not choices).
    public var isOrdered: Bool {
        switch domain {
        case .stepped, .continuous, .levels: return true
        case .choices, .fixed: return false
        }
    }

    /// The numeric value at `coordinate` (a level index for discrete dimensions); NaN for strings.
    @inlinable
    public func numericValue(_ coordinate: Double) -> Double {
        switch domain {
        case let .stepped(r): return r.value(Int(coordinate))
        case .continuous: return coordinate
        case let .levels(l, _): return l[Int(coordinate)]
        case let .choices(c): return c[Int(coordinate)].numeric ?? .nan
        case let .fixed(v): return v.numeric ?? .nan
        }
    }

    /// The typed value at `coordinate`.
    public func value(_ coordinate: Double) -> SearchValue {
        switch domain {
        case let .stepped(r):
            return r.isInteger ? .int(Int(r.startUnits + Int64(Int(coordinate)) * r.stepUnits)) : .real(r.value(Int(coordinate)))
        case .continuous:
            return .real(coordinate)
        case let .levels(l, integer):
            let v = l[Int(coordinate)]
            return integer ? .int(Int(v)) : .real(v)
        case let .choices(c):
            return c[Int(coordinate)]
        case let .fixed(v):
            return v
        }
    }

    /// The coordinate of `value`, when the dimension holds it.
    public func coordinate(of value: SearchValue) -> Double? {
        switch domain {
        case let .stepped(r):
            guard let x = value.numeric else { return nil }
            let k = ((x - r.value(0)) / r.step.doubleValue).rounded()
            guard k >= 0, k < Double(r.count), r.value(Int(k)) == x else { return nil }
            return k
        case let .continuous(low, high, _):
            guard let x = value.numeric, x >= low, x <= high else { return nil }
            return x
        case let .levels(l, _):
            guard let x = value.numeric, let i = l.firstIndex(of: x) else { return nil }
            return Double(i)
        case let .choices(c):
            if let i = c.firstIndex(of: value) { return Double(i) }
            if let x = value.numeric, let i = c.firstIndex(where: { $0.numeric == x }) { return Double(i) }
            return nil
        case let .fixed(v):
            return v == value || (v.numeric != nil && v.numeric == value.numeric) ? 0 : nil
        }
    }

    /// A spec text for this dimension. Stepped ranges, choices and fixed values parse back to the
    /// same dimension; level lists print as their values.
    public var spec: String {
        switch domain {
        case let .stepped(r):
            let f: (ExactDecimal) -> String = { d in
                r.isInteger || d.scale > 0 ? d.description : d.description + ".0"
            }
            return "\(name)=\(f(r.start)):\(f(r.last)):\(f(r.step))"
        case let .continuous(low, high, logScale): return "\(name)=\(logScale ? "log:" : "")\(low):\(high)"
        case let .levels(l, integer):
            return "\(name)=" + l.map { integer ? String(Int($0)) : String($0) }.joined(separator: ",")
        case let .choices(c): return "\(name)=" + c.map(\.description).joined(separator: ",")
        case let .fixed(v): return "\(name)=\(v)"
        }
    }
}
