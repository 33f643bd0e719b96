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
    let dropout: Double
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

    /// One direction of one layer: (input, weight_ih, weight_hh, bias_ih, bias_hh, hidden size, reverse, that
    /// direction's initial states [batch, hidden] — none for zeros).
    typealias Kernel<S: TensorScalar> = (Variable<S>, Variable<S>, Variable<S>, Variable<S>, Variable<S>, Int, Bool, [Variable<S>]) throws(MLError) -> Variable<S>
    /// Both directions of one layer as one op, written into the joined output: (input, the forward direction's
    /// weight_ih, weight_hh, bias_ih, bias_hh, the backward direction's four, hidden size, each direction's initial
    /// states — none for zeros). A layer that has one runs bidirectional layers through it instead of two
    /// `Kernel` calls and a concat.
    typealias PairKernel<S: TensorScalar> = (Variable<S>, [Variable<S>], [Variable<S>], Int, [Variable<S>]) throws(MLError) -> Variable<S>
    /// What runs on a layer's output before the next layer reads it (layer index given): dropout in `run`.
    typealias Between<S: TensorScalar> = (Variable<S>, Int) throws(MLError) -> Variable<S>

    /// Runs the stack from `initial` states (each [layers·directions, batch, hidden] as PyTorch's h0/c0, index
    /// layer·directions + direction; empty for zeros), with PyTorch's `dropout=` between stacked layers (on every
    /// layer's output but the last, only while `pass` trains).
    func run<S: TensorScalar>(_ x: Variable<S>, initial: [(name: String, state: Variable<S>)], in pass: ForwardPass<S>, op: String,
                              kernel: Kernel<S>, pair: PairKernel<S>? = nil) throws(MLError) -> Variable<S> {
        try run(x, initial: initial, in: pass, op: op, between: { (v, _) throws(MLError) in try v.dropout(dropout, in: pass) },
                kernel: kernel, pair: pair)
    }

    func run<S: TensorScalar>(_ x: Variable<S>, initial: [(name: String, state: Variable<S>)], in pass: ForwardPass<S>, op: String,
                              between: Between<S>, kernel: Kernel<S>, pair: PairKernel<S>? = nil) throws(MLError) -> Variable<S> {
        guard x.rank == 3, x.shape[2] == inputSize else {
            throw .shapeMismatch(op: "\(op) '\(prefix)'", detail: "input must be [batch, steps, \(inputSize)]; got \(x.shape)")
        }
        guard x.shape[1] > 0 || output == .sequence else {
            throw .invalidShape(op: "\(op) '\(prefix)'", detail: "a last state needs at least one step; got \(x.shape)")
        }
        let stateShape = [layers * directions, x.shape[0], hiddenSize]
        for (n, s) in initial where s.shape != stateShape {
            throw .shapeMismatch(op: "\(op) '\(prefix)'", detail: "\(n) must be [layers·directions, batch, hidden] = \(stateShape); got \(s.shape)")
        }
        var h = x
        let g = gates * hiddenSize
        for l in 0..<layers {
            let inSize = l == 0 ? inputSize : hiddenSize * directions
            if l > 0 { h = try between(h, l - 1) }
            func weights(_ rev: Bool) throws(MLError) -> [Variable<S>] {
                let s = suffix(l, rev)
                return [try pass.parameter(name("weight_ih" + s), shape: [g, inSize]), try pass.parameter(name("weight_hh" + s), shape: [g, hiddenSize]),
                        try pass.parameter(name("bias_ih" + s), shape: [g]), try pass.parameter(name("bias_hh" + s), shape: [g])]
            }
            func states(_ d: Int) throws(MLError) -> [Variable<S>] {
                try initial.map { (i) throws(MLError) in try i.state.select(axis: 0, index: l * directions + d) }
            }
            if directions == 2, let pair {
                let forward = try weights(false), backward = try weights(true)
                // The forward direction's initial states, then the backward direction's.
                h = try pair(h, forward, backward, hiddenSize, try states(0) + states(1))
                continue
            }
            var outs: [Variable<S>] = []
            for d in 0..<directions {
                let w = try weights(d == 1)
                outs.append(try kernel(h, w[0], w[1], w[2], w[3], hiddenSize, d == 1, try states(d)))
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
/// converting reorders the blocks [z|r|h] → [r|z|n] and transposes (its bias [2, 3H] gives `bias_ih` and
/// `bias_hh`); `reset_after=False` (reset before the recurrent product) is a different cell: `KerasGRU`.
public struct GRU: Layer {
    let stack: RecurrentStack
    public var prefix: String { stack.prefix }

    /// `dropout` is PyTorch's: applied to every layer's output but the last's while training (0 ≤ p < 1).
    public init(_ prefix: String, inputSize: Int, hiddenSize: Int, layers: Int = 1, bidirectional: Bool = false,
                dropout: Double = 0, output: RecurrentOutput = .sequence) {
        stack = RecurrentStack(prefix: prefix, gates: 3, inputSize: inputSize, hiddenSize: hiddenSize, layers: layers,
                               bidirectional: bidirectional, dropout: dropout, output: output)
    }

    /// Output features per step: hidden size times directions.
    public var outputSize: Int { stack.hiddenSize * stack.directions }
    public var weightShapes: [(name: String, shape: [Int])] { stack.weightShapes }
    public func initialize<S: TensorScalar>(_ weights: inout StateDict<S>, generator g: inout Xoshiro256StarStar) {
        stack.initialize(&weights, generator: &g)
    }

    /// Runs over `x` [batch, steps, inputSize] from `initialState` (PyTorch's h0: [layers·directions, batch,
    /// hidden], differentiable) or from zeros when it is nil.
    public func callAsFunction<S: TensorScalar>(_ x: Variable<S>, initialState: Variable<S>? = nil,
                                                in pass: ForwardPass<S>) throws(MLError) -> Variable<S> {
        try stack.run(x, initial: initialState.map { [("initial hidden state", $0)] } ?? [], in: pass, op: "GRU",
                      kernel: Self.kernel, pair: Self.pairKernel)
    }

    static func pairKernel<S: TensorScalar>(_ x: Variable<S>, _ forward: [Variable<S>], _ backward: [Variable<S>], _ h: Int,
                                            _ states: [Variable<S>]) throws(MLError) -> Variable<S> {
        try GRUKernel.runBidirectional(x, forward: forward, backward: backward, hidden: h, initial: states)
    }

    static func kernel<S: TensorScalar>(_ x: Variable<S>, _ wi: Variable<S>, _ wh: Variable<S>, _ bi: Variable<S>, _ bh: Variable<S>,
                                        _ h: Int, _ r: Bool, _ states: [Variable<S>]) throws(MLError) -> Variable<S> {
        try GRUKernel.run(x, weightIH: wi, weightHH: wh, biasIH: bi, biasHH: bh, hidden: h, reverse: r, initial: states.first)
    }
}

/// A (stacked, optionally bidirectional) LSTM with PyTorch's equations and `state_dict` names, gates i, f, g, o
/// (Keras's kernel uses the same order i, f, c, o; transpose its kernels and add its single bias as `bias_ih`
/// with a zero `bias_hh`).
public struct LSTM: Layer {
    let stack: RecurrentStack
    public var prefix: String { stack.prefix }

    /// `dropout` is PyTorch's: applied to every layer's output but the last's while training (0 ≤ p < 1).
    public init(_ prefix: String, inputSize: Int, hiddenSize: Int, layers: Int = 1, bidirectional: Bool = false,
                dropout: Double = 0, output: RecurrentOutput = .sequence) {
        stack = RecurrentStack(prefix: prefix, gates: 4, inputSize: inputSize, hiddenSize: hiddenSize, layers: layers,
                               bidirectional: bidirectional, dropout: dropout, output: output)
    }

    public var outputSize: Int { stack.hiddenSize * stack.directions }
    public var weightShapes: [(name: String, shape: [Int])] { stack.weightShapes }
    public func initialize<S: TensorScalar>(_ weights: inout StateDict<S>, generator g: inout Xoshiro256StarStar) {
        stack.initialize(&weights, generator: &g)
    }

    /// Runs over `x` [batch, steps, inputSize] from `initialState` (PyTorch's (h0, c0), each [layers·directions,
    /// batch, hidden], differentiable) or from zeros when it is nil.
    public func callAsFunction<S: TensorScalar>(_ x: Variable<S>, initialState: (hidden: Variable<S>, cell: Variable<S>)? = nil,
                                                in pass: ForwardPass<S>) throws(MLError) -> Variable<S> {
        let initial = initialState.map { [("initial hidden state", $0.hidden), ("initial cell state", $0.cell)] } ?? []
        return try stack.run(x, initial: initial, in: pass, op: "LSTM", kernel: Self.kernel)
    }

    static func kernel<S: TensorScalar>(_ x: Variable<S>, _ wi: Variable<S>, _ wh: Variable<S>, _ bi: Variable<S>, _ bh: Variable<S>,
                                        _ h: Int, _ r: Bool, _ states: [Variable<S>]) throws(MLError) -> Variable<S> {
        try LSTMKernel.run(x, weightIH: wi, weightHH: wh, biasIH: bi, biasHH: bh, hidden: h, reverse: r,
                           initial: states.count == 2 ? (states[0], states[1]) : nil)
    }
}
