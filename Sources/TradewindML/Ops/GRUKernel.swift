/// The fused GRU over a whole sequence, PyTorch's equations (gate rows ordered r, z, n):
///   r = σ(W_ir x + b_ir + W_hr h + b_hr),  z = σ(W_iz x + b_iz + W_hz h + b_hz),
///   n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)),  h' = (1 − z) ⊙ n + z ⊙ h.
/// (Keras's `reset_after=True` GRU is the same cell with gates ordered z, r, h.) The input projections of all
/// time steps are one GEMM; each step then needs one [batch, H] × [H, 3H] GEMM. The backward pass is
/// backpropagation through time with the weight gradients summed in two GEMMs at the end.
enum GRUKernel {
    /// Runs the GRU over `x` [batch, steps, input] from a zero state, returning every step's hidden state
    /// [batch, steps, hidden] (step t of a `reverse` GRU sits at t, as in PyTorch's bidirectional output).
    static func run<S: TensorScalar>(_ x: Variable<S>, weightIH: Variable<S>, weightHH: Variable<S>,
                                     biasIH: Variable<S>, biasHH: Variable<S>, hidden H: Int, reverse: Bool) throws(MLError) -> Variable<S> {
        let (B, T, I) = try Recurrent.check("GRU", x: x.value, wih: weightIH.value, whh: weightHH.value,
                                            bih: biasIH.value, bhh: biasHH.value, gates: 3, hidden: H)
        let rows = B * T, G = 3 * H
        let backend = Compute.backend
        let xv = x.value.scalars, wih = weightIH.value.scalars, whh = weightHH.value.scalars
        let bih = biasIH.value.scalars, bhh = biasHH.value.scalars
        // Input projections of every (batch, step) row at once, biases folded in.
        var xp = [S](repeating: 0, count: rows * G)
        for r in 0..<rows { for j in 0..<G { xp[r * G + j] = bih[j] } }
        xv.withUnsafeBufferPointer { xb in wih.withUnsafeBufferPointer { wb in xp.withUnsafeMutableBufferPointer { pb in
            if rows > 0 && I > 0 { Recurrent.gemmABt(backend, rows: rows, n: G, k: I, a: xb.baseAddress!, lda: I, w: wb.baseAddress!, c: pb.baseAddress!, ldc: G, beta: 1) }
        } } }
        var out = [S](repeating: 0, count: rows * H)
        var rGate = [S](repeating: 0, count: rows * H), zGate = rGate, nGate = rGate, hn = rGate
        var hp = [S](repeating: 0, count: B * G)
        out.withUnsafeMutableBufferPointer { ob in whh.withUnsafeBufferPointer { wb in hp.withUnsafeMutableBufferPointer { hb in
        xp.withUnsafeBufferPointer { pb in rGate.withUnsafeMutableBufferPointer { rb in zGate.withUnsafeMutableBufferPointer { zb in
        nGate.withUnsafeMutableBufferPointer { nb in hn.withUnsafeMutableBufferPointer { hnb in
            for s in 0..<T {
                let t = reverse ? T - 1 - s : s
                let prev = reverse ? t + 1 : t - 1
                for b in 0..<B { for j in 0..<G { hb[b * G + j] = bhh[j] } }
                if s > 0 && H > 0 {
                    Recurrent.gemmABt(backend, rows: B, n: G, k: H, a: UnsafePointer(ob.baseAddress! + prev * H), lda: T * H,
                                      w: wb.baseAddress!, c: hb.baseAddress!, ldc: G, beta: 1)
                }
                for b in 0..<B {
                    let row = b * T + t
                    let px = row * G, ph = b * G, o = row * H
                    let po = (b * T + prev) * H
                    for j in 0..<H {
                        let r = Activation.sigmoid(pb[px + j] + hb[ph + j])
                        let z = Activation.sigmoid(pb[px + H + j] + hb[ph + H + j])
                        let hnj = hb[ph + 2 * H + j]
                        let n = S.tanh(pb[px + 2 * H + j] + r * hnj)
                        let hPrev: S = s > 0 ? ob[po + j] : 0
                        ob[o + j] = (1 - z) * n + z * hPrev
                        rb[o + j] = r; zb[o + j] = z; nb[o + j] = n; hnb[o + j] = hnj
                    }
                }
            }
        } } } } } } } }
        let result = out
        return Variable.make(Tensor(uncheckedShape: [B, T, H], scalars: result), [x, weightIH, weightHH, biasIH, biasHH]) { g in
            backward(g.scalars, x: xv, wih: wih, whh: whh, out: result, r: rGate, z: zGate, n: nGate, hn: hn,
                     B: B, T: T, I: I, H: H, reverse: reverse)
        }
    }

    static func backward<S: TensorScalar>(_ dy: [S], x: [S], wih: [S], whh: [S], out: [S], r: [S], z: [S], n: [S], hn: [S],
                                          B: Int, T: Int, I: Int, H: Int, reverse: Bool) -> [Tensor<S>?] {
        let rows = B * T, G = 3 * H
        let backend = Compute.backend
        var dxp = [S](repeating: 0, count: rows * G)   // gradient of the input projections
        var dhp = [S](repeating: 0, count: rows * G)   // gradient of the recurrent projections
        var hPrevAll = [S](repeating: 0, count: rows * H)
        var dh = [S](repeating: 0, count: B * H)
        dxp.withUnsafeMutableBufferPointer { dxb in dhp.withUnsafeMutableBufferPointer { dhb in
        dh.withUnsafeMutableBufferPointer { dhh in whh.withUnsafeBufferPointer { wb in hPrevAll.withUnsafeMutableBufferPointer { hpa in
            for s in stride(from: T - 1, through: 0, by: -1) {
                let t = reverse ? T - 1 - s : s
                let prev = reverse ? t + 1 : t - 1
                for b in 0..<B {
                    let row = b * T + t
                    let o = row * H, pg = row * G
                    for j in 0..<H {
                        let d = dhh[b * H + j] + dy[o + j]
                        let hPrev: S = s > 0 ? out[(b * T + prev) * H + j] : 0
                        hpa[o + j] = hPrev
                        let zj = z[o + j], nj = n[o + j], rj = r[o + j]
                        let dn = d * (1 - zj)
                        let dz = d * (hPrev - nj)
                        let dan = dn * (1 - nj * nj)
                        let dar = dan * hn[o + j] * rj * (1 - rj)
                        let daz = dz * zj * (1 - zj)
                        dxb[pg + j] = dar; dxb[pg + H + j] = daz; dxb[pg + 2 * H + j] = dan
                        dhb[pg + j] = dar; dhb[pg + H + j] = daz; dhb[pg + 2 * H + j] = dan * rj
                        dhh[b * H + j] = d * zj
                    }
                }
                // dh_prev += dHP_t · W_hh
                if s > 0 && H > 0 {
                    Recurrent.gemmAB(backend, rows: B, n: H, k: G, a: UnsafePointer(dhb.baseAddress! + t * G), lda: T * G,
                                     w: wb.baseAddress!, c: dhh.baseAddress!, ldc: H, beta: 1)
                }
            }
        } } } } }
        var dx = [S](repeating: 0, count: rows * I)
        var dwih = [S](repeating: 0, count: G * I), dwhh = [S](repeating: 0, count: G * H)
        if rows > 0 && G > 0 {
            dxp.withUnsafeBufferPointer { d in
                wih.withUnsafeBufferPointer { w in dx.withUnsafeMutableBufferPointer { o in
                    if I > 0 { Recurrent.gemmAB(backend, rows: rows, n: I, k: G, a: d.baseAddress!, lda: G, w: w.baseAddress!, c: o.baseAddress!, ldc: I, beta: 0) }
                } }
                x.withUnsafeBufferPointer { xb in dwih.withUnsafeMutableBufferPointer { o in
                    if I > 0 { Recurrent.gemmAtB(backend, rows: rows, m: G, n: I, a: d.baseAddress!, b: xb.baseAddress!, c: o.baseAddress!) }
                } }
            }
            dhp.withUnsafeBufferPointer { d in hPrevAll.withUnsafeBufferPointer { hb in dwhh.withUnsafeMutableBufferPointer { o in
                Recurrent.gemmAtB(backend, rows: rows, m: G, n: H, a: d.baseAddress!, b: hb.baseAddress!, c: o.baseAddress!)
            } } }
        }
        return [Tensor(uncheckedShape: [B, T, I], scalars: dx), Tensor(uncheckedShape: [G, I], scalars: dwih),
                Tensor(uncheckedShape: [G, H], scalars: dwhh),
                Tensor(uncheckedShape: [G], scalars: Recurrent.columnSums(dxp, rows: rows, n: G)),
                Tensor(uncheckedShape: [G], scalars: Recurrent.columnSums(dhp, rows: rows, n: G))]
    }
}
