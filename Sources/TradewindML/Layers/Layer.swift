import TradewindCore
import Foundation

/// A layer: a value that names its weights as PyTorch's `state_dict` does (under `prefix`) and knows their
/// shapes and PyTorch's default initialisation. Weights live in a `StateDict`, read through a `ForwardPass`.
public protocol Layer: Sendable {
    /// The dotted path of this layer's weights, e.g. `"encoder.gru"` (empty for a top-level layer).
    var prefix: String { get }
    /// Each weight's full name and shape.
    var weightShapes: [(name: String, shape: [Int])] { get }
    /// Adds this layer's weights, initialised as PyTorch initialises them, to `weights`.
    func initialize<S: TensorScalar>(_ weights: inout StateDict<S>, generator: inout Xoshiro256StarStar)
}

extension Layer {
    /// The full name of the weight `local` under this layer's prefix.
    public func name(_ local: String) -> String { prefix.isEmpty ? local : prefix + "." + local }
}

/// PyTorch's default initialisers, drawn from Tradewind's seeded generator (the same distributions, not the
/// same numbers: load PyTorch's weights to reproduce a PyTorch model exactly).
enum Initializer {
    static func uniform<S: TensorScalar>(_ shape: [Int], bound: Double, _ g: inout Xoshiro256StarStar) -> Tensor<S> {
        let n = shape.reduce(1, *)
        return Tensor(uncheckedShape: shape, scalars: (0..<n).map { _ in S(g.uniform(-bound, bound)) })
    }
    static func normal<S: TensorScalar>(_ shape: [Int], _ g: inout Xoshiro256StarStar) -> Tensor<S> {
        let n = shape.reduce(1, *)
        return Tensor(uncheckedShape: shape, scalars: (0..<n).map { _ in
            let u1 = g.nextOpenUnit(), u2 = g.nextOpenUnit()
            return S((-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2))
        })
    }
    static func constant<S: TensorScalar>(_ shape: [Int], _ v: S) -> Tensor<S> {
        Tensor(uncheckedShape: shape, scalars: Array(repeating: v, count: shape.reduce(1, *)))
    }
}
