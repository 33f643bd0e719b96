/// Non-generic single-precision gate loops: calling `FastFloatMath` directly lets the compiler inline and
/// vectorise them (through the generic `TensorScalar` witness the call stays out of line). The generic kernels
/// dispatch here when `Scalar == Float`; the condition folds away in each specialisation.
enum FloatGateKernels {
    /// h[j] = σ(h[j] + x[j]) for j < count.
    static func sigmoidOfSum(_ h: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, count: Int) {
        for j in 0..<count { h[j] = 1 / (1 + FastFloatMath.exp(-(h[j] + x[j]))) }
    }

    /// n[j] = tanh(x[j] + r[j]·hn[j]) for j < count.
    static func candidate(_ n: UnsafeMutablePointer<Float>, x: UnsafePointer<Float>, r: UnsafePointer<Float>, hn: UnsafePointer<Float>, count: Int) {
        for j in 0..<count { n[j] = FastFloatMath.tanh(x[j] + r[j] * hn[j]) }
    }

    @inline(__always)
    static func cast<S>(_ p: UnsafeMutablePointer<S>) -> UnsafeMutablePointer<Float> {
        UnsafeMutableRawPointer(p).assumingMemoryBound(to: Float.self)
    }

    @inline(__always)
    static func cast<S>(_ p: UnsafePointer<S>) -> UnsafePointer<Float> {
        UnsafeRawPointer(p).assumingMemoryBound(to: Float.self)
    }
}
