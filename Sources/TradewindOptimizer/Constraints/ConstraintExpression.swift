/// A constraint between parameters, e.g. `fast<slow` or `sell_trigger>=buy_trigger/2`.
///
/// Grammar (spaces are ignored; `and`/`or` are keywords):
/// ```
/// condition  := conjunct (("or" | "||") conjunct)*
/// conjunct   := atom (("and" | "&&") atom)*
/// atom       := sum compare sum | "(" condition ")"
/// compare    := "<" | "<=" | ">" | ">=" | "==" | "!="
/// sum        := product (("+" | "-") product)*
/// product    := unary (("*" | "/") unary)*
/// unary      := "-" unary | number | name | "(" sum ")"
/// ```
/// Names must be numeric parameters of the space. The expression is compiled once into a tree
/// of closures reading a point's coordinates; evaluating it allocates nothing. Arithmetic is IEEE
/// double: a division by zero gives ±inf or NaN, and any comparison with NaN is false (the point
/// is then infeasible).
public struct ConstraintExpression: Sendable, CustomStringConvertible {
    /// The expression as written.
    public let text: String
    /// The parameters it reads (dimension indices in the space it was compiled for).
    public let dimensions: [Int]
    @usableFromInline let test: @Sendable (UnsafeBufferPointer<Double>) -> Bool

    public var description: String { text }

    /// Parses and compiles `text` against `space`.
    public init(_ text: String, space: ParameterSpace) throws(OptimizerError) {
        var parser = ConstraintParser(text: text, space: space)
        let node = try parser.parseTop()
        self.text = text
        self.dimensions = Array(Set(parser.usedDimensions)).sorted()
        self.test = node
    }

    /// True when the point with these coordinates satisfies the constraint.
    @inlinable
    public func isSatisfied(coordinates: UnsafeBufferPointer<Double>) -> Bool { test(coordinates) }

    /// True when `point` satisfies the constraint.
    public func isSatisfied(_ point: ParameterPoint) -> Bool {
        point.coordinates.withUnsafeBufferPointer { test($0) }
    }
}

// MARK: - Lexer

enum ConstraintToken: Equatable {
    case number(Double)
    case name(String)
    case op(String)     // + - * / < <= > >= == != && || ( )
    case end
}

struct ConstraintLexer {
    static func tokens(_ text: String) throws(OptimizerError) -> [(ConstraintToken, Int)] {
        let s = Array(text.unicodeScalars)
        var out: [(ConstraintToken, Int)] = []
        var i = 0
        func isNameStart(_ c: Unicode.Scalar) -> Bool { c == "_" || (c.isASCII && c.properties.isAlphabetic) }
        func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }
        while i < s.count {
            let c = s[i]
            let col = i + 1
            if c == " " || c == "\t" { i += 1; continue }
            if isDigit(c) || (c == "." && i + 1 < s.count && isDigit(s[i + 1])) {
                var j = i
                while j < s.count && (isDigit(s[j]) || s[j] == ".") { j += 1 }
                if j < s.count && (s[j] == "e" || s[j] == "E") {
                    var k = j + 1
                    if k < s.count && (s[k] == "+" || s[k] == "-") { k += 1 }
                    if k < s.count && isDigit(s[k]) {
                        while k < s.count && isDigit(s[k]) { k += 1 }
                        j = k
                    }
                }
                let lit = String(String.UnicodeScalarView(s[i..<j]))
                guard let v = Double(lit), v.isFinite else {
                    throw .invalidConstraint(expression: text, column: col, reason: "'\(lit)' is not a number")
                }
                out.append((.number(v), col))
                i = j
                continue
            }
            if isNameStart(c) {
                var j = i
                while j < s.count && (isNameStart(s[j]) || isDigit(s[j])) { j += 1 }
                let word = String(String.UnicodeScalarView(s[i..<j]))
                switch word {
                case "and": out.append((.op("&&"), col))
                case "or": out.append((.op("||"), col))
                default: out.append((.name(word), col))
                }
                i = j
                continue
            }
            let two = i + 1 < s.count ? String(String.UnicodeScalarView(s[i...(i + 1)])) : ""
            if ["<=", ">=", "==", "!=", "&&", "||"].contains(two) {
                out.append((.op(two), col))
                i += 2
                continue
            }
            if "+-*/<>()".unicodeScalars.contains(c) {
                out.append((.op(String(c)), col))
                i += 1
                continue
            }
            let hint = c == "=" ? " (use == to compare)" : ""
            throw .invalidConstraint(expression: text, column: col, reason: "unexpected character '\(c)'\(hint)")
        }
        out.append((.end, s.count + 1))
        return out
    }
}

// MARK: - Parser and compiler

typealias NumericNode = @Sendable (UnsafeBufferPointer<Double>) -> Double
typealias BoolNode = @Sendable (UnsafeBufferPointer<Double>) -> Bool

struct ConstraintParser {
    let text: String
    let space: ParameterSpace
    var tokens: [(ConstraintToken, Int)] = []
    var pos = 0
    var usedDimensions: [Int] = []

    init(text: String, space: ParameterSpace) {
        self.text = text
        self.space = space
    }

    var current: ConstraintToken { tokens[pos].0 }
    var column: Int { tokens[pos].1 }

    func fail(_ reason: String) -> OptimizerError {
        .invalidConstraint(expression: text, column: column, reason: reason)
    }

    func describe(_ t: ConstraintToken) -> String {
        switch t {
        case let .number(v): return "number \(v)"
        case let .name(n): return "'\(n)'"
        case let .op(o): return "'\(o)'"
        case .end: return "end of expression"
        }
    }

    /// Limits that keep parsing and evaluation (both recursive) far from the end of a thread's stack: a
    /// constraint is a short formula, and `((((…` or `a+a+…+a` thousands deep would otherwise crash the process.
    static let maxTokens = 500
    static let maxNesting = 64

    mutating func parseTop() throws(OptimizerError) -> BoolNode {
        tokens = try ConstraintLexer.tokens(text)
        if current == .end { throw fail("empty constraint") }
        if tokens.count - 1 > Self.maxTokens {
            throw .invalidConstraint(expression: String(text.prefix(80)) + "…", column: tokens[Self.maxTokens].1,
                                     reason: "more than \(Self.maxTokens) numbers, names and operators; write a shorter constraint")
        }
        var depth = 0
        for (token, column) in tokens {
            if token == .op("(") { depth += 1 } else if token == .op(")") { depth -= 1 }
            if depth > Self.maxNesting {
                throw .invalidConstraint(expression: String(text.prefix(80)) + "…", column: column,
                                         reason: "parentheses nested more than \(Self.maxNesting) deep; write a flatter constraint")
            }
        }
        let node = try parseCondition()
        guard current == .end else { throw fail("unexpected \(describe(current))") }
        return node
    }

    mutating func parseCondition() throws(OptimizerError) -> BoolNode {
        var left = try parseConjunct()
        while current == .op("||") {
            pos += 1
            let l = left
            let r = try parseConjunct()
            left = { l($0) || r($0) }
        }
        return left
    }

    mutating func parseConjunct() throws(OptimizerError) -> BoolNode {
        var left = try parseAtom()
        while current == .op("&&") {
            pos += 1
            let l = left
            let r = try parseAtom()
            left = { l($0) && r($0) }
        }
        return left
    }

    /// A comparison, or a parenthesised condition. A parenthesis may also open an arithmetic
    /// group (`(a+b)/2 < c`), so try the condition first and fall back to arithmetic.
    mutating func parseAtom() throws(OptimizerError) -> BoolNode {
        if current == .op("(") {
            let save = pos
            let saveUsed = usedDimensions
            pos += 1
            if let cond = try? parseCondition(), current == .op(")") {
                pos += 1
                if !isComparison(current) && !isArithmetic(current) { return cond }
            }
            pos = save
            usedDimensions = saveUsed
        }
        let left = try parseSum()
        guard case let .op(o) = current, isComparison(current) else {
            throw fail("expected a comparison (<, <=, >, >=, ==, !=) but found \(describe(current))")
        }
        pos += 1
        let right = try parseSum()
        switch o {
        case "<": return { left($0) < right($0) }
        case "<=": return { left($0) <= right($0) }
        case ">": return { left($0) > right($0) }
        case ">=": return { left($0) >= right($0) }
        case "==": return { left($0) == right($0) }
        default: return { left($0) != right($0) }
        }
    }

    func isComparison(_ t: ConstraintToken) -> Bool {
        if case let .op(o) = t { return ["<", "<=", ">", ">=", "==", "!="].contains(o) }
        return false
    }

    func isArithmetic(_ t: ConstraintToken) -> Bool {
        if case let .op(o) = t { return ["+", "-", "*", "/"].contains(o) }
        return false
    }

    mutating func parseSum() throws(OptimizerError) -> NumericNode {
        var left = try parseProduct()
        while current == .op("+") || current == .op("-") {
            let plus = current == .op("+")
            pos += 1
            let l = left
            let r = try parseProduct()
            if plus { left = { l($0) + r($0) } } else { left = { l($0) - r($0) } }
        }
        return left
    }

    mutating func parseProduct() throws(OptimizerError) -> NumericNode {
        var left = try parseUnary()
        while current == .op("*") || current == .op("/") {
            let times = current == .op("*")
            pos += 1
            let l = left
            let r = try parseUnary()
            if times { left = { l($0) * r($0) } } else { left = { l($0) / r($0) } }
        }
        return left
    }

    mutating func parseUnary() throws(OptimizerError) -> NumericNode {
        switch current {
        case .op("-"):
            pos += 1
            let inner = try parseUnary()
            return { -inner($0) }
        case let .number(v):
            pos += 1
            return { _ in v }
        case let .name(n):
            guard let i = space.index(of: n) else {
                throw .unknownConstraintName(expression: text, name: n, column: column, known: space.names)
            }
            let dim = space.dimensions[i]
            guard dim.isNumeric else {
                throw .nonNumericConstraintName(expression: text, name: n, column: column)
            }
            usedDimensions.append(i)
            pos += 1
            switch dim.domain {
            case let .stepped(r): return { r.value(Int($0[i])) }
            case .continuous: return { $0[i] }
            case let .levels(l, _): return { l[Int($0[i])] }
            case let .choices(c):
                let nums = c.map { $0.numeric ?? .nan }
                return { nums[Int($0[i])] }
            case let .fixed(v):
                let x = v.numeric ?? .nan
                return { _ in x }
            }
        case .op("("):
            pos += 1
            let inner = try parseSum()
            guard current == .op(")") else { throw fail("expected ')' but found \(describe(current))") }
            pos += 1
            return inner
        default:
            throw fail("expected a number, a parameter name or '(' but found \(describe(current))")
        }
    }
}
