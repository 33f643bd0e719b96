import CTradewindKernels

/// The CPU backend's recurrent time steps: each batch row through the gate loops of `GRUCell` and `LSTMCell` (the C
/// loops of `CTradewindKernels` for Float).
extension CPUBackend {
    /// On AVX-512 machines, Float: each step's input product, recurrent product and gate math fused in C
    /// (`tw_gru_sequence_f32`: tiles of 8 rows × 16 hidden units whose products stay in registers, biases added in the
    /// gate math, no projection written to memory). Elsewhere the step loop.
    public func gruSequence<S: TensorScalar>(_ q: GRUSequence<S>) {
        if S.self == Float.self, q.hidden > 0, tw_kernel_level() >= 2 {
            let f = unsafeBitCast(q, to: GRUSequence<Float>.self)
            if tw_gru_sequence_f32(f.batch, f.steps, f.input, f.hidden, f.reverse ? 1 : 0, f.x, f.weightIH, f.weightHH, f.biasIH, f.biasHH,
                                   f.initial, f.output, f.outputWidth) == 1 { return }
        }
        _ = GRUKernel.steps(self, q, keep: false)
    }

    public func gruStep<S: TensorScalar>(_ s: GRUStep<S>) {
        if S.self == Float.self { Self.gruRows(unsafeBitCast(s, to: GRUStep<Float>.self)) } else { Self.gruRows(s) }
    }

    public func gruStepBackward<S: TensorScalar>(_ s: GRUStepBackward<S>) {
        if S.self == Float.self { Self.gruBackwardRows(unsafeBitCast(s, to: GRUStepBackward<Float>.self)) } else { Self.gruBackwardRows(s) }
    }

    public func lstmStep<S: TensorScalar>(_ s: LSTMStep<S>) {
        if S.self == Float.self { Self.lstmRows(unsafeBitCast(s, to: LSTMStep<Float>.self)) } else { Self.lstmRows(s) }
    }

    public func lstmStepBackward<S: TensorScalar>(_ s: LSTMStepBackward<S>) {
        if S.self == Float.self { Self.lstmBackwardRows(unsafeBitCast(s, to: LSTMStepBackward<Float>.self)) } else { Self.lstmBackwardRows(s) }
    }

    @_specialize(where S == Float) @_specialize(where S == Double)
    static func gruRows<S: TensorScalar>(_ s: GRUStep<S>) {
        for b in 0..<s.rows {
            GRUCell.forward(H: s.hidden, x: s.inputProjection.row(b), h: s.recurrentProjection.row(b), hPrev: s.previous.map { UnsafePointer($0.row(b)) },
                            out: s.output.row(b), r: s.saved?.reset.row(b), z: s.saved?.update.row(b), n: s.candidate.row(b),
                            hn: s.saved?.recurrentCandidate.row(b))
        }
    }

    @_specialize(where S == Float) @_specialize(where S == Double)
    static func gruBackwardRows<S: TensorScalar>(_ s: GRUStepBackward<S>) {
        for b in 0..<s.rows {
            GRUCell.backward(H: s.hidden, dh: s.carried.row(b), dy: s.outputGradient.row(b), hPrev: s.previous.map { UnsafePointer($0.row(b)) },
                             r: s.reset.row(b), z: s.update.row(b), n: s.candidate.row(b), hn: s.recurrentCandidate.row(b),
                             dx: s.inputProjectionGradient.row(b), dhp: s.recurrentProjectionGradient.row(b), hPrevOut: s.previousOut.row(b))
        }
    }

    @_specialize(where S == Float) @_specialize(where S == Double)
    static func lstmRows<S: TensorScalar>(_ s: LSTMStep<S>) {
        for b in 0..<s.rows {
            LSTMCell.forward(H: s.hidden, pre: s.inputProjection.row(b), rec: s.recurrentProjection.map { UnsafePointer($0.row(b)) },
                             cPrev: s.previousCell.map { UnsafePointer($0.row(b)) }, gates: s.gates.row(b), c: s.cell.row(b), h: s.output.row(b))
        }
    }

    @_specialize(where S == Float) @_specialize(where S == Double)
    static func lstmBackwardRows<S: TensorScalar>(_ s: LSTMStepBackward<S>) {
        for b in 0..<s.rows {
            LSTMCell.backward(H: s.hidden, dh: s.carriedHidden.row(b), dc: s.carriedCell.row(b), dy: s.outputGradient.row(b),
                              gates: s.gates.row(b), c: s.cell.row(b), cPrev: s.previousCell.map { UnsafePointer($0.row(b)) },
                              hPrev: s.previousHidden.map { UnsafePointer($0.row(b)) }, da: s.preactivationGradient.row(b),
                              hPrevOut: s.previousOut.row(b))
        }
    }
}
