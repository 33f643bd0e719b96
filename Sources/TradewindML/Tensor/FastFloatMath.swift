/// Branch-free single-precision exp and tanh that the compiler can vectorise (glibc's `expf`/`tanhf` are
/// scalar calls, and `tanhf` goes through `expm1f`): Cephes's expf polynomial after range reduction by ln 2,
/// the power of two built from the exponent bits. Relative error about 2 ulp over the whole range; inputs are
/// clamped to ±88.3 so nothing overflows to infinity.
enum FastFloatMath {
    @inline(__always)
    static func exp(_ x: Float) -> Float {
        let xc = Swift.min(Swift.max(x, -87.3), 88.3)
        let magic: Float = 12_582_912   // 1.5 · 2²³: adding it rounds to the nearest integer
        let k = xc * 1.442_695_04 + magic
        let n = k - magic
        let r = xc - n * 0.693_359_375 - n * -2.121_944_4e-4
        let r2 = r * r
        var p: Float = 1.987_569_15e-4
        p = p * r + 1.398_199_95e-3
        p = p * r + 8.333_451_9e-3
        p = p * r + 4.166_579_59e-2
        p = p * r + 1.666_666_55e-1
        p = p * r + 5.000_000_12e-1
        let poly = p * r2 + r + 1
        let bits = (k.bitPattern &- 0x4B40_0000 &+ 127) << 23
        return poly * Float(bitPattern: bits)
    }

    @inline(__always)
    static func tanh(_ x: Float) -> Float {
        let x2 = x * x
        let small = x * (1 + x2 * (-1 / 3 + x2 * (2 / 15)))
        let large = 1 - 2 / (exp(2 * x) + 1)
        return x2 < 0.0025 ? small : large
    }
}
