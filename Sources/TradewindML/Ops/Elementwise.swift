/// Element-wise arithmetic with broadcasting, and the backward rules that sum gradients back to each
/// operand's shape.
enum Kernels {
    /// Applies `f` element-wise over the broadcast of `a` and `b`.
    static func binary<S: TensorScalar>(_ a: Tensor<S>, _ b: Tensor<S>, op: String, _ f: (S, S) -> S) throws(MLError) -> Tensor<S> {
        if a.shape == b.shape {
            var out: [S] = uninitializedScalars(a.count)
            a.scalars.withUnsafeBufferPointer { ap in
                b.scalars.withUnsafeBufferPointer { bp in
                    out.withUnsafeMutableBufferPointer { o in for i in 0..<o.count { o[i] = f(ap[i], bp[i]) } }
                }
            }
            return Tensor(uncheckedShape: a.shape, scalars: out)
        }
        return try binary(a.view, b.view, op: op, f)
    }

    /// Applies `f` element-wise over the broadcast of two strided views, reading each in place (a transposed,
    /// sliced or selected operand is not gathered first).
    static func binary<S: TensorScalar>(_ a: TensorView<S>, _ b: TensorView<S>, op: String, _ f: (S, S) -> S) throws(MLError) -> Tensor<S> {
        let shape = a.shape == b.shape ? a.shape : try Broadcasting.shape(a.shape, b.shape, op: op)
        let count = shape.reduce(1, *)
        var out: [S] = uninitializedScalars(count)
        guard count > 0 else { return Tensor(uncheckedShape: shape, scalars: out) }
        let sa = Broadcasting.readStrides(a, as: shape), sb = Broadcasting.readStrides(b, as: shape)
        a.storage.withUnsafeBufferPointer { ap in
            b.storage.withUnsafeBufferPointer { bp in
                out.withUnsafeMutableBufferPointer { o in
                    let (pa, pb) = (ap.baseAddress! + a.offset, bp.baseAddress! + b.offset)
                    Broadcasting.forEach(out: shape, aStrides: sa, bStrides: sb) { i, j, k in o[i] = f(pa[j], pb[k]) }
                }
            }
        }
        return Tensor(uncheckedShape: shape, scalars: out)
    }

    /// The backend's `kernel` over the broadcast of two strided views, each read in place (a transposed, sliced or
    /// selected operand is not gathered first).
    static func apply<S: TensorScalar>(_ kernel: BinaryKernel, _ a: TensorView<S>, _ b: TensorView<S>, op: String) throws(MLError) -> Tensor<S> {
        let shape = a.shape == b.shape ? a.shape : try Broadcasting.shape(a.shape, b.shape, op: op)
        let count = shape.reduce(1, *)
        var out: [S] = uninitializedScalars(count)
        guard count > 0 else { return Tensor(uncheckedShape: shape, scalars: out) }
        let sa = Broadcasting.readStrides(a, as: shape), sb = Broadcasting.readStrides(b, as: shape)
        let backend = Compute.backend
        a.storage.withUnsafeBufferPointer { ap in
            b.storage.withUnsafeBufferPointer { bp in
                out.withUnsafeMutableBufferPointer { o in
                    backend.binary(kernel, shape: shape, ap.baseAddress! + a.offset, strides: sa, bp.baseAddress! + b.offset, strides: sb, o.baseAddress!)
                }
            }
        }
        return Tensor(uncheckedShape: shape, scalars: out)
    }

    /// `apply` to two tensors (a gradient and a saved value, in backward rules).
    static func apply<S: TensorScalar>(_ kernel: BinaryKernel, _ a: Tensor<S>, _ b: Tensor<S>) -> Tensor<S> {
        try! apply(kernel, a.view, b.view, op: kernel.rawValue)   // callers pass shapes that broadcast
    }

    /// `x · scale + shift` through the backend.
    static func affine<S: TensorScalar>(_ x: Tensor<S>, scale: S, shift: S = 0) -> Tensor<S> {
        var out: [S] = uninitializedScalars(x.count)
        let backend = Compute.backend
        x.scalars.withUnsafeBufferPointer { xp in out.withUnsafeMutableBufferPointer { backend.affine(xp, scale: scale, shift: shift, $0) } }
        return Tensor(uncheckedShape: x.shape, scalars: out)
    }

    static func map<S: TensorScalar>(_ a: Tensor<S>, _ f: (S) -> S) -> Tensor<S> {
        Tensor(uncheckedShape: a.shape, scalars: a.scalars.map(f))
    }

    static func unary<S: TensorScalar>(_ k: UnaryKernel, _ a: Tensor<S>) -> Tensor<S> {
        var out = [S](repeating: 0, count: a.count)
        let backend = Compute.backend
        a.scalars.withUnsafeBufferPointer { ap in out.withUnsafeMutableBufferPointer { backend.unary(k, ap, $0) } }
        return Tensor(uncheckedShape: a.shape, scalars: out)
    }

    /// Element-wise product of two same-shaped tensors.
    static func mul<S: TensorScalar>(_ a: Tensor<S>, _ b: Tensor<S>) -> Tensor<S> {
        var r = a
        r.scalars.withUnsafeMutableBufferPointer { rp in b.scalars.withUnsafeBufferPointer { bp in for i in 0..<rp.count { rp[i] *= bp[i] } } }
        return r
    }
}

extension Variable {
    /// a + b with broadcasting.
    public static func + (a: Variable, b: Variable) throws(MLError) -> Variable {
        let v = try Kernels.apply(.add, a.view, b.view, op: "add")
        let sa = a.shape, sb = b.shape
        return make(v, [a, b]) { g in [Broadcasting.reduce(g, to: sa), Broadcasting.reduce(g, to: sb)] }
    }

    /// a − b with broadcasting.
    public static func - (a: Variable, b: Variable) throws(MLError) -> Variable {
        let v = try Kernels.apply(.subtract, a.view, b.view, op: "subtract")
        let sa = a.shape, sb = b.shape
        return make(v, [a, b]) { g in [Broadcasting.reduce(g, to: sa), Broadcasting.reduce(Kernels.unary(.negate, g), to: sb)] }
    }

    /// a · b element-wise with broadcasting.
    public static func * (a: Variable, b: Variable) throws(MLError) -> Variable {
        let v = try Kernels.apply(.multiply, a.view, b.view, op: "multiply")
        let av = a.view, bv = b.view   // views of the operands: the rule reads them in place
        return make(v, [a, b]) { g in
            [Broadcasting.reduce(try! Kernels.apply(.multiply, g.view, bv, op: ""), to: av.shape),
             Broadcasting.reduce(try! Kernels.apply(.multiply, g.view, av, op: ""), to: bv.shape)]
        }
    }

    /// a / b element-wise with broadcasting.
    public static func / (a: Variable, b: Variable) throws(MLError) -> Variable {
        let v = try Kernels.apply(.divide, a.view, b.view, op: "divide")
        let av = a.view, bv = b.view
        return make(v, [a, b]) { g in
            let ga = try! Kernels.apply(.divide, g.view, bv, op: "")
            let q = try! Kernels.apply(.divide, v.view, bv, op: "")  // a / b²
            return [Broadcasting.reduce(ga, to: av.shape),
                    Broadcasting.reduce(Kernels.unary(.negate, Kernels.apply(.multiply, g, q)), to: bv.shape)]
        }
    }

    /// −a.
    public static prefix func - (a: Variable) -> Variable {
        make(Kernels.unary(.negate, a.value), [a]) { g in [Kernels.unary(.negate, g)] }
    }

    /// a · s for a constant s.
    public func scaled(by s: Scalar) -> Variable {
        Variable.make(Kernels.affine(value, scale: s), [self]) { g in [Kernels.affine(g, scale: s)] }
    }

    /// a + s for a constant s.
    public func shifted(by s: Scalar) -> Variable {
        Variable.make(Kernels.affine(value, scale: 1, shift: s), [self]) { g in [g] }
    }

    /// aᵖ element-wise for a constant exponent.
    public func power(_ p: Scalar) -> Variable {
        let x = value
        return Variable.make(Kernels.map(x) { Scalar.pow($0, p) }, [self]) { g in
            [try! Kernels.binary(g, Kernels.map(x) { p * Scalar.pow($0, p - 1) }, op: "", *)]
        }
    }

    /// a² element-wise.
    public func squared() -> Variable {
        let x = value
        return Variable.make(Kernels.unary(.square, x), [self]) { g in [Kernels.apply(.multiply, Kernels.affine(g, scale: 2), x)] }
    }

    /// eᵃ element-wise.
    public func exp() -> Variable {
        let y = Kernels.unary(.exp, value)
        return Variable.make(y, [self]) { g in [Kernels.mul(g, y)] }
    }

    /// ln a element-wise (−inf at 0, NaN below).
    public func log() -> Variable {
        let x = value
        return Variable.make(Kernels.unary(.log, x), [self]) { g in [Kernels.apply(.divide, g, x)] }
    }

    /// √a element-wise.
    public func sqrt() -> Variable {
        let y = Kernels.unary(.sqrt, value)
        return Variable.make(y, [self]) { g in [Kernels.apply(.divide, g, Kernels.affine(y, scale: 2))] }
    }

    /// |a| element-wise (gradient 0 at 0, as PyTorch).
    public func abs() -> Variable {
        let x = value
        return Variable.make(Kernels.map(x) { Swift.abs($0) }, [self]) { g in
            [try! Kernels.binary(g, x, op: "", { $1 > 0 ? $0 : ($1 < 0 ? -$0 : 0) })]
        }
    }

    /// sin a element-wise.
    public func sin() -> Variable {
        let x = value
        return Variable.make(Kernels.unary(.sin, x), [self]) { g in [Kernels.mul(g, Kernels.unary(.cos, x))] }
    }
}
