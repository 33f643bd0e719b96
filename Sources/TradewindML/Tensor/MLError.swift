/// Everything that can go wrong in TradewindML, each case saying what was wrong and what was expected.
public enum MLError: Error, Equatable, CustomStringConvertible {
    /// Two operands (or an operand and a layer) disagree on shape.
    case shapeMismatch(op: String, detail: String)
    /// A shape itself is impossible (negative size, wrong element count, wrong rank).
    case invalidShape(op: String, detail: String)
    /// An argument is outside its valid range (axis, index, probability, learning rate…).
    case invalidArgument(name: String, value: String, expected: String)
    /// A tensor or loss holds NaN or infinity where a finite value is required.
    case nonFinite(what: String)
    /// A named weight is absent from a state dict or safetensors file.
    case missingTensor(name: String, expectedShape: [Int])
    /// A named weight has the wrong shape.
    case tensorShape(name: String, expected: [Int], found: [Int])
    /// A named weight has an unsupported or unexpected data type.
    case tensorDType(name: String, expected: String, found: String)
    /// A safetensors (or config) file is malformed or truncated.
    case corruptFile(path: String, detail: String)
    /// Reading or writing a file failed.
    case io(path: String, detail: String)
    /// Backpropagation was asked for something that is not on a tape.
    case notDifferentiable(detail: String)
    /// The compute backend cannot run on this machine (e.g. OpenBLAS is not installed); `detail` says what to install.
    case backendUnavailable(backend: String, detail: String)

    public var description: String {
        switch self {
        case let .shapeMismatch(op, d): return "\(op): shape mismatch: \(d)"
        case let .invalidShape(op, d): return "\(op): invalid shape: \(d)"
        case let .invalidArgument(n, v, e): return "\(n) = \(v) is invalid; expected \(e)"
        case let .nonFinite(w): return "\(w) contains NaN or infinity; check the inputs and the learning rate"
        case let .missingTensor(n, s): return "tensor '\(n)' (shape \(s)) is missing"
        case let .tensorShape(n, e, f): return "tensor '\(n)' has shape \(f); expected \(e)"
        case let .tensorDType(n, e, f): return "tensor '\(n)' has dtype \(f); expected \(e)"
        case let .corruptFile(p, d): return "\(p): not a valid file: \(d)"
        case let .io(p, d): return "\(p): \(d)"
        case let .notDifferentiable(d): return "cannot differentiate: \(d)"
        case let .backendUnavailable(b, d): return "the \(b) compute backend cannot run: \(d)"
        }
    }
}
