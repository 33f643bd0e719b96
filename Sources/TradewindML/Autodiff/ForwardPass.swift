import TradewindCore

/// One forward computation of a model: the weights it reads, the tape it records on (none for inference),
/// whether it trains (dropout active), and the seeded generator dropout draws from.
public final class ForwardPass<Scalar: TensorScalar> {
    /// The tape, or nil when nothing is recorded (inference).
    public let tape: Tape<Scalar>?
    /// True while training: dropout drops; false in evaluation and inference.
    public let training: Bool
    /// The weights by `state_dict` name.
    public let weights: StateDict<Scalar>
    var generator: Xoshiro256StarStar
    private var watched: [String: Variable<Scalar>] = [:]
    private var watchOrder: [String] = []

    /// A pass over `weights`; `differentiable` records a tape, `training` turns dropout on, `seed` seeds it.
    public init(weights: StateDict<Scalar>, differentiable: Bool, training: Bool, seed: UInt64 = 0) {
        self.weights = weights
        tape = differentiable ? Tape() : nil
        self.training = training
        generator = Xoshiro256StarStar(seed: seed)
    }

    /// The weight `name` as a variable (on the tape when there is one), checked against `shape`.
    @_specialize(where Scalar == Float)
    public func parameter(_ name: String, shape: [Int]) throws(MLError) -> Variable<Scalar> {
        if let v = watched[name] { return v }
        let t = try weights.require(name, shape: shape)
        let v = tape?.watch(t) ?? Variable(t)
        watched[name] = v
        watchOrder.append(name)
        return v
    }

    /// A constant input (or a watched one on the tape, for input gradients).
    public func input(_ tensor: Tensor<Scalar>, differentiable: Bool = false) -> Variable<Scalar> {
        differentiable ? (tape?.watch(tensor) ?? Variable(tensor)) : Variable(tensor)
    }

    /// The gradient of `loss` with respect to every weight (zeros for weights the loss does not use).
    @_specialize(where Scalar == Float)
    public func gradients(of loss: Variable<Scalar>) throws(MLError) -> StateDict<Scalar> {
        guard let tape else { throw .notDifferentiable(detail: "the forward pass recorded no tape (differentiable: false)") }
        let names = weights.names
        let vars = try names.map { (n) throws(MLError) -> Variable<Scalar> in
            if let v = watched[n] { return v }
            return tape.watch(try weights.require(n, shape: weights[n]!.shape))
        }
        let grads = try tape.gradients(of: loss, for: vars)
        var d = StateDict<Scalar>()
        for (n, g) in zip(names, grads) { d[n] = g }
        return d
    }

    /// Uses `v` as the weight `name` (gradient checks treat weights as inputs on their own tape).
    func bind(_ name: String, _ v: Variable<Scalar>) {
        if watched[name] == nil { watchOrder.append(name) }
        watched[name] = v
    }

    /// Draws the next uniform number in [0, 1) for dropout masks.
    func nextUniform() -> Double { generator.uniform(0, 1) }
}
