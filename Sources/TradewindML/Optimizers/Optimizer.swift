/// An optimizer updates weights in place from their gradients (matched by `state_dict` name).
public protocol Optimizer<Scalar> {
    associatedtype Scalar: TensorScalar
    /// The learning rate of the next step (schedules set it).
    var learningRate: Double { get set }
    /// Applies one update; throws when a gradient is missing, misshapen or not finite.
    mutating func step(_ weights: inout StateDict<Scalar>, gradients: StateDict<Scalar>) throws(MLError)
    /// Everything the next steps depend on (rate, step count, moment buffers), for a training checkpoint.
    var state: OptimizerState<Scalar> { get }
    /// Continues from a checkpoint's `state` (of the same kind of optimizer).
    mutating func restore(_ state: OptimizerState<Scalar>) throws(MLError)
}

enum OptimizerCheck {
    static func gradient<S: TensorScalar>(_ name: String, _ w: Tensor<S>, _ grads: StateDict<S>) throws(MLError) -> Tensor<S> {
        let g = try grads.require(name, shape: w.shape)
        try g.requireFinite("gradient of '\(name)'")
        return g
    }
}

/// Stochastic gradient descent with momentum, dampening, Nesterov and L2 weight decay (PyTorch `optim.SGD`).
public struct SGD<Scalar: TensorScalar>: Optimizer {
    public var learningRate: Double
    public var momentum: Double
    public var dampening: Double
    public var weightDecay: Double
    public var nesterov: Bool
    var buffers: [String: [Scalar]] = [:]

    public init(learningRate: Double, momentum: Double = 0, dampening: Double = 0, weightDecay: Double = 0, nesterov: Bool = false) {
        self.learningRate = learningRate
        self.momentum = momentum
        self.dampening = dampening
        self.weightDecay = weightDecay
        self.nesterov = nesterov
    }

    @_specialize(where Scalar == Float)
    public mutating func step(_ weights: inout StateDict<Scalar>, gradients: StateDict<Scalar>) throws(MLError) {
        let lr = Scalar(learningRate), mu = Scalar(momentum), damp = Scalar(dampening), wd = Scalar(weightDecay)
        for name in weights.names {
            var w = weights[name]!
            var g = try OptimizerCheck.gradient(name, w, gradients).scalars
            if wd != 0 { for i in 0..<g.count { g[i] += wd * w.scalars[i] } }
            if mu != 0 {
                if var buf = buffers[name] {
                    for i in 0..<g.count { buf[i] = mu * buf[i] + (1 - damp) * g[i] }
                    buffers[name] = buf
                } else {
                    buffers[name] = g
                }
                let buf = buffers[name]!
                if nesterov { for i in 0..<g.count { g[i] += mu * buf[i] } } else { g = buf }
            }
            for i in 0..<g.count { w.scalars[i] -= lr * g[i] }
            weights[name] = w
        }
    }
}

/// Adam (PyTorch `optim.Adam`, L2 `weightDecay` added to the gradient) or, with `decoupledWeightDecay`, AdamW
/// (PyTorch `optim.AdamW`: weights shrink by lr·decay before the Adam step).
public struct Adam<Scalar: TensorScalar>: Optimizer {
    public var learningRate: Double
    public var beta1: Double
    public var beta2: Double
    public var epsilon: Double
    public var weightDecay: Double
    public var decoupledWeightDecay: Bool
    /// Steps taken so far.
    public internal(set) var steps = 0
    var m: [String: [Scalar]] = [:]
    var v: [String: [Scalar]] = [:]

    public init(learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
                weightDecay: Double = 0, decoupledWeightDecay: Bool = false) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.decoupledWeightDecay = decoupledWeightDecay
    }

    /// AdamW with PyTorch's default decay 0.01.
    public static func adamW(learningRate: Double = 1e-3, weightDecay: Double = 0.01) -> Adam {
        Adam(learningRate: learningRate, weightDecay: weightDecay, decoupledWeightDecay: true)
    }

    @_specialize(where Scalar == Float)
    public mutating func step(_ weights: inout StateDict<Scalar>, gradients: StateDict<Scalar>) throws(MLError) {
        steps += 1
        let b1 = Scalar(beta1), b2 = Scalar(beta2), eps = Scalar(epsilon), lr = Scalar(learningRate), wd = Scalar(weightDecay)
        let bc1 = 1 - Scalar.pow(b1, Scalar(steps)), bc2 = 1 - Scalar.pow(b2, Scalar(steps))
        let stepSize = lr / bc1, bc2Sqrt = Scalar.sqrt(bc2)
        for name in weights.names {
            var w = weights[name]!
            var g = try OptimizerCheck.gradient(name, w, gradients).scalars
            var mn = m[name] ?? [Scalar](repeating: 0, count: g.count)
            var vn = v[name] ?? [Scalar](repeating: 0, count: g.count)
            w.scalars.withUnsafeMutableBufferPointer { wp in
                if wd != 0 {
                    if decoupledWeightDecay { for i in 0..<wp.count { wp[i] *= 1 - lr * wd } }
                    else { for i in 0..<wp.count { g[i] += wd * wp[i] } }
                }
                for i in 0..<wp.count {
                    mn[i] += (g[i] - mn[i]) * (1 - b1)
                    vn[i] = vn[i] * b2 + (1 - b2) * g[i] * g[i]
                    wp[i] -= stepSize * mn[i] / (Scalar.sqrt(vn[i]) / bc2Sqrt + eps)
                }
            }
            m[name] = mn
            v[name] = vn
            weights[name] = w
        }
    }
}

/// Gradient clipping.
public enum GradientClipping {
    /// Scales all gradients by maxNorm / (‖g‖ + 1e-6) when their global L2 norm exceeds `maxNorm` (PyTorch
    /// `clip_grad_norm_`); returns the norm before clipping.
    @discardableResult
    @_specialize(where S == Float)
    public static func clipNorm<S: TensorScalar>(_ gradients: inout StateDict<S>, maxNorm: Double) throws(MLError) -> Double {
        guard maxNorm > 0 else { throw .invalidArgument(name: "maxNorm", value: "\(maxNorm)", expected: "> 0") }
        var total = 0.0
        for n in gradients.names { for g in gradients[n]!.scalars { total += Double(g) * Double(g) } }
        let norm = total.squareRoot()
        guard norm.isFinite else { throw .nonFinite(what: "gradient norm") }
        let coef = maxNorm / (norm + 1e-6)
        if coef < 1 {
            for n in gradients.names { gradients[n] = Kernels.map(gradients[n]!) { $0 * S(coef) } }
        }
        return norm
    }
}
