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
    /// direction's initial states [batch, hidden] — none for zeros, whether its final cell state is wanted) → (every
    /// step's hidden state, the final cell state [batch, hidden] when wanted and the cell has one).
    typealias Kernel<S: TensorScalar> = (Variable<S>, Variable<S>, Variable<S>, Variable<S>, Variable<S>, Int, Bool, [Variable<S>], Bool)
        throws(MLError) -> (output: Variable<S>, cell: Variable<S>?)
    /// Both directions of one layer as one op, written into the joined output: (input, the forward direction's
    /// weight_ih, weight_hh, bias_ih, bias_hh, the backward direction's four, hidden size, each direction's initial
    /// states — none for zeros, whether the final cell states are wanted) → (joined output, the two directions' final
    /// cell states when wanted). A layer that has one runs bidirectional layers through it instead of two `Kernel`
    /// calls and a concat.
    typealias PairKernel<S: TensorScalar> = (Variable<S>, [Variable<S>], [Variable<S>], Int, [Variable<S>], Bool)
        throws(MLError) -> (output: Variable<S>, cells: [Variable<S>])
    /// What runs on a layer's output before the next layer reads it (layer index given): dropout in `run`.
    typealias Between<S: TensorScalar> = (Variable<S>, Int) throws(MLError) -> Variable<S>

    /// What a stack returns: its output (as `output` asks) and, when asked for, the final states of every layer and
    /// direction, [layers·directions, batch, hidden] as PyTorch's h_n and c_n (index layer·directions + direction).
    struct Result<S: TensorScalar> {
        let output: Variable<S>
        let hidden: Variable<S>?
        let cell: Variable<S>?
    }

    /// Runs the stack from `initial` states (each [layers·directions, batch, hidden] as PyTorch's h0/c0, index
    /// layer·directions + direction; empty for zeros), with PyTorch's `dropout=` between stacked layers (on every
    /// layer's output but the last, only while `pass` trains); `finalStates` also returns h_n (and, for a cell with
    /// one, c_n).
    func run<S: TensorScalar>(_ x: Variable<S>, initial: [(name: String, state: Variable<S>)], in pass: ForwardPass<S>, op: String,
                              finalStates: Bool = false, kernel: Kernel<S>, pair: PairKernel<S>? = nil) throws(MLError) -> Result<S> {
        try run(x, initial: initial, in: pass, op: op, finalStates: finalStates,
                between: { (v, _) throws(MLError) in try v.dropout(dropout, in: pass) }, kernel: kernel, pair: pair)
    }

    func run<S: TensorScalar>(_ x: Variable<S>, initial: [(name: String, state: Variable<S>)], in pass: ForwardPass<S>, op: String,
                              finalStates: Bool = false, between: Between<S>, kernel: Kernel<S>, pair: PairKernel<S>? = nil) throws(MLError) -> Result<S> {
        guard x.rank == 3, x.shape[2] == inputSize else {
            throw .shapeMismatch(op: "\(op) '\(prefix)'", detail: "input must be [batch, steps, \(inputSize)]; got \(x.shape)")
        }
        guard x.shape[1] > 0 || (output == .sequence && !finalStates) else {
            throw .invalidShape(op: "\(op) '\(prefix)'", detail: "a last or final state needs at least one step; got \(x.shape)")
        }
        let stateShape = [layers * directions, x.shape[0], hiddenSize]
        for (n, s) in initial where s.shape != stateShape {
            throw .shapeMismatch(op: "\(op) '\(prefix)'", detail: "\(n) must be [layers·directions, batch, hidden] = \(stateShape); got \(s.shape)")
        }
        var h = x
        let g = gates * hiddenSize, B = x.shape[0]
        var hiddenFinals: [Variable<S>] = [], cellFinals: [Variable<S>] = []
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
                let (joined, cells) = try pair(h, forward, backward, hiddenSize, try states(0) + states(1), finalStates)
                h = joined
                cellFinals += cells
            } else {
                var outs: [Variable<S>] = []
                for d in 0..<directions {
                    let w = try weights(d == 1)
                    let (out, cell) = try kernel(h, w[0], w[1], w[2], w[3], hiddenSize, d == 1, try states(d), finalStates)
                    outs.append(out)
                    if let cell { cellFinals.append(cell) }
                }
                h = outs.count == 1 ? outs[0] : try Variable.concat(outs, axis: 2)
            }
            // h_n of this layer: each direction's output after its last step (views of the layer's output).
            if finalStates { for d in 0..<directions { hiddenFinals.append(try lastStep(of: h, direction: d)) } }
        }
        func stacked(_ parts: [Variable<S>]) throws(MLError) -> Variable<S>? {
            guard finalStates, !parts.isEmpty else { return nil }
            return try Variable.concat(parts.map { (p) throws(MLError) in try p.reshaped([1, B, hiddenSize]) }, axis: 0)
        }
        let hidden = try stacked(hiddenFinals), cell = try stacked(cellFinals)
        guard output == .lastState else { return Result(output: h, hidden: hidden, cell: cell) }
        let forward = try lastStep(of: h, direction: 0)
        guard bidirectional else { return Result(output: forward, hidden: hidden, cell: cell) }
        let backward = try lastStep(of: h, direction: 1)
        return Result(output: try Variable.concat([forward, backward], axis: 1), hidden: hidden, cell: cell)
    }

    /// A direction's hidden state after its last step, [batch, hidden]: the forward direction's at the last step, the
    /// backward direction's at the first (a view of the layer's output).
    func lastStep<S: TensorScalar>(of h: Variable<S>, direction d: Int) throws(MLError) -> Variable<S> {
        try h.slice(axis: 2, (d * hiddenSize)..<((d + 1) * hiddenSize)).select(axis: 1, index: d == 0 ? h.shape[1] - 1 : 0)
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
                      kernel: Self.kernel, pair: Self.pairKernel).output
    }

    /// PyTorch's `output, h_n = gru(x, h0)`: the output (as `output` asks) and the final hidden state of every layer
    /// and direction, [layers·directions, batch, hidden], which a next call can take as `initialState` to go on
    /// where this one stopped (stateful inference). Needs at least one step.
    public func run<S: TensorScalar>(_ x: Variable<S>, initialState: Variable<S>? = nil,
                                     in pass: ForwardPass<S>) throws(MLError) -> (output: Variable<S>, hidden: Variable<S>) {
        let r = try stack.run(x, initial: initialState.map { [("initial hidden state", $0)] } ?? [], in: pass, op: "GRU",
                              finalStates: true, kernel: Self.kernel, pair: Self.pairKernel)
        return (r.output, r.hidden!)
    }

    static func pairKernel<S: TensorScalar>(_ x: Variable<S>, _ forward: [Variable<S>], _ backward: [Variable<S>], _ h: Int,
                                            _ states: [Variable<S>], _: Bool) throws(MLError) -> (output: Variable<S>, cells: [Variable<S>]) {
        (try GRUKernel.runBidirectional(x, forward: forward, backward: backward, hidden: h, initial: states), [])
    }

    static func kernel<S: TensorScalar>(_ x: Variable<S>, _ wi: Variable<S>, _ wh: Variable<S>, _ bi: Variable<S>, _ bh: Variable<S>,
                                        _ h: Int, _ r: Bool, _ states: [Variable<S>], _: Bool) throws(MLError) -> (output: Variable<S>, cell: Variable<S>?) {
        (try GRUKernel.run(x, weightIH: wi, weightHH: wh, biasIH: bi, biasHH: bh, hidden: h, reverse: r, initial: states.first), nil)
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
        return try stack.run(x, initial: initial, in: pass, op: "LSTM", kernel: Self.kernel, pair: Self.pairKernel).output
    }

    /// PyTorch's `output, (h_n, c_n) = lstm(x, (h0, c0))`: the output (as `output` asks) and the final hidden and
    /// cell states of every layer and direction, each [layers·directions, batch, hidden], which a next call can take
    /// as `initialState` to go on where this one stopped (stateful inference). Needs at least one step.
    public func run<S: TensorScalar>(_ x: Variable<S>, initialState: (hidden: Variable<S>, cell: Variable<S>)? = nil,
                                     in pass: ForwardPass<S>) throws(MLError) -> (output: Variable<S>, state: (hidden: Variable<S>, cell: Variable<S>)) {
        let initial = initialState.map { [("initial hidden state", $0.hidden), ("initial cell state", $0.cell)] } ?? []
        let r = try stack.run(x, initial: initial, in: pass, op: "LSTM", finalStates: true, kernel: Self.kernel, pair: Self.pairKernel)
        return (r.output, (r.hidden!, r.cell!))
    }

    /// Both directions of a bidirectional layer as one node (no concat copy; the directions run at once on two threads).
    static func pairKernel<S: TensorScalar>(_ x: Variable<S>, _ forward: [Variable<S>], _ backward: [Variable<S>], _ h: Int,
                                            _ states: [Variable<S>], _ finalCells: Bool) throws(MLError) -> (output: Variable<S>, cells: [Variable<S>]) {
        try LSTMKernel.runBidirectional(x, forward: forward, backward: backward, hidden: h, initial: states, finalCells: finalCells)
    }

    static func kernel<S: TensorScalar>(_ x: Variable<S>, _ wi: Variable<S>, _ wh: Variable<S>, _ bi: Variable<S>, _ bh: Variable<S>,
                                        _ h: Int, _ r: Bool, _ states: [Variable<S>], _ finalCell: Bool) throws(MLError) -> (output: Variable<S>, cell: Variable<S>?) {
        try LSTMKernel.run(x, weightIH: wi, weightHH: wh, biasIH: bi, biasHH: bh, hidden: h, reverse: r,
                           initial: states.count == 2 ? (states[0], states[1]) : nil, finalCell: finalCell)
    }
}
