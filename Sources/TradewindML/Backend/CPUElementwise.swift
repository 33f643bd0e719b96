/// The CPU backend's element-wise binary kernels, scaling and axis sums: loops the compiler specialises for Float and
/// Double (the generic witness only picks the specialisation).
extension CPUBackend {
    public func binary<S: TensorScalar>(_ kernel: BinaryKernel, shape: [Int], _ a: UnsafePointer<S>, strides aStrides: [Int],
                                        _ b: UnsafePointer<S>, strides bStrides: [Int], _ out: UnsafeMutablePointer<S>) {
        typealias K = FloatGateKernels
        if S.self == Float.self {
            ElementwiseLoops.binary(kernel, shape, K.cast(a), aStrides, K.cast(b), bStrides, K.cast(out))
        } else if S.self == Double.self {
            ElementwiseLoops.binary(kernel, shape, DoubleCast.cast(a), aStrides, DoubleCast.cast(b), bStrides, DoubleCast.cast(out))
        } else {
            ElementwiseLoops.binary(kernel, shape, a, aStrides, b, bStrides, out)
        }
    }

    public func affine<S: TensorScalar>(_ x: UnsafeBufferPointer<S>, scale: S, shift: S, _ out: UnsafeMutableBufferPointer<S>) {
        guard let xb = x.baseAddress, let ob = out.baseAddress else { return }
        if S.self == Float.self {
            ElementwiseLoops.affine(FloatGateKernels.cast(xb), x.count, scale: Float(Double(scale)), shift: Float(Double(shift)), FloatGateKernels.cast(ob))
        } else {
            ElementwiseLoops.affine(xb, x.count, scale: scale, shift: shift, ob)
        }
    }

    public func sumAxis<S: TensorScalar>(_ x: UnsafePointer<S>, outer: Int, axis: Int, inner: Int, _ out: UnsafeMutablePointer<S>) {
        if S.self == Float.self {
            ElementwiseLoops.sumAxis(FloatGateKernels.cast(x), outer: outer, axis: axis, inner: inner, FloatGateKernels.cast(out))
        } else {
            ElementwiseLoops.sumAxis(x, outer: outer, axis: axis, inner: inner, out)
        }
    }
}

/// Pointer casts for the Double specialisations (as `FloatGateKernels.cast` for Float).
enum DoubleCast {
    @inline(__always) static func cast<S>(_ p: UnsafePointer<S>) -> UnsafePointer<Double> { UnsafeRawPointer(p).assumingMemoryBound(to: Double.self) }
    @inline(__always) static func cast<S>(_ p: UnsafeMutablePointer<S>) -> UnsafeMutablePointer<Double> {
        UnsafeMutableRawPointer(p).assumingMemoryBound(to: Double.self)
    }
}

/// The loops behind the CPU backend's element-wise kernels.
enum ElementwiseLoops {
    @_specialize(where S == Float) @_specialize(where S == Double)
    static func binary<S: TensorScalar>(_ kernel: BinaryKernel, _ shape: [Int], _ a: UnsafePointer<S>, _ sa: [Int],
                                        _ b: UnsafePointer<S>, _ sb: [Int], _ o: UnsafeMutablePointer<S>) {
        switch kernel {
        case .add: run(shape, a, sa, b, sb, o, +)
        case .subtract: run(shape, a, sa, b, sb, o, -)
        case .multiply: run(shape, a, sa, b, sb, o, *)
        case .divide: run(shape, a, sa, b, sb, o, /)
        case .reluBackward: run(shape, a, sa, b, sb, o) { $1 > 0 ? $0 : 0 }
        case .geluBackward: run(shape, a, sa, b, sb, o) { $0 * Activation.geluDerivative($1) }
        case .tanhBackward: run(shape, a, sa, b, sb, o) { $0 * (1 - $1 * $1) }
        case .sigmoidBackward: run(shape, a, sa, b, sb, o) { $0 * $1 * (1 - $1) }
        }
    }

    /// `o[i] = f(a[i], b[i])` over `shape`, each operand read through its strides (a gap-free pair as one flat loop).
    @inline(__always)
    static func run<S: TensorScalar>(_ shape: [Int], _ a: UnsafePointer<S>, _ sa: [Int], _ b: UnsafePointer<S>, _ sb: [Int],
                                     _ o: UnsafeMutablePointer<S>, _ f: (S, S) -> S) {
        let rowMajor = Tensor<S>.strides(shape)
        if sa == rowMajor && sb == rowMajor {
            for i in 0..<shape.reduce(1, *) { o[i] = f(a[i], b[i]) }
            return
        }
        Broadcasting.forEach(out: shape, aStrides: sa, bStrides: sb) { i, j, k in o[i] = f(a[j], b[k]) }
    }

    @_specialize(where S == Float) @_specialize(where S == Double)
    static func affine<S: TensorScalar>(_ x: UnsafePointer<S>, _ n: Int, scale: S, shift: S, _ o: UnsafeMutablePointer<S>) {
        if shift == 0 {
            for i in 0..<n { o[i] = x[i] * scale }
        } else if scale == 1 {
            for i in 0..<n { o[i] = x[i] + shift }
        } else {
            for i in 0..<n { o[i] = x[i] * scale + shift }
        }
    }

    @_specialize(where S == Float) @_specialize(where S == Double)
    static func sumAxis<S: TensorScalar>(_ x: UnsafePointer<S>, outer: Int, axis n: Int, inner: Int, _ o: UnsafeMutablePointer<S>) {
        o.update(repeating: 0, count: outer * inner)
        for a in 0..<outer {
            for j in 0..<n {
                let base = (a * n + j) * inner
                for b in 0..<inner { o[a * inner + b] += x[base + b] }
            }
        }
    }
}
