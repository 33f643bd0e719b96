import CTradewindKernels

/// The fused LSTM over a whole sequence, PyTorch's equations (gate rows ordered i, f, g, o — Keras's kernel
/// uses the same order i, f, c, o):
///   i = σ(·), f = σ(·), g = tanh(·), o = σ(·) of W_i x + b_i + W_h h + b_h;  c' = f ⊙ c + i ⊙ g;  h' = o ⊙ tanh(c').
/// One GEMM projects every step's input; each step adds one [batch, H] × [H, 4H] GEMM, then `LSTMCell` runs the
/// gates of each row (the backend's `lstmStep`; on the CPU, the C loops of `CTradewindKernels` for Float). Batch-major throughout, as the GRU.
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
        let (B, T, I) = try Recurrent.check("LSTM", x: x.value, wih: weightIH.value, whh: weightHH.value,
                                            bih: biasIH.value, bhh: biasHH.value, gates: 4, hidden: H)
        try Recurrent.checkState("LSTM", "initial hidden state", initial?.hidden.value, batch: B, hidden: H)
        try Recurrent.checkState("LSTM", "initial cell state", initial?.cell.value, batch: B, hidden: H)
        let h0 = initial?.hidden.value.scalars ?? [], c0 = initial?.cell.value.scalars ?? []
        let rows = B * T, G = 4 * H
        let backend = Compute.backend
        let xv = x.value.scalars, wih = weightIH.value.scalars, whh = weightHH.value.scalars
        let bih = biasIH.value.scalars, bhh = biasHH.value.scalars
        var pre: [S] = uninitializedScalars(rows * G)
        pre.withUnsafeMutableBufferPointer { p in
            guard rows > 0 else { return }
            for j in 0..<G { p[j] = bih[j] + bhh[j] }
            for r in 1..<max(rows, 1) { (p.baseAddress! + r * G).update(from: p.baseAddress!, count: G) }
        }
        xv.withUnsafeBufferPointer { xb in wih.withUnsafeBufferPointer { wb in pre.withUnsafeMutableBufferPointer { pb in
            if rows > 0 && I > 0 { Recurrent.gemmABt(backend, rows: rows, n: G, k: I, a: xb.baseAddress!, lda: I, w: wb.baseAddress!, c: pb.baseAddress!, ldc: G, beta: 1) }
        } } }
        var out: [S] = uninitializedScalars(rows * H)
        var gates: [S] = uninitializedScalars(rows * G)   // activated i, f, g, o per row
        var cell: [S] = uninitializedScalars(rows * H)
        var hp: [S] = uninitializedScalars(B * G)
        out.withUnsafeMutableBufferPointer { ob in whh.withUnsafeBufferPointer { wb in hp.withUnsafeMutableBufferPointer { hb in
        pre.withUnsafeBufferPointer { pb in gates.withUnsafeMutableBufferPointer { gb in cell.withUnsafeMutableBufferPointer { cb in
        h0.withUnsafeBufferPointer { h0b in c0.withUnsafeBufferPointer { c0b in
            for s in 0..<T {
                let t = reverse ? T - 1 - s : s
                let prev = reverse ? t + 1 : t - 1
                // The previous step's rows (T rows apart in the batch-major outputs) or the initial states.
                let hPrev: UnsafePointer<S>? = s > 0 ? UnsafePointer(ob.baseAddress! + prev * H) : (h0.isEmpty ? nil : h0b.baseAddress)
                let cPrev: UnsafePointer<S>? = s > 0 ? UnsafePointer(cb.baseAddress! + prev * H) : (c0.isEmpty ? nil : c0b.baseAddress)
                let ld = s > 0 ? T * H : H
                if let hPrev, H > 0 {
                    Recurrent.gemmABt(backend, rows: B, n: G, k: H, a: hPrev, lda: ld, w: wb.baseAddress!, c: hb.baseAddress!, ldc: G, beta: 0)
                }
                backend.lstmStep(LSTMStep(
                    hidden: H, rows: B, inputProjection: StridedRows(reading: pb.baseAddress! + t * G, stride: T * G),
                    recurrentProjection: hPrev == nil ? nil : StridedRows(hb.baseAddress!, stride: G),
                    previousCell: cPrev.map { StridedRows(reading: $0, stride: ld) },
                    gates: StridedRows(gb.baseAddress! + t * G, stride: T * G), cell: StridedRows(cb.baseAddress! + t * H, stride: T * H),
                    output: StridedRows(ob.baseAddress! + t * H, stride: T * H)))
            }
        } } } } } } } }
        let result = out, gatesV = gates, cellV = cell
        let inputs = [x, weightIH, weightHH, biasIH, biasHH] + (initial.map { [$0.hidden, $0.cell] } ?? [])
        let count = inputs.count   // the rule captures no Variable: a Variable holds its tape
        guard finalCell, T > 0 else {
            return (Variable.make(Tensor(uncheckedShape: [B, T, H], scalars: result), inputs) { g in
                Array(backward(g.scalars, x: xv, wih: wih, whh: whh, h0: h0, c0: c0, out: result,
                               gates: gatesV, cell: cellV, B: B, T: T, I: I, H: H, reverse: reverse).prefix(count))
            }, nil)
        }
        // The outputs, then the final cell of each batch row (step T − 1, or step 0 running in reverse).
        let last = reverse ? 0 : T - 1
        var packed = result
        packed.reserveCapacity(rows * H + B * H)
        for b in 0..<B { packed.append(contentsOf: cellV[((b * T + last) * H)..<((b * T + last + 1) * H)]) }
        let node = Variable.make(Tensor(uncheckedShape: [rows * H + B * H], scalars: packed), inputs) { g in
            let dy = Array(g.scalars[0..<(rows * H)]), dcFinal = Array(g.scalars[(rows * H)...])
            return Array(backward(dy, x: xv, wih: wih, whh: whh, h0: h0, c0: c0, out: result, gates: gatesV, cell: cellV,
                                  B: B, T: T, I: I, H: H, reverse: reverse, finalCellGradient: dcFinal).prefix(count))
        }
        return (try node.slice(axis: 0, 0..<(rows * H)).reshaped([B, T, H]),
                try node.slice(axis: 0, (rows * H)..<(rows * H + B * H)).reshaped([B, H]))
    }

    /// Gradients of x, the weights and biases, then of the initial hidden and cell states; `finalCellGradient` is the
    /// gradient of the final cell state [batch, hidden] (none: zeros).
    static func backward<S: TensorScalar>(_ dy: [S], x: [S], wih: [S], whh: [S], h0: [S], c0: [S], out: [S], gates: [S], cell: [S],
                                          B: Int, T: Int, I: Int, H: Int, reverse: Bool, finalCellGradient: [S]? = nil) -> [Tensor<S>?] {
        let rows = B * T, G = 4 * H
        let backend = Compute.backend
        var da: [S] = uninitializedScalars(rows * G)   // gradient of the gate pre-activations (every row written)
        var hPrevAll: [S] = uninitializedScalars(rows * H)
        var dh = [S](repeating: 0, count: B * H), dc = finalCellGradient ?? [S](repeating: 0, count: B * H)
        da.withUnsafeMutableBufferPointer { dab in dh.withUnsafeMutableBufferPointer { dhh in dc.withUnsafeMutableBufferPointer { dcb in
        whh.withUnsafeBufferPointer { wb in hPrevAll.withUnsafeMutableBufferPointer { hpa in
        dy.withUnsafeBufferPointer { dyb in out.withUnsafeBufferPointer { outb in gates.withUnsafeBufferPointer { gb in
        cell.withUnsafeBufferPointer { cb in h0.withUnsafeBufferPointer { h0b in c0.withUnsafeBufferPointer { c0b in
            for s in stride(from: T - 1, through: 0, by: -1) {
                let t = reverse ? T - 1 - s : s
                let prev = reverse ? t + 1 : t - 1
                let hPrev: UnsafePointer<S>? = s > 0 ? outb.baseAddress! + prev * H : (h0.isEmpty ? nil : h0b.baseAddress)
                let cPrev: UnsafePointer<S>? = s > 0 ? cb.baseAddress! + prev * H : (c0.isEmpty ? nil : c0b.baseAddress)
                let ld = s > 0 ? T * H : H
                backend.lstmStepBackward(LSTMStepBackward(
                    hidden: H, rows: B, carriedHidden: StridedRows(dhh.baseAddress!, stride: H), carriedCell: StridedRows(dcb.baseAddress!, stride: H),
                    outputGradient: StridedRows(reading: dyb.baseAddress! + t * H, stride: T * H),
                    gates: StridedRows(reading: gb.baseAddress! + t * G, stride: T * G), cell: StridedRows(reading: cb.baseAddress! + t * H, stride: T * H),
                    previousCell: cPrev.map { StridedRows(reading: $0, stride: ld) }, previousHidden: hPrev.map { StridedRows(reading: $0, stride: ld) },
                    preactivationGradient: StridedRows(dab.baseAddress! + t * G, stride: T * G),
                    previousOut: StridedRows(hpa.baseAddress! + t * H, stride: T * H)))
                // dh_prev = dA_t · W_hh (at the first step, the initial state's gradient)
                if hPrev != nil && H > 0 {
                    Recurrent.gemmAB(backend, rows: B, n: H, k: G, a: UnsafePointer(dab.baseAddress! + t * G), lda: T * G,
                                     w: wb.baseAddress!, c: dhh.baseAddress!, ldc: H, beta: 0)
                }
            }
        } } } } } } } } } } }
        var dx = [S](repeating: 0, count: rows * I)
        var dwih = [S](repeating: 0, count: G * I), dwhh = [S](repeating: 0, count: G * H)
        if rows > 0 && G > 0 {
            da.withUnsafeBufferPointer { d in
                wih.withUnsafeBufferPointer { w in dx.withUnsafeMutableBufferPointer { o in
                    if I > 0 { Recurrent.gemmAB(backend, rows: rows, n: I, k: G, a: d.baseAddress!, lda: G, w: w.baseAddress!, c: o.baseAddress!, ldc: I, beta: 0) }
                } }
                x.withUnsafeBufferPointer { xb in dwih.withUnsafeMutableBufferPointer { o in
                    if I > 0 { Recurrent.gemmAtB(backend, rows: rows, m: G, n: I, a: d.baseAddress!, b: xb.baseAddress!, c: o.baseAddress!) }
                } }
                hPrevAll.withUnsafeBufferPointer { hb in dwhh.withUnsafeMutableBufferPointer { o in
                    Recurrent.gemmAtB(backend, rows: rows, m: G, n: H, a: d.baseAddress!, b: hb.baseAddress!, c: o.baseAddress!)
                } }
            }
        }
        let db = Recurrent.columnSums(da, rows: rows, n: G)
        return [Tensor(uncheckedShape: [B, T, I], scalars: dx), Tensor(uncheckedShape: [G, I], scalars: dwih),
                Tensor(uncheckedShape: [G, H], scalars: dwhh), Tensor(uncheckedShape: [G], scalars: db),
                Tensor(uncheckedShape: [G], scalars: db), Tensor(uncheckedShape: [B, H], scalars: dh),
                Tensor(uncheckedShape: [B, H], scalars: dc)]
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
