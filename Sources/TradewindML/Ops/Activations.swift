/// Activation functions with their derivatives.
extension Variable {
    /// max(0, a) (gradient 0 at 0, as PyTorch).
    public func relu() -> Variable {
        let x = value
        return Variable.make(Kernels.unary(.relu, x), [self]) { g in [Kernels.apply(.reluBackward, g, x)] }
    }

    /// Exact GELU, a·Φ(a) (PyTorch's `approximate='none'`).
    public func gelu() -> Variable {
        let x = value
        return Variable.make(Kernels.unary(.gelu, x), [self]) { g in
            [Kernels.apply(.geluBackward, g, x)]
        }
    }

    /// tanh a.
    public func tanh() -> Variable {
        let y = Kernels.unary(.tanh, value)
        return Variable.make(y, [self]) { g in [Kernels.apply(.tanhBackward, g, y)] }
    }

    /// The logistic function 1 / (1 + e⁻ᵃ).
    public func sigmoid() -> Variable {
        let y = Kernels.unary(.sigmoid, value)
        return Variable.make(y, [self]) { g in [Kernels.apply(.sigmoidBackward, g, y)] }
    }
}
