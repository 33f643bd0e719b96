import CTradewindKernels

/// The fused GRU over a whole sequence, PyTorch's equations (gate rows ordered r, z, n):
///   r = σ(W_ir x + b_ir + W_hr h + b_hr),  z = σ(W_iz x + b_iz + W_hz h + b_hz),
///   n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)),  h' = (1 − z) ⊙ n + z ⊙ h.
/// (Keras's `reset_after=True` GRU is the same cell with gates ordered z, r, h.) The input projections of all
/// time steps are one GEMM; each step then needs one [batch, H] × [H, 3H] GEMM. The backward pass is
/// backpropagation through time with the weight gradients summed in two GEMMs at the end. Everything stays
/// batch-major ([batch, steps, ·], row b·T + t): a step's rows are T rows apart, which its GEMM reads through the
/// leading dimension, so no input, output or gradient is transposed to time-major and back.
enum GRUKernel {
    /// Runs the GRU over `x` [batch, steps, input] from `initial` [batch, hidden] (zeros when nil), returning every
    /// step's hidden state [batch, steps, hidden] (step t of a `reverse` GRU sits at t, as in PyTorch's
    /// bidirectional output). The initial state is differentiable like any other input.
    static func run<S: TensorScalar>(_ x: Variable<S>, weightIH: Variable<S>, weightHH: Variable<S>,
                                     biasIH: Variable<S>, biasHH: Variable<S>, hidden H: Int, reverse: Bool,
                                     initial: Variable<S>? = nil) throws(MLError) -> Variable<S> {
        let d = try Direction(x, weightIH, weightHH, biasIH, biasHH, initial, hidden: H, reverse: reverse)
        let inputs = [x, weightIH, weightHH, biasIH, biasHH] + (initial.map { [$0] } ?? [])
        let (B, T) = (x.shape[0], x.shape[1])
        var out: [S] = uninitializedScalars(B * T * H)
        let saved = out.withUnsafeMutableBufferPointer { o in d.forward(out: o.baseAddress!, width: H, keep: inputs.contains { $0.tape != nil }) }
        let result = out, count = inputs.count   // the rule captures no Variable: a Variable holds its tape
        return Variable.make(Tensor(uncheckedShape: [B, T, H], scalars: result), inputs) { g in
            let grads = g.scalars.withUnsafeBufferPointer { dy in result.withUnsafeBufferPointer { o in
                d.backward(dy: dy.baseAddress!, out: o.baseAddress!, width: H, saved: saved)
            } }
            return Array(grads.prefix(count))
        }
    }

    /// Both directions of a bidirectional GRU layer as one op, written straight into the joined output
    /// [batch, steps, 2·hidden] (forward states, then backward states, as PyTorch). Equal to two `run`s and a
    /// `concat` on axis 2; when the calling thread's `BLASThreads` count is 2 or more the two directions run at
    /// once (forward and backward pass), each on half the threads. `initial` holds each direction's initial
    /// state, or is empty for zeros.
    static func runBidirectional<S: TensorScalar>(_ x: Variable<S>, forward f: [Variable<S>], backward b: [Variable<S>], hidden H: Int,
                                                  initial: [Variable<S>]) throws(MLError) -> Variable<S> {
        guard f.count == 4, b.count == 4, initial.isEmpty || initial.count == 2 else {
            throw .invalidArgument(name: "bidirectional GRU operands", value: "\(f.count), \(b.count), \(initial.count)",
                                   expected: "4 forward weights, 4 backward weights, 0 or 2 initial states")
        }
        let directions = [try Direction(x, f[0], f[1], f[2], f[3], initial.first, hidden: H, reverse: false),
                          try Direction(x, b[0], b[1], b[2], b[3], initial.last, hidden: H, reverse: true)]
        let inputs = [x] + f + b + initial
        let (B, T, W) = (x.shape[0], x.shape[1], 2 * H)
        let keep = inputs.contains { $0.tape != nil }
        var out: [S] = uninitializedScalars(B * T * W)
        let saved = out.withUnsafeMutableBufferPointer { o in
            let base = SendablePointer(o.baseAddress!)
            return BLASThreads.split(2) { i in directions[i].forward(out: base.pointer + i * H, width: W, keep: keep) }
        }
        let result = out, hasInitial = !initial.isEmpty   // the rule captures no Variable: a Variable holds its tape
        return Variable.make(Tensor(uncheckedShape: [B, T, W], scalars: result), inputs) { g in
            let grads = g.scalars.withUnsafeBufferPointer { dy in result.withUnsafeBufferPointer { o in
                let (dyp, op) = (SendablePointer(dy.baseAddress!), SendablePointer(o.baseAddress!))
                return BLASThreads.split(2) { i in
                    directions[i].backward(dy: UnsafePointer(dyp.pointer + i * H), out: UnsafePointer(op.pointer + i * H), width: W, saved: saved[i])
                }
            } }
            let (gf, gb) = (grads[0], grads[1])
            let dx = Tape.add(gf[0]!, gb[0]!)
            return [dx] + Array(gf[1...4]) + Array(gb[1...4]) + (hasInitial ? [gf[5], gb[5]] : [])
        }
    }

    /// What the backward pass needs of one direction's forward pass (one row of scratch when nothing is on a tape).
    struct Saved<S: TensorScalar>: Sendable {
        let r: [S], z: [S], n: [S], hn: [S]
    }

    /// One direction as a loop over time: one GEMM for every step's input projection, then per step the product
    /// [batch, H] × [H, 3H] and the backend's gate math (`gruStep`). Keeps r, z, n and W_hn h + b_hn of every step
    /// for the backward pass when `keep`; otherwise one scratch row.
    static func steps<S: TensorScalar>(_ backend: any ComputeBackend, _ q: GRUSequence<S>, keep: Bool) -> Saved<S> {
        let (B, T, I, H, reverse, W) = (q.batch, q.steps, q.input, q.hidden, q.reverse, q.outputWidth)
        let ob = q.output, rows = B * T, G = 3 * H
        // Input projections of every (batch, step) row at once, biases folded in.
        var xp: [S] = uninitializedScalars(rows * G)
        xp.withUnsafeMutableBufferPointer { p in
            for r in 0..<rows { (p.baseAddress! + r * G).update(from: q.biasIH, count: G) }
            if rows > 0 && I > 0 { Recurrent.gemmABt(backend, rows: rows, n: G, k: I, a: q.x, lda: I, w: q.weightIH, c: p.baseAddress!, ldc: G, beta: 1) }
        }
        // Gates are kept for the backward pass only when something is on a tape; inference reuses one row.
        let saved = keep ? rows * H : H
        var rGate: [S] = uninitializedScalars(saved), zGate: [S] = uninitializedScalars(saved)
        var nGate: [S] = uninitializedScalars(saved), hn: [S] = uninitializedScalars(saved)
        var hp: [S] = uninitializedScalars(B * G)
        hp.withUnsafeMutableBufferPointer { hb in
        xp.withUnsafeBufferPointer { pb in rGate.withUnsafeMutableBufferPointer { rb in zGate.withUnsafeMutableBufferPointer { zb in
        nGate.withUnsafeMutableBufferPointer { nb in hn.withUnsafeMutableBufferPointer { hnb in
            for s in 0..<T {
                let t = reverse ? T - 1 - s : s
                let prev = reverse ? t + 1 : t - 1
                // The previous step's states [batch, H]: the last output, or the initial state at the first step.
                let prevRows: UnsafePointer<S>? = s > 0 ? UnsafePointer(ob + prev * W) : q.initial
                let prevLd = s > 0 ? T * W : H
                for b in 0..<B { (hb.baseAddress! + b * G).update(from: q.biasHH, count: G) }
                if let prevRows, H > 0 {
                    Recurrent.gemmABt(backend, rows: B, n: G, k: H, a: prevRows, lda: prevLd,
                                      w: q.weightHH, c: hb.baseAddress!, ldc: G, beta: 1)
                }
                // Step t of batch row b is row b·T + t: each operand's rows are T rows apart (one scratch row when
                // nothing is saved).
                func saved(_ p: UnsafeMutablePointer<S>) -> StridedRows<S> { StridedRows(p + (keep ? t * H : 0), stride: keep ? T * H : 0) }
                backend.gruStep(GRUStep(
                    hidden: H, rows: B, inputProjection: StridedRows(reading: pb.baseAddress! + t * G, stride: T * G),
                    recurrentProjection: StridedRows(hb.baseAddress!, stride: G),
                    previous: prevRows.map { StridedRows(reading: $0, stride: prevLd) }, output: StridedRows(ob + t * W, stride: T * W),
                    candidate: saved(nb.baseAddress!),
                    saved: keep ? (saved(rb.baseAddress!), saved(zb.baseAddress!), saved(hnb.baseAddress!)) : nil))
            }
        } } } } } }
        return Saved(r: rGate, z: zGate, n: nGate, hn: hn)
    }

    /// One direction of one layer: its input, weights and initial state, checked.
    struct Direction<S: TensorScalar>: Sendable {
        let x: [S], wih: [S], whh: [S], bih: [S], bhh: [S], h0: [S]
        let B: Int, T: Int, I: Int, H: Int, reverse: Bool
        /// The backend of the calling task, kept for the threads a bidirectional layer runs its directions on.
        let backend: any ComputeBackend

        init(_ x: Variable<S>, _ weightIH: Variable<S>, _ weightHH: Variable<S>, _ biasIH: Variable<S>, _ biasHH: Variable<S>,
             _ initial: Variable<S>?, hidden H: Int, reverse: Bool) throws(MLError) {
            (B, T, I) = try Recurrent.check("GRU", x: x.value, wih: weightIH.value, whh: weightHH.value,
                                            bih: biasIH.value, bhh: biasHH.value, gates: 3, hidden: H)
            try Recurrent.checkState("GRU", "initial hidden state", initial?.value, batch: B, hidden: H)
            self.x = x.value.scalars
            (wih, whh, bih, bhh) = (weightIH.value.scalars, weightHH.value.scalars, biasIH.value.scalars, biasHH.value.scalars)
            h0 = initial?.value.scalars ?? []
            self.H = H
            self.reverse = reverse
            backend = Compute.backend
        }

        /// Runs the direction, writing step t of batch row b at `out + (b·T + t)·width` (H values); keeps the
        /// gates for the backward pass when `keep`. Without `keep` (inference) the backend runs the whole sequence
        /// (`ComputeBackend.gruSequence`), which may fuse each step's product with its gate math.
        func forward(out ob: UnsafeMutablePointer<S>, width W: Int, keep: Bool) -> GRUKernel.Saved<S> {
            x.withUnsafeBufferPointer { xb in wih.withUnsafeBufferPointer { wi in whh.withUnsafeBufferPointer { wh in
            bih.withUnsafeBufferPointer { bi in bhh.withUnsafeBufferPointer { bh in h0.withUnsafeBufferPointer { h0b in
                let sequence = GRUSequence(batch: B, steps: T, input: I, hidden: H, reverse: reverse, x: xb.baseAddress!,
                                           weightIH: wi.baseAddress!, weightHH: wh.baseAddress!, biasIH: bi.baseAddress!,
                                           biasHH: bh.baseAddress!, initial: h0.isEmpty ? nil : h0b.baseAddress,
                                           output: ob, outputWidth: W)
                guard keep else {
                    backend.gruSequence(sequence)
                    return GRUKernel.Saved(r: [], z: [], n: [], hn: [])
                }
                return GRUKernel.steps(backend, sequence, keep: true)
            } } } } } }
        }

        /// Gradients of x, the weights and biases, then of the initial state (zeros when there is none), from the
        /// output gradient `dy` and the outputs `out`, both laid out as `forward` wrote them.
        func backward(dy dyb: UnsafePointer<S>, out outb: UnsafePointer<S>, width W: Int, saved: GRUKernel.Saved<S>) -> [Tensor<S>?] {
            let rows = B * T, G = 3 * H
            var dxp: [S] = uninitializedScalars(rows * G)   // gradient of the input projections (every row written)
            var dhp: [S] = uninitializedScalars(rows * G)   // gradient of the recurrent projections
            var hPrevAll: [S] = uninitializedScalars(rows * H)
            var dh = [S](repeating: 0, count: B * H)
            dxp.withUnsafeMutableBufferPointer { dxb in dhp.withUnsafeMutableBufferPointer { dhb in
            dh.withUnsafeMutableBufferPointer { dhh in whh.withUnsafeBufferPointer { wb in hPrevAll.withUnsafeMutableBufferPointer { hpa in
            saved.r.withUnsafeBufferPointer { rp in saved.z.withUnsafeBufferPointer { zp in saved.n.withUnsafeBufferPointer { np in
            saved.hn.withUnsafeBufferPointer { hnp in h0.withUnsafeBufferPointer { h0b in
                for s in stride(from: T - 1, through: 0, by: -1) {
                    let t = reverse ? T - 1 - s : s
                    let prev = reverse ? t + 1 : t - 1
                    let prevRows: UnsafePointer<S>? = s > 0 ? outb + prev * W : (h0.isEmpty ? nil : h0b.baseAddress)
                    let prevLd = s > 0 ? T * W : H
                    func perRow(_ p: UnsafePointer<S>) -> StridedRows<S> { StridedRows(reading: p + t * H, stride: T * H) }
                    backend.gruStepBackward(GRUStepBackward(
                        hidden: H, rows: B, carried: StridedRows(dhh.baseAddress!, stride: H),
                        outputGradient: StridedRows(reading: dyb + t * W, stride: T * W),
                        previous: prevRows.map { StridedRows(reading: $0, stride: prevLd) },
                        reset: perRow(rp.baseAddress!), update: perRow(zp.baseAddress!), candidate: perRow(np.baseAddress!),
                        recurrentCandidate: perRow(hnp.baseAddress!),
                        inputProjectionGradient: StridedRows(dxb.baseAddress! + t * G, stride: T * G),
                        recurrentProjectionGradient: StridedRows(dhb.baseAddress! + t * G, stride: T * G),
                        previousOut: StridedRows(hpa.baseAddress! + t * H, stride: T * H)))
                    // dh_prev += dHP_t · W_hh (at the first step, the initial state's gradient)
                    if prevRows != nil && H > 0 {
                        Recurrent.gemmAB(backend, rows: B, n: H, k: G, a: UnsafePointer(dhb.baseAddress! + t * G), lda: T * G,
                                         w: wb.baseAddress!, c: dhh.baseAddress!, ldc: H, beta: 1)
                    }
                }
            } } } } } } } } } }
            let (dx, dwih) = Recurrent.inputGradients(backend, dxp, x: x, wih: wih, rows: rows, G: G, I: I)
            let dwhh = Recurrent.recurrentWeightGradient(backend, dhp, previous: hPrevAll, rows: rows, G: G, H: H)
            return [Tensor(uncheckedShape: [B, T, I], scalars: dx),
                    Tensor(uncheckedShape: [G, I], scalars: dwih), Tensor(uncheckedShape: [G, H], scalars: dwhh),
                    Tensor(uncheckedShape: [G], scalars: Recurrent.columnSums(dxp, rows: rows, n: G)),
                    Tensor(uncheckedShape: [G], scalars: Recurrent.columnSums(dhp, rows: rows, n: G)),
                    Tensor(uncheckedShape: [B, H], scalars: dh)]
        }
    }
}

/// One GRU step for one batch row, as short loops over contiguous gate blocks that the compiler vectorises (what
/// `CPUBackend.gruStep` runs for each row).
enum GRUCell {
    /// `h` holds the recurrent projections [hr | hz | hn] (biases included) and is overwritten with r and z;
    /// r, z and hn are saved where pointers are given (training).
    @inline(__always)
    static func forward<S: TensorScalar>(H: Int, x: UnsafePointer<S>, h: UnsafeMutablePointer<S>, hPrev: UnsafePointer<S>?,
                                         out: UnsafeMutablePointer<S>, r: UnsafeMutablePointer<S>?, z: UnsafeMutablePointer<S>?,
                                         n: UnsafeMutablePointer<S>, hn: UnsafeMutablePointer<S>?) {
        if S.self == Float.self {
            typealias K = FloatGateKernels
            tw_gru_gates_f32(K.cast(x), K.cast(h), K.cast(n), H)
        } else {
            for j in 0..<(2 * H) { h[j] = Activation.sigmoid(h[j] + x[j]) }
            for j in 0..<H { n[j] = S.tanh(x[2 * H + j] + h[j] * h[2 * H + j]) }
        }
        let zs = UnsafePointer(h + H)
        if let hPrev {
            for j in 0..<H { out[j] = n[j] + zs[j] * (hPrev[j] - n[j]) }   // PyTorch's form of (1 − z)·n + z·h
        } else {
            for j in 0..<H { out[j] = n[j] - zs[j] * n[j] }
        }
        r?.update(from: h, count: H)
        z?.update(from: zs, count: H)
        hn?.update(from: h + 2 * H, count: H)
    }

    /// Backpropagates one step: `dh` comes in as the carried gradient and leaves as its direct part d·z (the
    /// caller adds dHP · W_hh); `dx` receives the input-projection gradient [dr | dz | dn] (pre-activation) and
    /// `dhp` the recurrent-projection gradient [dr | dz | dn ⊙ r].
    @inline(__always)
    static func backward<S: TensorScalar>(H: Int, dh: UnsafeMutablePointer<S>, dy: UnsafePointer<S>, hPrev: UnsafePointer<S>?,
                                          r: UnsafePointer<S>, z: UnsafePointer<S>, n: UnsafePointer<S>, hn: UnsafePointer<S>,
                                          dx: UnsafeMutablePointer<S>, dhp: UnsafeMutablePointer<S>, hPrevOut: UnsafeMutablePointer<S>) {
        if S.self == Float.self {
            typealias K = FloatGateKernels
            tw_gru_backward_f32(H, K.cast(dh), K.cast(dy), hPrev.map { K.cast($0) }, K.cast(r), K.cast(z), K.cast(n), K.cast(hn),
                                K.cast(dx), K.cast(dhp), K.cast(hPrevOut))
            return
        }
        for j in 0..<H { dh[j] += dy[j] }
        if let hPrev { hPrevOut.update(from: hPrev, count: H) } else { hPrevOut.update(repeating: 0, count: H) }
        let dn = dx + 2 * H, dz = dx + H
        for j in 0..<H { dn[j] = dh[j] * (1 - z[j]) * (1 - n[j] * n[j]) }
        for j in 0..<H { dz[j] = dh[j] * (hPrevOut[j] - n[j]) * z[j] * (1 - z[j]) }
        for j in 0..<H { dx[j] = dn[j] * hn[j] * r[j] * (1 - r[j]) }
        dhp.update(from: dx, count: 2 * H)
        for j in 0..<H { dhp[2 * H + j] = dn[j] * r[j] }
        for j in 0..<H { dh[j] *= z[j] }
    }
}
