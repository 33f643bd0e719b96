import Foundation

/// A learning rate as a function of the step (or epoch) count.
public protocol LearningRateSchedule: Sendable {
    /// The learning rate for step `step` (0-based).
    func learningRate(at step: Int) -> Double
}

/// Cosine annealing from `base` to `minimum` over `period` steps (PyTorch `CosineAnnealingLR`, closed form).
public struct CosineSchedule: LearningRateSchedule {
    public let base: Double, minimum: Double, period: Int
    public init(base: Double, period: Int, minimum: Double = 0) {
        self.base = base
        self.period = max(1, period)
        self.minimum = minimum
    }
    public func learningRate(at step: Int) -> Double {
        minimum + (base - minimum) * (1 + cos(Double.pi * Double(step) / Double(period))) / 2
    }
}

/// The one-cycle policy (PyTorch `OneCycleLR`, cosine annealing, no momentum cycling): up from
/// max/divFactor to max over `warmupFraction` of the steps, then down to max/(divFactor·finalDivFactor).
public struct OneCycleSchedule: LearningRateSchedule {
    public let maximum: Double, totalSteps: Int, warmupFraction: Double, divFactor: Double, finalDivFactor: Double
    public init(maximum: Double, totalSteps: Int, warmupFraction: Double = 0.3, divFactor: Double = 25, finalDivFactor: Double = 1e4) {
        self.maximum = maximum
        self.totalSteps = max(2, totalSteps)
        self.warmupFraction = warmupFraction
        self.divFactor = divFactor
        self.finalDivFactor = finalDivFactor
    }
    public func learningRate(at step: Int) -> Double {
        let initial = maximum / divFactor, final = initial / finalDivFactor
        let end1 = warmupFraction * Double(totalSteps) - 1, end2 = Double(totalSteps - 1)
        func anneal(_ from: Double, _ to: Double, _ pct: Double) -> Double { to + (from - to) / 2 * (1 + cos(Double.pi * pct)) }
        let s = Double(step)
        if s <= end1 { return anneal(initial, maximum, s / end1) }
        return anneal(maximum, final, min(1, (s - end1) / (end2 - end1)))
    }
}

/// Cuts the learning rate by `factor` when a monitored loss stops improving for `patience` epochs
/// (PyTorch `ReduceLROnPlateau`, mode "min", relative threshold).
public struct ReduceLROnPlateau: Sendable {
    public let factor: Double, patience: Int, threshold: Double, cooldown: Int, minimum: Double
    public internal(set) var best = Double.infinity
    var badEpochs = 0, cooldownLeft = 0

    public init(factor: Double = 0.1, patience: Int = 10, threshold: Double = 1e-4, cooldown: Int = 0, minimum: Double = 0) {
        self.factor = factor
        self.patience = patience
        self.threshold = threshold
        self.cooldown = cooldown
        self.minimum = minimum
    }

    /// Records an epoch's loss and returns the learning rate to use next.
    public mutating func step(loss: Double, learningRate: Double) -> Double {
        if loss < best * (1 - threshold) { best = loss; badEpochs = 0 } else { badEpochs += 1 }
        if cooldownLeft > 0 { cooldownLeft -= 1; badEpochs = 0 }
        guard badEpochs > patience else { return learningRate }
        cooldownLeft = cooldown
        badEpochs = 0
        let reduced = max(learningRate * factor, minimum)
        return learningRate - reduced > 1e-8 ? reduced : learningRate
    }
}

/// Stops training when a monitored loss has not improved by `minDelta` for `patience` epochs, keeping the best
/// weights to restore.
public struct EarlyStopping<Scalar: TensorScalar>: Sendable {
    public let patience: Int, minDelta: Double
    public internal(set) var best = Double.infinity
    public internal(set) var bestEpoch = -1
    /// The weights at the best epoch so far.
    public internal(set) var bestWeights: StateDict<Scalar>?
    var wait = 0

    public init(patience: Int, minDelta: Double = 0) {
        self.patience = patience
        self.minDelta = minDelta
    }

    /// Records an epoch's loss and weights; returns true when training should stop.
    public mutating func observe(loss: Double, epoch: Int, weights: StateDict<Scalar>) -> Bool {
        if loss < best - minDelta {
            best = loss
            bestEpoch = epoch
            bestWeights = weights
            wait = 0
            return false
        }
        wait += 1
        return wait >= patience
    }
}
