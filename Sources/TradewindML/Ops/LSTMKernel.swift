import CTradewindKernels

/// The fused LSTM over a whole sequence, PyTorch's equations (gate rows ordered i, f, g, o — Keras's kernel
/// uses the same order i, f, c, o):
///   i = σ(·), f = σ(·), g = tanh(·), o = σ(·) of W_i x + b_i + W_h h + b_h;  c' = f ⊙ c + i ⊙ g;  h' = o ⊙ tanh(c').
/// One GEMM projects every step's input; each step adds one [batch, H] × [H, 4H] GEMM, then `LSTMCell` runs the
/// gates of each row (the backend's `lstmStep`; on the CPU, the C loops of `CTradewindKernels` for Float). Batch-major throughout, as the GRU;
/// a bidirectional layer runs both directions as one node into the joined output (`runBidirectional`).
enum LSTMKernel {
    /// Runs the LSTM over `x` [batch, steps, input] from the initial hidden and cell states [batch, hidden]
    /// (zeros when nil); returns the hidden states [batch, steps, hidden] and, with `finalCell` (at least one step),
    /// the cell state after the last step [batch, hidden] (PyTorch's c_n for this direction). Both initial states
    /// are differentiable, and so is the final cell state: the two outputs are views of one node, whose backward pass
    /// starts the cell gradient from the final cell's.
    static func run<S: TensorScalar>(_ x: Variable<S>, weightIH: Variable<S>, weightHH: Variable<S>,
                                     biasIH: Variable<S>, biasHH: Variable<S>, hidden H: Int, reverse: Bool,
                                     initial: (hidden: Variable<S>, cell: Variable<S>)? = nil,
                                     finalCell: Bool = false) throws(MLError) -> (output: Variable<S>, cell: Variable<S>?) {
        let d = try Direction(x, weightIH, weightHH, biasIH, biasHH, initial, hidden: H, reverse: reverse)
        let inputs = [x, weightIH, weightHH, biasIH, biasHH] + (initial.map { [$0.hidden, $0.cell] } ?? [])
        let r = try joined(x, [d], inputs: inputs, hidden: H, finalCells: finalCell) { grads in Array(grads[0].prefix(inputs.count)) }
        return (r.output, r.cells.first)
    }

    /// Both directions of a bidirectional LSTM layer as one op, written straight into the joined output
    /// [batch, steps, 2·hidden] (forward states, then backward states, as PyTorch): no concat copy, and with two or
    /// more `BLASThreads` the directions run at once (forward and backward pass). Equal to two `run`s and a `concat`
    /// on axis 2. `initial` holds the forward direction's (hidden, cell), then the backward direction's, or is empty
    /// for zeros; `finalCells` also returns each direction's final cell state.
    static func runBidirectional<S: TensorScalar>(_ x: Variable<S>, forward f: [Variable<S>], backward b: [Variable<S>], hidden H: Int,
                                                  initial: [Variable<S>], finalCells: Bool) throws(MLError) -> (output: Variable<S>, cells: [Variable<S>]) {
        guard f.count == 4, b.count == 4, initial.isEmpty || initial.count == 4 else {
            throw .invalidArgument(name: "bidirectional LSTM operands", value: "\(f.count), \(b.count), \(initial.count)",
                                   expected: "4 forward weights, 4 backward weights, 0 or 4 initial states")
        }
        let states: [(hidden: Variable<S>, cell: Variable<S>)?] = initial.isEmpty ? [nil, nil] : [(initial[0], initial[1]), (initial[2], initial[3])]
        let directions = [try Direction(x, f[0], f[1], f[2], f[3], states[0], hidden: H, reverse: false),
                          try Direction(x, b[0], b[1], b[2], b[3], states[1], hidden: H, reverse: true)]
        let inputs = [x] + f + b + initial
        let hasInitial = !initial.isEmpty
        return try joined(x, directions, inputs: inputs, hidden: H, finalCells: finalCells) { grads in
            let (gf, gb) = (grads[0], grads[1])
            return [Tape.add(gf[0]!, gb[0]!)] + Array(gf[1...4]) + Array(gb[1...4]) + (hasInitial ? [gf[5], gf[6], gb[5], gb[6]] : [])
        }
    }

    /// Runs `directions` (one, or forward and backward) into one joined output [batch, steps, directions·hidden] and
    /// records them as one node; with `finalCells` the node also holds each direction's final cell state, and the
    /// outputs are views of it. `gradients` maps each direction's gradients (x, weights, biases, h0, c0) to the node's
    /// inputs.
    private static func joined<S: TensorScalar>(_ x: Variable<S>, _ directions: [Direction<S>], inputs: [Variable<S>], hidden H: Int,
                                                finalCells: Bool, gradients: @escaping ([[Tensor<S>?]]) -> [Tensor<S>?]) throws(MLError)
        -> (output: Variable<S>, cells: [Variable<S>]) {
        let (B, T, W, n) = (x.shape[0], x.shape[1], directions.count * H, directions.count)
        var out: [S] = uninitializedScalars(B * T * W)
        let saved = out.withUnsafeMutableBufferPointer { o in
            let base = SendablePointer(o.baseAddress!)
            return BLASThreads.split(n) { i in directions[i].forward(out: base.pointer + i * H, width: W) }
        }
        let result = out, withCells = finalCells && T > 0
        let backward: (Tensor<S>) -> [Tensor<S>?] = { g in
            let outputs = B * T * W
            let grads = g.scalars.withUnsafeBufferPointer { dy in result.withUnsafeBufferPointer { o in
                let (dyp, op) = (SendablePointer(UnsafeMutablePointer(mutating: dy.baseAddress!)), SendablePointer(UnsafeMutablePointer(mutating: o.baseAddress!)))
                return BLASThreads.split(n) { i in
                    let dcFinal = withCells ? Array(UnsafeBufferPointer(start: dyp.pointer + outputs + i * B * H, count: B * H)) : nil
                    return directions[i].backward(dy: UnsafePointer(dyp.pointer + i * H), out: UnsafePointer(op.pointer + i * H), width: W,
                                                  saved: saved[i], finalCellGradient: dcFinal)
                }
            } }
            return gradients(grads)
        }
        guard withCells else { return (Variable.make(Tensor(uncheckedShape: [B, T, W], scalars: result), inputs, backward: backward), []) }
        // The outputs, then each direction's final cell per batch row (step T − 1, or step 0 running in reverse).
        var packed = result
        packed.reserveCapacity(B * T * W + n * B * H)
        for (d, s) in zip(directions, saved) {
            let last = d.reverse ? 0 : T - 1
            for b in 0..<B { packed.append(contentsOf: s.cell[((b * T + last) * H)..<((b * T + last + 1) * H)]) }
        }
        let node = Variable.make(Tensor(uncheckedShape: [packed.count], scalars: packed), inputs, backward: backward)
        let output = try node.slice(axis: 0, 0..<(B * T * W)).reshaped([B, T, W])
        let cells = try (0..<n).map { (i) throws(MLError) in
            try node.slice(axis: 0, (B * T * W + i * B * H)..<(B * T * W + (i + 1) * B * H)).reshaped([B, H])
        }
        return (output, cells)
    }

    /// What the backward pass needs of one direction's forward pass: the activated gates and the cell states.
    struct Saved<S: TensorScalar>: Sendable {
        let gates: [S], cell: [S]
    }

    /// One direction of one layer: its input, weights and initial states, checked.
    struct Direction<S: TensorScalar>: Sendable {
        let x: [S], wih: [S], whh: [S], bih: [S], bhh: [S], h0: [S], c0: [S]
        let B: Int, T: Int, I: Int, H: Int, reverse: Bool
        /// The backend of the calling task, kept for the threads a bidirectional layer runs its directions on.
        let backend: any ComputeBackend

        init(_ x: Variable<S>, _ weightIH: Variable<S>, _ weightHH: Variable<S>, _ biasIH: Variable<S>, _ biasHH: Variable<S>,
             _ initial: (hidden: Variable<S>, cell: Variable<S>)?, hidden H: Int, reverse: Bool) throws(MLError) {
            (B, T, I) = try Recurrent.check("LSTM", x: x.value, wih: weightIH.value, whh: weightHH.value,
                                            bih: biasIH.value, bhh: biasHH.value, gates: 4, hidden: H)
            try Recurrent.checkState("LSTM", "initial hidden state", initial?.hidden.value, batch: B, hidden: H)
            try Recurrent.checkState("LSTM", "initial cell state", initial?.cell.value, batch: B, hidden: H)
            self.x = x.value.scalars
            (wih, whh, bih, bhh) = (weightIH.value.scalars, weightHH.value.scalars, biasIH.value.scalars, biasHH.value.scalars)
            (h0, c0) = (initial?.hidden.value.scalars ?? [], initial?.cell.value.scalars ?? [])
            self.H = H
            self.reverse = reverse
            backend = Compute.backend
        }

        /// Runs the direction, writing step t of batch row b at `out + (b·T + t)·width` (H values).
        func forward(out ob: UnsafeMutablePointer<S>, width W: Int) -> Saved<S> {
            let rows = B * T, G = 4 * H
            var pre: [S] = uninitializedScalars(rows * G)
            pre.withUnsafeMutableBufferPointer { p in
                guard rows > 0 else { return }
                for j in 0..<G { p[j] = bih[j] + bhh[j] }
                for r in 1..<max(rows, 1) { (p.baseAddress! + r * G).update(from: p.baseAddress!, count: G) }
            }
            x.withUnsafeBufferPointer { xb in wih.withUnsafeBufferPointer { wb in pre.withUnsafeMutableBufferPointer { pb in
                if rows > 0 && I > 0 { Recurrent.gemmABt(backend, rows: rows, n: G, k: I, a: xb.baseAddress!, lda: I, w: wb.baseAddress!, c: pb.baseAddress!, ldc: G, beta: 1) }
            } } }
            var gates: [S] = uninitializedScalars(rows * G)   // activated i, f, g, o per row
            var cell: [S] = uninitializedScalars(rows * H)
            var hp: [S] = uninitializedScalars(B * G)
            whh.withUnsafeBufferPointer { wb in hp.withUnsafeMutableBufferPointer { hb in
            pre.withUnsafeBufferPointer { pb in gates.withUnsafeMutableBufferPointer { gb in cell.withUnsafeMutableBufferPointer { cb in
            h0.withUnsafeBufferPointer { h0b in c0.withUnsafeBufferPointer { c0b in
                for s in 0..<T {
                    let t = reverse ? T - 1 - s : s
                    let prev = reverse ? t + 1 : t - 1
                    // The previous step's rows (T rows apart in the batch-major outputs and cells) or the initial states.
                    let hPrev: UnsafePointer<S>? = s > 0 ? UnsafePointer(ob + prev * W) : (h0.isEmpty ? nil : h0b.baseAddress)
                    let cPrev: UnsafePointer<S>? = s > 0 ? UnsafePointer(cb.baseAddress! + prev * H) : (c0.isEmpty ? nil : c0b.baseAddress)
                    let (hLd, cLd) = s > 0 ? (T * W, T * H) : (H, H)
                    if let hPrev, H > 0 {
                        Recurrent.gemmABt(backend, rows: B, n: G, k: H, a: hPrev, lda: hLd, w: wb.baseAddress!, c: hb.baseAddress!, ldc: G, beta: 0)
                    }
                    backend.lstmStep(LSTMStep(
                        hidden: H, rows: B, inputProjection: StridedRows(reading: pb.baseAddress! + t * G, stride: T * G),
                        recurrentProjection: hPrev == nil ? nil : StridedRows(hb.baseAddress!, stride: G),
                        previousCell: cPrev.map { StridedRows(reading: $0, stride: cLd) },
                        gates: StridedRows(gb.baseAddress! + t * G, stride: T * G), cell: StridedRows(cb.baseAddress! + t * H, stride: T * H),
                        output: StridedRows(ob + t * W, stride: T * W)))
                }
            } } } } } } }
            return Saved(gates: gates, cell: cell)
        }

        /// Gradients of x, the weights and biases, then of the initial hidden and cell states, from the output gradient
        /// `dy` and the outputs `out` (laid out as `forward` wrote them) and the final cell's gradient (none: zeros).
        func backward(dy dyb: UnsafePointer<S>, out outb: UnsafePointer<S>, width W: Int, saved: Saved<S>,
                      finalCellGradient: [S]?) -> [Tensor<S>?] {
            let rows = B * T, G = 4 * H
            var da: [S] = uninitializedScalars(rows * G)   // gradient of the gate pre-activations (every row written)
            var hPrevAll: [S] = uninitializedScalars(rows * H)
            var dh = [S](repeating: 0, count: B * H), dc = finalCellGradient ?? [S](repeating: 0, count: B * H)
            da.withUnsafeMutableBufferPointer { dab in dh.withUnsafeMutableBufferPointer { dhh in dc.withUnsafeMutableBufferPointer { dcb in
            whh.withUnsafeBufferPointer { wb in hPrevAll.withUnsafeMutableBufferPointer { hpa in
            saved.gates.withUnsafeBufferPointer { gb in saved.cell.withUnsafeBufferPointer { cb in
            h0.withUnsafeBufferPointer { h0b in c0.withUnsafeBufferPointer { c0b in
                for s in stride(from: T - 1, through: 0, by: -1) {
                    let t = reverse ? T - 1 - s : s
                    let prev = reverse ? t + 1 : t - 1
                    let hPrev: UnsafePointer<S>? = s > 0 ? outb + prev * W : (h0.isEmpty ? nil : h0b.baseAddress)
                    let cPrev: UnsafePointer<S>? = s > 0 ? cb.baseAddress! + prev * H : (c0.isEmpty ? nil : c0b.baseAddress)
                    let (hLd, cLd) = s > 0 ? (T * W, T * H) : (H, H)
                    backend.lstmStepBackward(LSTMStepBackward(
                        hidden: H, rows: B, carriedHidden: StridedRows(dhh.baseAddress!, stride: H), carriedCell: StridedRows(dcb.baseAddress!, stride: H),
                        outputGradient: StridedRows(reading: dyb + t * W, stride: T * W),
                        gates: StridedRows(reading: gb.baseAddress! + t * G, stride: T * G), cell: StridedRows(reading: cb.baseAddress! + t * H, stride: T * H),
                        previousCell: cPrev.map { StridedRows(reading: $0, stride: cLd) }, previousHidden: hPrev.map { StridedRows(reading: $0, stride: hLd) },
                        preactivationGradient: StridedRows(dab.baseAddress! + t * G, stride: T * G),
                        previousOut: StridedRows(hpa.baseAddress! + t * H, stride: T * H)))
                    // dh_prev = dA_t · W_hh (at the first step, the initial state's gradient)
                    if hPrev != nil && H > 0 {
                        Recurrent.gemmAB(backend, rows: B, n: H, k: G, a: UnsafePointer(dab.baseAddress! + t * G), lda: T * G,
                                         w: wb.baseAddress!, c: dhh.baseAddress!, ldc: H, beta: 0)
                    }
                }
            } } } } } } } } }
            let (dx, dwih) = Recurrent.inputGradients(backend, da, x: x, wih: wih, rows: rows, G: G, I: I)
            let dwhh = Recurrent.recurrentWeightGradient(backend, da, previous: hPrevAll, rows: rows, G: G, H: H)
            let db = Recurrent.columnSums(da, rows: rows, n: G)
            return [Tensor(uncheckedShape: [B, T, I], scalars: dx), Tensor(uncheckedShape: [G, I], scalars: dwih),
                    Tensor(uncheckedShape: [G, H], scalars: dwhh), Tensor(uncheckedShape: [G], scalars: db),
                    Tensor(uncheckedShape: [G], scalars: db), Tensor(uncheckedShape: [B, H], scalars: dh),
                    Tensor(uncheckedShape: [B, H], scalars: dc)]
        }
    }
}

/// One LSTM step for one batch row. For Float the C loops of `CTradewindKernels` run (AVX-512, AVX2+FMA or
/// baseline, picked at run time); `forwardReference`/`backwardReference` are the readable definitions they are
/// tested against and what other scalar types (Double, for gradient checks) run.
enum LSTMCell {
    /// `pre` holds the input projections with both biases [4H]; `rec` the recurrent projections [4H] (nil before
    /// the first step from a zero state); `cPrev` the previous cell (nil: zeros). Writes the activated gates
    /// [i | f | g | o], the new cell and the new hidden state.
    @inline(__always)
    static func forward<S: TensorScalar>(H: Int, pre: UnsafePointer<S>, rec: UnsafePointer<S>?, cPrev: UnsafePointer<S>?,
                                         gates: UnsafeMutablePointer<S>, c: UnsafeMutablePointer<S>, h: UnsafeMutablePointer<S>) {
        if S.self == Float.self {
            typealias K = FloatGateKernels
            tw_lstm_forward_f32(H, K.cast(pre), rec.map { K.cast($0) }, cPrev.map { K.cast($0) }, K.cast(gates), K.cast(c), K.cast(h))
        } else {
            forwardReference(H: H, pre: pre, rec: rec, cPrev: cPrev, gates: gates, c: c, h: h)
        }
    }

    /// The C loops of one instruction-set variant (2 = AVX-512, 1 = AVX2+FMA, 0 = baseline, capped at what this CPU
    /// runs), for tests that hold each variant against the reference; `kernelLevel` is the one `forward` picks.
    static var kernelLevel: Int { Int(tw_kernel_level()) }

    static func forward(level: Int, H: Int, pre: UnsafePointer<Float>, rec: UnsafePointer<Float>?, cPrev: UnsafePointer<Float>?,
                        gates: UnsafeMutablePointer<Float>, c: UnsafeMutablePointer<Float>, h: UnsafeMutablePointer<Float>) {
        tw_lstm_forward_f32_at(Int32(level), H, pre, rec, cPrev, gates, c, h)
    }

    static func backward(level: Int, H: Int, dh: UnsafeMutablePointer<Float>, dc: UnsafeMutablePointer<Float>, dy: UnsafePointer<Float>,
                         gates: UnsafePointer<Float>, c: UnsafePointer<Float>, cPrev: UnsafePointer<Float>?, hPrev: UnsafePointer<Float>?,
                         da: UnsafeMutablePointer<Float>, hPrevOut: UnsafeMutablePointer<Float>) {
        tw_lstm_backward_f32_at(Int32(level), H, dh, dc, dy, gates, c, cPrev, hPrev, da, hPrevOut)
    }

    static func forwardReference<S: TensorScalar>(H: Int, pre: UnsafePointer<S>, rec: UnsafePointer<S>?, cPrev: UnsafePointer<S>?,
                                                  gates: UnsafeMutablePointer<S>, c: UnsafeMutablePointer<S>, h: UnsafeMutablePointer<S>) {
        for j in 0..<H {
            let a = (0..<4).map { k in pre[k * H + j] + (rec?[k * H + j] ?? 0) }
            let i = Activation.sigmoid(a[0]), f = Activation.sigmoid(a[1]), g = S.tanh(a[2]), o = Activation.sigmoid(a[3])
            c[j] = f * (cPrev?[j] ?? 0) + i * g
            h[j] = o * S.tanh(c[j])
            gates[j] = i; gates[H + j] = f; gates[2 * H + j] = g; gates[3 * H + j] = o
        }
    }

    /// Backpropagates one step: `dh` (the gradient carried from the next step) and `dc` come in; `dc` leaves as
    /// the previous cell's gradient and `dh` as zeros (the caller sets it to dA · W_hh); `da` receives the gate
    /// pre-activation gradients [di | df | dg | do] and `hPrevOut` the previous hidden state (for dW_hh).
    @inline(__always)
    static func backward<S: TensorScalar>(H: Int, dh: UnsafeMutablePointer<S>, dc: UnsafeMutablePointer<S>, dy: UnsafePointer<S>,
                                          gates: UnsafePointer<S>, c: UnsafePointer<S>, cPrev: UnsafePointer<S>?, hPrev: UnsafePointer<S>?,
                                          da: UnsafeMutablePointer<S>, hPrevOut: UnsafeMutablePointer<S>) {
        if S.self == Float.self {
            typealias K = FloatGateKernels
            tw_lstm_backward_f32(H, K.cast(dh), K.cast(dc), K.cast(dy), K.cast(gates), K.cast(c), cPrev.map { K.cast($0) },
                                 hPrev.map { K.cast($0) }, K.cast(da), K.cast(hPrevOut))
        } else {
            backwardReference(H: H, dh: dh, dc: dc, dy: dy, gates: gates, c: c, cPrev: cPrev, hPrev: hPrev, da: da, hPrevOut: hPrevOut)
        }
    }

    static func backwardReference<S: TensorScalar>(H: Int, dh: UnsafeMutablePointer<S>, dc: UnsafeMutablePointer<S>, dy: UnsafePointer<S>,
                                                   gates: UnsafePointer<S>, c: UnsafePointer<S>, cPrev: UnsafePointer<S>?, hPrev: UnsafePointer<S>?,
                                                   da: UnsafeMutablePointer<S>, hPrevOut: UnsafeMutablePointer<S>) {
        for j in 0..<H {
            let d = dh[j] + dy[j]
            let i = gates[j], f = gates[H + j], g = gates[2 * H + j], o = gates[3 * H + j]
            let tc = S.tanh(c[j])
            let dcj = dc[j] + d * o * (1 - tc * tc)
            da[j] = dcj * g * i * (1 - i)
            da[H + j] = dcj * (cPrev?[j] ?? 0) * f * (1 - f)
            da[2 * H + j] = dcj * i * (1 - g * g)
            da[3 * H + j] = d * tc * o * (1 - o)
            dc[j] = dcj * f
            dh[j] = 0
            hPrevOut[j] = hPrev?[j] ?? 0
        }
    }
}
