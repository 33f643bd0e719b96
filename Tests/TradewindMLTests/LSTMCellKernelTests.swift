import Testing
import TradewindCore
@testable import TradewindML

/// The LSTM gate loops of CTradewindKernels — the variant dispatch picks, and each of AVX-512, AVX2+FMA and
/// baseline that this CPU can run — against the readable Swift definitions in `LSTMCell`, on random rows of
/// several widths, with and without previous states.
@Suite struct LSTMCellKernelTests {
    /// Owned copies of rows that the cell functions read and write through pointers.
    final class Rows {
        private var owned: [UnsafeMutablePointer<Float>] = []
        deinit { owned.forEach { $0.deallocate() } }
        func make(_ values: [Float]) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: Swift.max(values.count, 1))
            p.initialize(from: values, count: values.count)
            owned.append(p)
            return p
        }
    }

    static func random(_ n: Int, _ g: inout Xoshiro256StarStar) -> [Float] { (0..<n).map { _ in Float(g.uniform(-3, 3)) } }

    @Test(arguments: [1, 3, 8, 16, 17, 64, 100])
    func cKernelMatchesTheSwiftReference(hidden H: Int) {
        var g = Xoshiro256StarStar(seed: UInt64(H))
        let rows = Rows()
        for previous in [false, true] {
            let pre = rows.make(Self.random(4 * H, &g)), rec = rows.make(Self.random(4 * H, &g))
            let cPrev = rows.make(Self.random(H, &g)), hPrev = rows.make(Self.random(H, &g))
            let dy = rows.make(Self.random(H, &g)), dhIn = Self.random(H, &g), dcIn = Self.random(H, &g)
            let recOrNil: UnsafePointer<Float>? = previous ? UnsafePointer(rec) : nil
            let cOrNil: UnsafePointer<Float>? = previous ? UnsafePointer(cPrev) : nil
            let hOrNil: UnsafePointer<Float>? = previous ? UnsafePointer(hPrev) : nil
            let zeros4 = [Float](repeating: 0, count: 4 * H), zeros = [Float](repeating: 0, count: H)

            let (rg, rc, rh) = (rows.make(zeros4), rows.make(zeros), rows.make(zeros))
            LSTMCell.forwardReference(H: H, pre: pre, rec: recOrNil, cPrev: cOrNil, gates: rg, c: rc, h: rh)
            let (rdh, rdc, rda, rhp) = (rows.make(dhIn), rows.make(dcIn), rows.make(zeros4), rows.make(zeros))
            LSTMCell.backwardReference(H: H, dh: rdh, dc: rdc, dy: dy, gates: rg, c: rc, cPrev: cOrNil, hPrev: hOrNil, da: rda, hPrevOut: rhp)
            // The dispatched call (level -1 stands for it), then every variant this CPU can run.
            for level in [-1] + Array(0...LSTMCell.kernelLevel) {
                let at = "H=\(H) previous=\(previous) level=\(level)"
                let (fg, fc, fh) = (rows.make(zeros4), rows.make(zeros), rows.make(zeros))
                if level < 0 {
                    LSTMCell.forward(H: H, pre: pre, rec: recOrNil, cPrev: cOrNil, gates: fg, c: fc, h: fh)
                } else {
                    LSTMCell.forward(level: level, H: H, pre: pre, rec: recOrNil, cPrev: cOrNil, gates: fg, c: fc, h: fh)
                }
                expectNear(fg, rg, 4 * H, "gates \(at)")
                expectNear(fc, rc, H, "cell \(at)")
                expectNear(fh, rh, H, "hidden \(at)")

                let (fdh, fdc, fda, fhp) = (rows.make(dhIn), rows.make(dcIn), rows.make(zeros4), rows.make(zeros))
                if level < 0 {
                    LSTMCell.backward(H: H, dh: fdh, dc: fdc, dy: dy, gates: rg, c: rc, cPrev: cOrNil, hPrev: hOrNil, da: fda, hPrevOut: fhp)
                } else {
                    LSTMCell.backward(level: level, H: H, dh: fdh, dc: fdc, dy: dy, gates: rg, c: rc, cPrev: cOrNil, hPrev: hOrNil, da: fda, hPrevOut: fhp)
                }
                expectNear(fdh, rdh, H, "dh \(at)")
                expectNear(fdc, rdc, H, "dc \(at)")
                expectNear(fda, rda, 4 * H, "gate gradients \(at)")
                expectNear(fhp, rhp, H, "previous hidden \(at)")
            }
        }
    }

    func expectNear(_ a: UnsafeMutablePointer<Float>, _ e: UnsafeMutablePointer<Float>, _ n: Int, _ what: String,
                    sourceLocation: SourceLocation = #_sourceLocation) {
        let errors = (0..<n).map { abs(Double(a[$0]) - Double(e[$0])) / Swift.max(1, abs(Double(e[$0]))) }
        let bad = errors.firstIndex { !($0 <= 2e-6) }
        #expect(bad == nil, "\(what): error \(bad.map { errors[$0] } ?? 0) at \(bad ?? 0)", sourceLocation: sourceLocation)
    }
}
