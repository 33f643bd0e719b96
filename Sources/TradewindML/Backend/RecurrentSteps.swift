/// Rows of one operand of a recurrent time step: row b starts at `base + b · stride` (stride 0: one row for all).
/// The recurrent kernels keep every tensor batch-major, so a step's rows are evenly spaced in each buffer.
public struct StridedRows<S: TensorScalar> {
    public let base: UnsafeMutablePointer<S>
    public let stride: Int

    public init(_ base: UnsafeMutablePointer<S>, stride: Int) {
        self.base = base
        self.stride = stride
    }

    /// Read-only rows (the backend never writes them).
    public init(reading base: UnsafePointer<S>, stride: Int) {
        self.base = UnsafeMutablePointer(mutating: base)
        self.stride = stride
    }

    /// Row `b`.
    @inline(__always) public func row(_ b: Int) -> UnsafeMutablePointer<S> { base + b * stride }
}

/// One GRU time step over `rows` batch rows (PyTorch's gates r, z, n), for `ComputeBackend.gruStep`.
public struct GRUStep<S: TensorScalar> {
    public let hidden: Int, rows: Int
    /// Input projections [r | z | n] with `bias_ih` (3H per row).
    public let inputProjection: StridedRows<S>
    /// Recurrent projections [r | z | n] with `bias_hh` (3H per row); overwritten with the activated r and z.
    public let recurrentProjection: StridedRows<S>
    /// The previous hidden state (nil: zeros, the first step from no initial state).
    public let previous: StridedRows<S>?
    /// The new hidden state (H per row).
    public let output: StridedRows<S>
    /// The candidate n (always written; one scratch row when nothing is saved).
    public let candidate: StridedRows<S>
    /// Saved for the backward pass when training: r, z and the recurrent candidate projection W_hn h + b_hn.
    public let saved: (reset: StridedRows<S>, update: StridedRows<S>, recurrentCandidate: StridedRows<S>)?
}

/// One direction of a GRU layer over a whole sequence with nothing kept for a backward pass (inference), for
/// `ComputeBackend.gruSequence`: PyTorch's gates r, z, n and weight layout, every tensor batch-major.
public struct GRUSequence<S: TensorScalar> {
    public let batch: Int, steps: Int, input: Int, hidden: Int
    /// Runs from the last step to the first (the backward direction of a bidirectional layer).
    public let reverse: Bool
    /// The input [batch, steps, input].
    public let x: UnsafePointer<S>
    /// W_ih [3·hidden, input], W_hh [3·hidden, hidden], b_ih and b_hh [3·hidden].
    public let weightIH: UnsafePointer<S>, weightHH: UnsafePointer<S>, biasIH: UnsafePointer<S>, biasHH: UnsafePointer<S>
    /// The initial state [batch, hidden] (nil: zeros).
    public let initial: UnsafePointer<S>?
    /// Out: step t of batch row b at `output + (b·steps + t)·outputWidth` (hidden values; a bidirectional layer's
    /// directions share one output of width 2·hidden).
    public let output: UnsafeMutablePointer<S>
    public let outputWidth: Int
}

/// The backward pass of one GRU time step, for `ComputeBackend.gruStepBackward` (see `GRUCell.backward`).
public struct GRUStepBackward<S: TensorScalar> {
    public let hidden: Int, rows: Int
    /// The gradient carried from the next step (in), its direct part d·z (out; the caller adds dHP · W_hh).
    public let carried: StridedRows<S>
    /// The gradient of this step's output.
    public let outputGradient: StridedRows<S>
    /// The previous hidden state (nil: zeros).
    public let previous: StridedRows<S>?
    /// What the forward pass saved: r, z, n and W_hn h + b_hn.
    public let reset: StridedRows<S>, update: StridedRows<S>, candidate: StridedRows<S>, recurrentCandidate: StridedRows<S>
    /// Out: the input-projection gradient [dr | dz | dn], the recurrent-projection gradient [dr | dz | dn ⊙ r], and the
    /// previous hidden state copied out (zeros for none), for the weight gradients.
    public let inputProjectionGradient: StridedRows<S>, recurrentProjectionGradient: StridedRows<S>, previousOut: StridedRows<S>
}

/// One LSTM time step over `rows` batch rows (PyTorch's gates i, f, g, o), for `ComputeBackend.lstmStep`.
public struct LSTMStep<S: TensorScalar> {
    public let hidden: Int, rows: Int
    /// Input projections with both biases (4H per row).
    public let inputProjection: StridedRows<S>
    /// Recurrent projections (4H per row; nil before the first step from a zero state).
    public let recurrentProjection: StridedRows<S>?
    /// The previous cell state (nil: zeros).
    public let previousCell: StridedRows<S>?
    /// Out: the activated gates [i | f | g | o], the new cell state and the new hidden state.
    public let gates: StridedRows<S>, cell: StridedRows<S>, output: StridedRows<S>
}

/// The backward pass of one LSTM time step, for `ComputeBackend.lstmStepBackward` (see `LSTMCell.backward`).
public struct LSTMStepBackward<S: TensorScalar> {
    public let hidden: Int, rows: Int
    /// The hidden-state gradient carried from the next step (in; out zeros, the caller sets dA · W_hh) and the cell
    /// gradient (in; out the previous cell's).
    public let carriedHidden: StridedRows<S>, carriedCell: StridedRows<S>
    /// The gradient of this step's output.
    public let outputGradient: StridedRows<S>
    /// What the forward pass kept: the activated gates and the cell state.
    public let gates: StridedRows<S>, cell: StridedRows<S>
    /// The previous cell and hidden states (nil: zeros).
    public let previousCell: StridedRows<S>?, previousHidden: StridedRows<S>?
    /// Out: the gate pre-activation gradients [di | df | dg | do] and the previous hidden state copied out.
    public let preactivationGradient: StridedRows<S>, previousOut: StridedRows<S>
}
