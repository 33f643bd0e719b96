import Foundation
import TradewindCore

/// Keras's `GRU(reset_after=False)`: the reset gate applies to the previous state before the recurrent product
/// (the original GRU of Cho et al.; Keras 1/2's default and TensorFlow 1's `GRUCell`), under Keras's weight
/// names and layout so a Keras model's weights load unchanged:
///   `kernel` [input, 3U], `recurrent_kernel` [U, 3U], `bias` [3U], each with gate blocks ordered z, r, h:
///   z = σ(x·K_z + h·R_z + b_z),  r = σ(x·K_r + h·R_r + b_r),  ĥ = tanh(x·K_h + (r ⊙ h)·R_h + b_h),
///   h' = z ⊙ h + (1 − z) ⊙ ĥ   (σ is Keras 3's default `recurrent_activation="sigmoid"`).
/// Keras's `reset_after=True` (its default since TF 2) is PyTorch's cell: load it into `GRU` (reorder the blocks
/// z, r, h → r, z, n, transpose both kernels, and split its bias [2, 3U] into `bias_ih`, `bias_hh`).
/// One direction, one layer, as a Keras `GRU` is (wrap two in a `Bidirectional`-style concat when needed).
/// Built from differentiable ops step by step, so it is a reference-speed layer, not the fused kernel.
public struct KerasGRU: Layer {
    public let prefix: String
    public let inputSize: Int
    public let units: Int
    public let output: RecurrentOutput

    public init(_ prefix: String, inputSize: Int, units: Int, output: RecurrentOutput = .sequence) {
        self.prefix = prefix
        self.inputSize = inputSize
        self.units = units
        self.output = output
    }

    public var weightShapes: [(name: String, shape: [Int])] {
        [(name("kernel"), [inputSize, 3 * units]), (name("recurrent_kernel"), [units, 3 * units]), (name("bias"), [3 * units])]
    }

    /// Keras's defaults: Glorot-uniform kernel, orthogonal recurrent kernel (its rows orthonormalised), zero bias.
    public func initialize<S: TensorScalar>(_ weights: inout StateDict<S>, generator g: inout Xoshiro256StarStar) {
        let bound = (6 / Double(max(inputSize + 3 * units, 1))).squareRoot()
        weights[name("kernel")] = Initializer.uniform([inputSize, 3 * units], bound: bound, &g)
        let normal: Tensor<Double> = Initializer.normal([units, 3 * units], &g)
        weights[name("recurrent_kernel")] = Self.orthonormalRows(normal).converted(to: S.self)
        weights[name("bias")] = Initializer.constant([3 * units], 0)
    }

    /// Runs over `x` [batch, steps, inputSize] from `initialState` [batch, units] (Keras's `initial_state`,
    /// differentiable) or zeros, returning [batch, steps, units] or the last state [batch, units].
    public func callAsFunction<S: TensorScalar>(_ x: Variable<S>, initialState: Variable<S>? = nil,
                                                in pass: ForwardPass<S>) throws(MLError) -> Variable<S> {
        let op = "KerasGRU '\(prefix)'", U = units
        guard x.value.rank == 3, x.shape[2] == inputSize else {
            throw .shapeMismatch(op: op, detail: "input must be [batch, steps, \(inputSize)]; got \(x.shape)")
        }
        let (B, T) = (x.shape[0], x.shape[1])
        guard T > 0 || output == .sequence else { throw .invalidShape(op: op, detail: "a last state needs at least one step; got \(x.shape)") }
        if let s = initialState, s.shape != [B, U] {
            throw .shapeMismatch(op: op, detail: "initial state must be [batch, units] = \([B, U]); got \(s.shape)")
        }
        let kernel = try pass.parameter(name("kernel"), shape: [inputSize, 3 * U])
        let recurrent = try pass.parameter(name("recurrent_kernel"), shape: [U, 3 * U])
        let bias = try pass.parameter(name("bias"), shape: [3 * U])
        let gatesRecurrent = try recurrent.slice(axis: 1, 0..<(2 * U)), candidateRecurrent = try recurrent.slice(axis: 1, (2 * U)..<(3 * U))
        let projected = try x.matmul(kernel) + bias                      // [B, T, 3U], every step's input side at once
        var h = initialState ?? Variable(Tensor(uncheckedShape: [B, U], scalars: [S](repeating: 0, count: B * U)))
        var steps: [Variable<S>] = []
        for t in 0..<T {
            let xt = try projected.select(axis: 1, index: t)
            let zr = try (xt.slice(axis: 1, 0..<(2 * U)) + h.matmul(gatesRecurrent)).sigmoid()
            let z = try zr.slice(axis: 1, 0..<U), r = try zr.slice(axis: 1, U..<(2 * U))
            let candidate = try (xt.slice(axis: 1, (2 * U)..<(3 * U)) + (r * h).matmul(candidateRecurrent)).tanh()
            h = try candidate + z * (h - candidate)                      // z ⊙ h + (1 − z) ⊙ ĥ
            if output == .sequence { steps.append(try h.reshaped([B, 1, U])) }
        }
        guard output == .sequence else { return h }
        return T == 0 ? Variable(Tensor(uncheckedShape: [B, 0, U], scalars: [])) : try Variable.concat(steps, axis: 1)
    }

    /// Gram–Schmidt on the rows of a [rows, cols] matrix with rows ≤ cols (Keras's `Orthogonal` for a wide kernel).
    static func orthonormalRows(_ m: Tensor<Double>) -> Tensor<Double> {
        let rows = m.shape[0], cols = m.shape[1]
        var a = m.scalars
        for i in 0..<rows {
            for j in 0..<i {
                var dot = 0.0
                for k in 0..<cols { dot += a[i * cols + k] * a[j * cols + k] }
                for k in 0..<cols { a[i * cols + k] -= dot * a[j * cols + k] }
            }
            var norm = 0.0
            for k in 0..<cols { norm += a[i * cols + k] * a[i * cols + k] }
            let scale = norm > 0 ? 1 / norm.squareRoot() : 0
            for k in 0..<cols { a[i * cols + k] *= scale }
        }
        return Tensor(uncheckedShape: m.shape, scalars: a)
    }
}
