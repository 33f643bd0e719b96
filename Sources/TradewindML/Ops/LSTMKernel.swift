/// The fused LSTM over a whole sequence, PyTorch's equations (gate rows ordered i, f, g, o — Keras's kernel
/// uses the same order i, f, c, o):
///   i = σ(·), f = σ(·), g = tanh(·), o = σ(·) of W_i x + b_i + W_h h + b_h;  c' = f ⊙ c + i ⊙ g;  h' = o ⊙ tanh(c').
/// One GEMM projects every step's input; each step adds one [batch, H] × [H, 4H] GEMM. Time-major inside, as the GRU.
enum LSTMKernel {
    /// Runs the LSTM over `x` [batch, steps, input] from zero states; returns the hidden states [batch, steps, hidden].
    static func run<S: TensorScalar>(_ x: Variable<S>, weightIH: Variable<S>, weightHH: Variable<S>,
                                     biasIH: Variable<S>, biasHH: Variable<S>, hidden H: Int, reverse: Bool) throws(MLError) -> Variable<S> {
        let (B, T, I) = try Recurrent.check("LSTM", x: x.value, wih: weightIH.value, whh: weightHH.value,
                                            bih: biasIH.value, bhh: biasHH.value, gates: 4, hidden: H)
        let rows = B * T, G = 4 * H
        let backend = Compute.backend
        let xv = Recurrent.swapLeadingAxes(x.value.scalars, B, T, I), wih = weightIH.value.scalars, whh = weightHH.value.scalars
        let bih = biasIH.value.scalars, bhh = biasHH.value.scalars
        var pre = [S](repeating: 0, count: rows * G)
        for r in 0..<rows { for j in 0..<G { pre[r * G + j] = bih[j] + bhh[j] } }
        xv.withUnsafeBufferPointer { xb in wih.withUnsafeBufferPointer { wb in pre.withUnsafeMutableBufferPointer { pb in
            if rows > 0 && I > 0 { Recurrent.gemmABt(backend, rows: rows, n: G, k: I, a: xb.baseAddress!, lda: I, w: wb.baseAddress!, c: pb.baseAddress!, ldc: G, beta: 1) }
        } } }
        var out = [S](repeating: 0, count: rows * H)
        var gates = [S](repeating: 0, count: rows * G)   // activated i, f, g, o per row
        var cell = [S](repeating: 0, count: rows * H)
        var hp = [S](repeating: 0, count: B * G)
        out.withUnsafeMutableBufferPointer { ob in whh.withUnsafeBufferPointer { wb in hp.withUnsafeMutableBufferPointer { hb in
        pre.withUnsafeBufferPointer { pb in gates.withUnsafeMutableBufferPointer { gb in cell.withUnsafeMutableBufferPointer { cb in
            for s in 0..<T {
                let t = reverse ? T - 1 - s : s
                let prev = reverse ? t + 1 : t - 1
                if s > 0 && H > 0 {
                    Recurrent.gemmABt(backend, rows: B, n: G, k: H, a: UnsafePointer(ob.baseAddress! + prev * B * H), lda: H,
                                      w: wb.baseAddress!, c: hb.baseAddress!, ldc: G, beta: 0)
                }
                for b in 0..<B {
                    let row = t * B + b, pg = row * G, ph = b * G, o = row * H
                    let po = (prev * B + b) * H
                    for j in 0..<H {
                        let rec: (S, S, S, S) = s > 0 ? (hb[ph + j], hb[ph + H + j], hb[ph + 2 * H + j], hb[ph + 3 * H + j]) : (0, 0, 0, 0)
                        let i = Activation.sigmoid(pb[pg + j] + rec.0)
                        let f = Activation.sigmoid(pb[pg + H + j] + rec.1)
                        let g = S.tanh(pb[pg + 2 * H + j] + rec.2)
                        let oo = Activation.sigmoid(pb[pg + 3 * H + j] + rec.3)
                        let cPrev: S = s > 0 ? cb[po + j] : 0
                        let c = f * cPrev + i * g
                        cb[o + j] = c
                        ob[o + j] = oo * S.tanh(c)
                        gb[pg + j] = i; gb[pg + H + j] = f; gb[pg + 2 * H + j] = g; gb[pg + 3 * H + j] = oo
                    }
                }
            }
        } } } } } }
        let result = out, gatesV = gates, cellV = cell
        return Variable.make(Tensor(uncheckedShape: [B, T, H], scalars: Recurrent.swapLeadingAxes(result, T, B, H)),
                             [x, weightIH, weightHH, biasIH, biasHH]) { g in
            backward(Recurrent.swapLeadingAxes(g.scalars, B, T, H), x: xv, wih: wih, whh: whh, out: result, gates: gatesV, cell: cellV, B: B, T: T, I: I, H: H, reverse: reverse)
        }
    }

    static func backward<S: TensorScalar>(_ dy: [S], x: [S], wih: [S], whh: [S], out: [S], gates: [S], cell: [S],
                                          B: Int, T: Int, I: Int, H: Int, reverse: Bool) -> [Tensor<S>?] {
        let rows = B * T, G = 4 * H
        let backend = Compute.backend
        var da = [S](repeating: 0, count: rows * G)   // gradient of the gate pre-activations
        var hPrevAll = [S](repeating: 0, count: rows * H)
        var dh = [S](repeating: 0, count: B * H), dc = [S](repeating: 0, count: B * H)
        da.withUnsafeMutableBufferPointer { dab in dh.withUnsafeMutableBufferPointer { dhh in
        whh.withUnsafeBufferPointer { wb in hPrevAll.withUnsafeMutableBufferPointer { hpa in
            for s in stride(from: T - 1, through: 0, by: -1) {
                let t = reverse ? T - 1 - s : s
                let prev = reverse ? t + 1 : t - 1
                for b in 0..<B {
                    let row = t * B + b, o = row * H, pg = row * G, po = (prev * B + b) * H
                    for j in 0..<H {
                        let d = dhh[b * H + j] + dy[o + j]
                        let i = gates[pg + j], f = gates[pg + H + j], g = gates[pg + 2 * H + j], oo = gates[pg + 3 * H + j]
                        let tc = S.tanh(cell[o + j])
                        let cPrev: S = s > 0 ? cell[po + j] : 0
                        hpa[o + j] = s > 0 ? out[po + j] : 0
                        let dcj = dc[b * H + j] + d * oo * (1 - tc * tc)
                        dab[pg + j] = dcj * g * i * (1 - i)
                        dab[pg + H + j] = dcj * cPrev * f * (1 - f)
                        dab[pg + 2 * H + j] = dcj * i * (1 - g * g)
                        dab[pg + 3 * H + j] = d * tc * oo * (1 - oo)
                        dc[b * H + j] = dcj * f
                        dhh[b * H + j] = 0
                    }
                }
                if s > 0 && H > 0 {
                    Recurrent.gemmAB(backend, rows: B, n: H, k: G, a: UnsafePointer(dab.baseAddress! + t * B * G), lda: G,
                                     w: wb.baseAddress!, c: dhh.baseAddress!, ldc: H, beta: 0)
                }
            }
        } } } }
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
        return [Tensor(uncheckedShape: [B, T, I], scalars: Recurrent.swapLeadingAxes(dx, T, B, I)), Tensor(uncheckedShape: [G, I], scalars: dwih),
                Tensor(uncheckedShape: [G, H], scalars: dwhh), Tensor(uncheckedShape: [G], scalars: db),
                Tensor(uncheckedShape: [G], scalars: db)]
    }
}
