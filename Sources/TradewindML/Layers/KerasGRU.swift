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
/// One layer in one direction is a Keras `GRU`; `bidirectional` is Keras's `Bidirectional(GRU(...))` (merge mode
/// `concat`: forward then backward units; the backward layer reads the steps last to first and its sequence is put
/// back in time order), and `layers` > 1 stacks them as a Keras `Sequential` does, every layer but the last
/// returning sequences. Weight names: `kernel`, `recurrent_kernel`, `bias`, preceded by `layer<l>.` when stacked
/// (l from 0) and by `forward.` / `backward.` when bidirectional (e.g. `layer1.backward.kernel`).
/// Built from differentiable ops step by step, so it is a reference-speed layer, not the fused kernel.
public struct KerasGRU: Layer {
    public let prefix: String
    public let inputSize: Int
    public let units: Int
    public let layers: Int
    public let bidirectional: Bool
    public let output: RecurrentOutput

    public init(_ prefix: String, inputSize: Int, units: Int, layers: Int = 1, bidirectional: Bool = false,
                output: RecurrentOutput = .sequence) {
        self.prefix = prefix
        self.inputSize = inputSize
        self.units = units
        self.layers = layers
        self.bidirectional = bidirectional
        self.output = output
    }

    var directions: Int { bidirectional ? 2 : 1 }

    /// The name stem of layer `l`'s direction `d` (0 forward, 1 backward).
    func cell(_ l: Int, _ d: Int) -> String {
        (layers > 1 ? "layer\(l)." : "") + (bidirectional ? (d == 0 ? "forward." : "backward.") : "")
    }

    func cellInput(_ l: Int) -> Int { l == 0 ? inputSize : units * directions }

    public var weightShapes: [(name: String, shape: [Int])] {
        (0..<max(layers, 0)).flatMap { l in
            (0..<directions).flatMap { d in
                [(name(cell(l, d) + "kernel"), [cellInput(l), 3 * units]), (name(cell(l, d) + "recurrent_kernel"), [units, 3 * units]),
                 (name(cell(l, d) + "bias"), [3 * units])]
            }
        }
    }

    /// Keras's defaults: Glorot-uniform kernel, orthogonal recurrent kernel (its rows orthonormalised), zero bias.
    public func initialize<S: TensorScalar>(_ weights: inout StateDict<S>, generator g: inout Xoshiro256StarStar) {
        for l in 0..<max(layers, 0) {
            for d in 0..<directions {
                let stem = cell(l, d), input = cellInput(l)
                let bound = (6 / Double(max(input + 3 * units, 1))).squareRoot()
                weights[name(stem + "kernel")] = Initializer.uniform([input, 3 * units], bound: bound, &g)
                let normal: Tensor<Double> = Initializer.normal([units, 3 * units], &g)
                weights[name(stem + "recurrent_kernel")] = Self.orthonormalRows(normal).converted(to: S.self)
                weights[name(stem + "bias")] = Initializer.constant([3 * units], 0)
            }
        }
    }

    /// Runs over `x` [batch, steps, inputSize] from `initialState` [batch, units] (Keras's `initial_state`,
    /// differentiable; one layer in one direction only) or zeros, returning [batch, steps, directions·units] or the
    /// last states [batch, directions·units] (the backward direction's last state is the one after the first step).
    public func callAsFunction<S: TensorScalar>(_ x: Variable<S>, initialState: Variable<S>? = nil,
                                                in pass: ForwardPass<S>) throws(MLError) -> Variable<S> {
        let op = "KerasGRU '\(prefix)'", U = units
        guard layers >= 1 else { throw .invalidArgument(name: "\(op) layers", value: "\(layers)", expected: "≥ 1") }
        guard x.rank == 3, x.shape[2] == inputSize else {
            throw .shapeMismatch(op: op, detail: "input must be [batch, steps, \(inputSize)]; got \(x.shape)")
        }
        let (B, T) = (x.shape[0], x.shape[1])
        guard T > 0 || output == .sequence else { throw .invalidShape(op: op, detail: "a last state needs at least one step; got \(x.shape)") }
        if let s = initialState {
            guard layers == 1 && !bidirectional else {
                throw .invalidArgument(name: "\(op) initial state", value: "given", expected: "none with layers > 1 or bidirectional")
            }
            guard s.shape == [B, U] else {
                throw .shapeMismatch(op: op, detail: "initial state must be [batch, units] = \([B, U]); got \(s.shape)")
            }
        }
        guard T > 0 else { return Variable(Tensor(uncheckedShape: [B, 0, directions * U], scalars: [])) }
        var input = x
        for l in 0..<layers {
            let sequence = l < layers - 1 || output == .sequence
            var outs: [Variable<S>] = []
            for d in 0..<directions {
                outs.append(try run(input, cell: cell(l, d), inputSize: cellInput(l), backward: d == 1, sequence: sequence,
                                    initialState: initialState, in: pass))
            }
            input = outs.count == 1 ? outs[0] : try Variable.concat(outs, axis: sequence ? 2 : 1)
        }
        return input
    }

    /// One direction of one layer: [batch, steps, units] in time order, or its last state [batch, units].
    func run<S: TensorScalar>(_ x: Variable<S>, cell stem: String, inputSize: Int, backward: Bool, sequence: Bool,
                              initialState: Variable<S>?, in pass: ForwardPass<S>) throws(MLError) -> Variable<S> {
        let U = units, (B, T) = (x.shape[0], x.shape[1])
        let kernel = try pass.parameter(name(stem + "kernel"), shape: [inputSize, 3 * U])
        let recurrent = try pass.parameter(name(stem + "recurrent_kernel"), shape: [U, 3 * U])
        let bias = try pass.parameter(name(stem + "bias"), shape: [3 * U])
        let gatesRecurrent = try recurrent.slice(axis: 1, 0..<(2 * U)), candidateRecurrent = try recurrent.slice(axis: 1, (2 * U)..<(3 * U))
        let projected = try x.matmul(kernel) + bias                      // [B, T, 3U], every step's input side at once
        var h = initialState ?? Variable(Tensor(uncheckedShape: [B, U], scalars: [S](repeating: 0, count: B * U)))
        var steps: [Variable<S>] = []
        for t in backward ? Array((0..<T).reversed()) : Array(0..<T) {
            let xt = try projected.select(axis: 1, index: t)
            let zr = try (xt.slice(axis: 1, 0..<(2 * U)) + h.matmul(gatesRecurrent)).sigmoid()
            let z = try zr.slice(axis: 1, 0..<U), r = try zr.slice(axis: 1, U..<(2 * U))
            let candidate = try (xt.slice(axis: 1, (2 * U)..<(3 * U)) + (r * h).matmul(candidateRecurrent)).tanh()
            h = try candidate + z * (h - candidate)                      // z ⊙ h + (1 − z) ⊙ ĥ
            if sequence { steps.append(try h.reshaped([B, 1, U])) }
        }
        guard sequence else { return h }
        return try Variable.concat(backward ? steps.reversed() : steps, axis: 1)
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
