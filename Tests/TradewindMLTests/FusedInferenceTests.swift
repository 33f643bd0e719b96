import Testing
import TradewindCore
@testable import TradewindML

/// The inference-only kernels — the fused GRU sequence (`CPUBackend.gruSequence`: each step's input product,
/// recurrent product and gate math in one C pass) and the C layer-normalisation rows — against the step loop and the
/// Swift rows they replace, on odd batch, input and hidden sizes (row blocks of 8 and unit groups of 16 with
/// remainders, no input at all), both directions, with and without an initial state, and inside the universal BiGRU
/// against its taped forward pass.
@Suite struct FusedInferenceTests {
    static func random(_ n: Int, _ g: inout Xoshiro256StarStar, scale: Double = 1) -> [Float] {
        (0..<n).map { _ in Float(g.uniform(-scale, scale)) }
    }

    /// Runs one direction into an output of width `W` (its H columns at `offset`) through `run`; untouched columns stay NaN.
    static func direction(B: Int, T: Int, I: Int, H: Int, W: Int, offset: Int, reverse: Bool, initial: [Float]?,
                          x: [Float], w: [[Float]], run: (GRUSequence<Float>) -> Void) -> [Float] {
        var out = [Float](repeating: .nan, count: B * T * W)
        x.withUnsafeBufferPointer { xb in w[0].withUnsafeBufferPointer { wi in w[1].withUnsafeBufferPointer { wh in
        w[2].withUnsafeBufferPointer { bi in w[3].withUnsafeBufferPointer { bh in (initial ?? []).withUnsafeBufferPointer { h0 in
        out.withUnsafeMutableBufferPointer { o in
            run(GRUSequence(batch: B, steps: T, input: I, hidden: H, reverse: reverse, x: xb.baseAddress!, weightIH: wi.baseAddress!,
                            weightHH: wh.baseAddress!, biasIH: bi.baseAddress!, biasHH: bh.baseAddress!,
                            initial: initial == nil ? nil : h0.baseAddress, output: o.baseAddress! + offset, outputWidth: W))
        } } } } } } }
        return out
    }

    @Test(arguments: [(1, 3, 5), (7, 18, 16), (8, 0, 20), (13, 7, 33), (17, 40, 64)])
    func fusedGRUSequenceEqualsTheStepLoop(batch B: Int, input I: Int, hidden H: Int) {
        var g = Xoshiro256StarStar(seed: UInt64(B * 100 + H))
        let T = 4
        let x = Self.random(B * T * I, &g, scale: 2)
        let w = [Self.random(3 * H * I, &g, scale: 0.5), Self.random(3 * H * H, &g, scale: 0.5), Self.random(3 * H, &g), Self.random(3 * H, &g)]
        for reverse in [false, true] {
            for initial in [nil, Self.random(B * H, &g)] {
                let W = H + 3, offset = 2
                let fused = Self.direction(B: B, T: T, I: I, H: H, W: W, offset: offset, reverse: reverse, initial: initial, x: x, w: w) {
                    CPUBackend().gruSequence($0)
                }
                let loop = Self.direction(B: B, T: T, I: I, H: H, W: W, offset: offset, reverse: reverse, initial: initial, x: x, w: w) {
                    _ = GRUKernel.steps(CPUBackend(), $0, keep: false)
                }
                var worst: Float = 0
                for i in 0..<fused.count {
                    let column = i % W
                    if column < offset || column >= offset + H {
                        #expect(fused[i].isNaN, "column \(column) outside the direction's output was written")
                    } else {
                        worst = Swift.max(worst, abs(fused[i] - loop[i]))
                    }
                }
                #expect(worst <= 5e-6, "B \(B), I \(I), H \(H), reverse \(reverse), initial \(initial != nil): max |fused − loop| = \(worst)")
            }
        }
    }

    @Test(arguments: [1, 7, 16, 128, 257])
    func layerNormRowsEqualTheSwiftRows(columns n: Int) {
        var g = Xoshiro256StarStar(seed: UInt64(n))
        let rows = 5
        let x = Self.random(rows * n, &g, scale: 3), w = Self.random(n, &g), b = Self.random(n, &g)
        var (refH, refR, refY) = ([Float](repeating: 0, count: rows * n), [Float](repeating: 0, count: rows), [Float](repeating: 0, count: rows * n))
        RowKernels.layerNorm(x, w, b, epsilon: 1e-5, rows: rows, n: n, normalized: &refH, reciprocalStd: &refR, out: &refY)
        var (h, r, y) = ([Float](repeating: 0, count: rows * n), [Float](repeating: 0, count: rows), [Float](repeating: 0, count: rows * n))
        x.withUnsafeBufferPointer { xp in w.withUnsafeBufferPointer { wp in b.withUnsafeBufferPointer { bp in
        h.withUnsafeMutableBufferPointer { hp in r.withUnsafeMutableBufferPointer { rp in y.withUnsafeMutableBufferPointer { yp in
            CPUBackend().layerNormRows(xp, weight: wp, bias: bp, epsilon: 1e-5, columns: n, normalized: hp, reciprocalStd: rp, out: yp)
        } } } } } }
        // Inference hands `out` as `normalized`: the same outputs, nothing else needed.
        var (r2, y2) = ([Float](repeating: 0, count: rows), [Float](repeating: 0, count: rows * n))
        x.withUnsafeBufferPointer { xp in w.withUnsafeBufferPointer { wp in b.withUnsafeBufferPointer { bp in
        y2.withUnsafeMutableBufferPointer { yp in r2.withUnsafeMutableBufferPointer { rp in
            CPUBackend().layerNormRows(xp, weight: wp, bias: bp, epsilon: 1e-5, columns: n, normalized: yp, reciprocalStd: rp, out: yp)
        } } } } }
        func worst(_ a: [Float], _ b: [Float]) -> Float { zip(a, b).map { abs($0 - $1) }.max() ?? 0 }
        #expect(worst(h, refH) <= 2e-6 && worst(y, refY) <= 2e-6 && worst(r, refR) <= 2e-6 * (refR.max() ?? 1))
        #expect(worst(y2, y) <= 2e-6 && r2 == r)
    }

    @Test func universalBiGRUInferenceEqualsItsTapedForward() throws {
        let model = UniversalBiGRU(steps: 9, features: 5, architecture: .init(firstRecurrent: 20, secondRecurrent: 12, attentionUnits: 6,
                                                                             firstDense: 10, secondDense: 7))
        var g = Xoshiro256StarStar(seed: 11)
        let weights = model.initialWeights(generator: &g)
        let batch = ThroughputProbe.syntheticBatch(11, steps: 9, features: 5, seed: 4)
        let inferred = try model.outputs(batch, in: ForwardPass(weights: weights, differentiable: false, training: false))
        let taped = try model.outputs(batch, in: ForwardPass(weights: weights, differentiable: true, training: false))
        for (a, b) in zip(inferred, taped) {
            let worst = zip(a.value.scalars, b.value.scalars).map { abs($0 - $1) }.max() ?? 0
            #expect(a.shape == b.shape && worst <= 1e-5, "max |inference − taped| = \(worst)")
        }
    }
}
