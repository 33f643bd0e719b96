/// Pointer casts for handing `Scalar == Float` buffers to the C gate loops (`CTradewindKernels`), which are
/// compiled for AVX-512, AVX2+FMA and baseline x86-64 and picked at run time. The generic kernels check
/// `S.self == Float.self`; the condition folds away in each specialisation.
enum FloatGateKernels {
    @inline(__always)
    static func cast<S>(_ p: UnsafeMutablePointer<S>) -> UnsafeMutablePointer<Float> {
        UnsafeMutableRawPointer(p).assumingMemoryBound(to: Float.self)
    }

    @inline(__always)
    static func cast<S>(_ p: UnsafePointer<S>) -> UnsafePointer<Float> {
        UnsafeRawPointer(p).assumingMemoryBound(to: Float.self)
    }
}
