import TradewindCore

/// What a recurrent layer returns.
public enum RecurrentOutput: String, Sendable, Codable {
    /// Every step's hidden state of the last layer, [batch, steps, directions·hidden] (PyTorch's `output`,
    /// Keras's `return_sequences=True`).
    case sequence
    /// The final hidden state of the last layer, [batch, directions·hidden]: the forward direction's state after
    /// the last step, then the backward direction's after the first (PyTorch `cat(h_n[-2], h_n[-1])`, Keras
    /// `Bidirectional(return_sequences=False)`).
    case lastState
}

/// The stacking, direction and naming logic shared by `GRU` and `LSTM` (PyTorch names: `weight_ih_l{k}`,
/// `weight_hh_l{k}`, `bias_ih_l{k}`, `bias_hh_l{k}`, with `_reverse` for the backward direction).
struct RecurrentStack: Sendable {
    let prefix: String
    let gates: Int
    let inputSize: Int
    let hiddenSize: Int
    let layers: Int
    let bidirectional: Bool
    let output: RecurrentOutput

    var directions: Int { bidirectional ? 2 : 1 }

    func name(_ local: String) -> String { prefix.isEmpty ? local : prefix + "." + local }

    func suffix(_ layer: Int, _ reverse: Bool) -> String { "_l\(layer)" + (reverse ? "_reverse" : "") }

    var weightShapes: [(name: String, shape: [Int])] {
        var out: [(name: String, shape: [Int])] = []
        for l in 0..<layers {
            let inSize = l == 0 ? inputSize : hiddenSize * directions
            for rev in bidirectional ? [false, true] : [false] {
                let s = suffix(l, rev), g = gates * hiddenSize
                out += [(name("weight_ih" + s), [g, inSize]), (name("weight_hh" + s), [g, hiddenSize]),
                        (name("bias_ih" + s), [g]), (name("bias_hh" + s), [g])]
            }
        }
        return out
    }

    /// U(±1/√hidden) for every weight and bias, as PyTorch's RNNs.
    func initialize<S: TensorScalar>(_ weights: inout StateDict<S>, generator g: inout Xoshiro256StarStar) {
        let bound = 1 / Double(max(hiddenSize, 1)).squareRoot()
        for (n, s) in weightShapes { weights[n] = Initializer.uniform(s, bound: bound, &g) }
    }

    typealias Kernel<S: TensorScalar> = (Variable<S>, Variable<S>, Variable<S>, Variable<S>, Variable<S>, Int, Bool) throws(MLError) -> Variable<S>

    func run<S: TensorScalar>(_ x: Variable<S>, in pass: ForwardPass<S>, op: String, kernel: Kernel<S>) throws(MLError) -> Variable<S> {
        guard x.value.rank == 3, x.shape[2] == inputSize else {
            throw .shapeMismatch(op: "\(op) '\(prefix)'", detail: "input must be [batch, steps, \(inputSize)]; got \(x.shape)")
        }
        guard x.shape[1] > 0 || output == .sequence else {
            throw .invalidShape(op: "\(op) '\(prefix)'", detail: "a last state needs at least one step; got \(x.shape)")
        }
        var h = x
        let g = gates * hiddenSize
        for l in 0..<layers {
            let inSize = l == 0 ? inputSize : hiddenSize * directions
            var outs: [Variable<S>] = []
            for rev in bidirectional ? [false, true] : [false] {
                let s = suffix(l, rev)
                outs.append(try kernel(h, try pass.parameter(name("weight_ih" + s), shape: [g, inSize]),
                                       try pass.parameter(name("weight_hh" + s), shape: [g, hiddenSize]),
                                       try pass.parameter(name("bias_ih" + s), shape: [g]),
                                       try pass.parameter(name("bias_hh" + s), shape: [g]), hiddenSize, rev))
            }
            h = outs.count == 1 ? outs[0] : try Variable.concat(outs, axis: 2)
        }
        guard output == .lastState else { return h }
        let steps = x.shape[1]
        let forward = try h.slice(axis: 2, 0..<hiddenSize).select(axis: 1, index: steps - 1)
        guard bidirectional else { return forward }
        let backward = try h.slice(axis: 2, hiddenSize..<(2 * hiddenSize)).select(axis: 1, index: 0)
        return try Variable.concat([forward, backward], axis: 1)
    }
}

/// A (stacked, optionally bidirectional) GRU with PyTorch's equations and `state_dict` names, gates r, z, n.
/// Keras's `GRU(reset_after=True)` (its default) is the same cell: its kernel's gate columns are z, r, h, so
/// converting reorders the blocks [z|r|h] → [r|z|n] and transposes; `reset_after=False` (reset before the
/// recurrent product) is a different cell that this layer does not implement.
public struct GRU: Layer {
    let stack: RecurrentStack
    public var prefix: String { stack.prefix }

    public init(_ prefix: String, inputSize: Int, hiddenSize: Int, layers: Int = 1, bidirectional: Bool = false,
                output: RecurrentOutput = .sequence) {
        stack = RecurrentStack(prefix: prefix, gates: 3, inputSize: inputSize, hiddenSize: hiddenSize, layers: layers,
                               bidirectional: bidirectional, output: output)
    }

    /// Output features per step: hidden size times directions.
    public var outputSize: Int { stack.hiddenSize * stack.directions }
    public var weightShapes: [(name: String, shape: [Int])] { stack.weightShapes }
    public func initialize<S: TensorScalar>(_ weights: inout StateDict<S>, generator g: inout Xoshiro256StarStar) {
        stack.initialize(&weights, generator: &g)
    }

    /// Runs over `x` [batch, steps, inputSize] from zero states.
    public func callAsFunction<S: TensorScalar>(_ x: Variable<S>, in pass: ForwardPass<S>) throws(MLError) -> Variable<S> {
        try stack.run(x, in: pass, op: "GRU") { (x, wi, wh, bi, bh, h, r) throws(MLError) in
            try GRUKernel.run(x, weightIH: wi, weightHH: wh, biasIH: bi, biasHH: bh, hidden: h, reverse: r)
        }
    }
}

/// A (stacked, optionally bidirectional) LSTM with PyTorch's equations and `state_dict` names, gates i, f, g, o
/// (Keras's kernel uses the same order i, f, c, o; transpose its kernels and add its single bias as `bias_ih`
/// with a zero `bias_hh`).
public struct LSTM: Layer {
    let stack: RecurrentStack
    public var prefix: String { stack.prefix }

    public init(_ prefix: String, inputSize: Int, hiddenSize: Int, layers: Int = 1, bidirectional: Bool = false,
                output: RecurrentOutput = .sequence) {
        stack = RecurrentStack(prefix: prefix, gates: 4, inputSize: inputSize, hiddenSize: hiddenSize, layers: layers,
                               bidirectional: bidirectional, output: output)
    }

    public var outputSize: Int { stack.hiddenSize * stack.directions }
    public var weightShapes: [(name: String, shape: [Int])] { stack.weightShapes }
    public func initialize<S: TensorScalar>(_ weights: inout StateDict<S>, generator g: inout Xoshiro256StarStar) {
        stack.initialize(&weights, generator: &g)
    }

    /// Runs over `x` [batch, steps, inputSize] from zero states.
    public func callAsFunction<S: TensorScalar>(_ x: Variable<S>, in pass: ForwardPass<S>) throws(MLError) -> Variable<S> {
        try stack.run(x, in: pass, op: "LSTM") { (x, wi, wh, bi, bh, h, r) throws(MLError) in
            try LSTMKernel.run(x, weightIH: wi, weightHH: wh, biasIH: bi, biasHH: bh, hidden: h, reverse: r)
        }
    }
}
