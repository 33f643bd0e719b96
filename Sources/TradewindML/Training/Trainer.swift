import Foundation
import TradewindCore

/// How to train: epochs, batching, the generator seed, clipping, schedules and early stopping.
public struct TrainingConfiguration: Sendable {
    public var epochs: Int
    public var batchSize: Int
    /// Seeds the shuffles and dropout: the same seed (and BLAS thread count) gives the same run.
    public var seed: UInt64
    public var shuffle: Bool
    /// Global gradient-norm clipping, nil for none.
    public var clipNorm: Double?
    /// A per-step learning-rate schedule, nil to keep the optimizer's rate.
    public var schedule: (any LearningRateSchedule)?
    /// Epoch-level plateau reduction on the validation loss (the training loss without validation data).
    public var plateau: ReduceLROnPlateau?
    /// Patience for early stopping on the same loss (the best weights are restored), nil for none.
    public var earlyStoppingPatience: Int?

    public init(epochs: Int, batchSize: Int, seed: UInt64 = 0, shuffle: Bool = true, clipNorm: Double? = nil,
                schedule: (any LearningRateSchedule)? = nil, plateau: ReduceLROnPlateau? = nil, earlyStoppingPatience: Int? = nil) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.seed = seed
        self.shuffle = shuffle
        self.clipNorm = clipNorm
        self.schedule = schedule
        self.plateau = plateau
        self.earlyStoppingPatience = earlyStoppingPatience
    }
}

/// The outcome of `Trainer.fit`.
public struct TrainingResult<Scalar: TensorScalar>: Sendable {
    /// The final weights (the best epoch's when early stopping restored them).
    public let weights: StateDict<Scalar>
    public let history: [EpochRecord]
    /// The epoch whose weights were restored, nil when training ran to the end without early stopping.
    public let restoredEpoch: Int?
}

/// Fits a `SupervisedModel` with mini-batches, validation each epoch, callbacks, clipping, schedules and early
/// stopping. Runs on the calling thread: call it from a `DedicatedThread`, never on an event loop.
public struct Trainer<Model: SupervisedModel> {
    public let model: Model
    public var configuration: TrainingConfiguration

    public init(model: Model, configuration: TrainingConfiguration) {
        self.model = model
        self.configuration = configuration
    }

    public func fit<D: TrainingData<Model.Batch>, V: TrainingData<Model.Batch>>(
        from initial: StateDict<Model.Scalar>, data: D, validation: V?, optimizer: inout some Optimizer<Model.Scalar>,
        cancellation: CancellationFlag? = nil, checkpointing: TrainingCheckpointing<Model.Scalar>? = nil,
        callback: (TrainingEvent) -> Void = { _ in }
    ) throws(MLError) -> TrainingResult<Model.Scalar> {
        let c = configuration
        guard c.epochs >= 1 else { throw .invalidArgument(name: "epochs", value: "\(c.epochs)", expected: "≥ 1") }
        guard c.batchSize >= 1 else { throw .invalidArgument(name: "batchSize", value: "\(c.batchSize)", expected: "≥ 1") }
        guard data.count >= 1 else { throw .invalidArgument(name: "training samples", value: "0", expected: "at least one sample") }
        for (name, shape) in model.weightShapes { _ = try initial.require(name, shape: shape) }
        var weights = initial
        var history: [EpochRecord] = []
        var plateau = c.plateau
        var stopper = c.earlyStoppingPatience.map { EarlyStopping<Model.Scalar>(patience: $0) }
        var generator = Xoshiro256StarStar(seed: c.seed)
        var order = Array(0..<data.count)
        let batches = (data.count + c.batchSize - 1) / c.batchSize
        let start = Date()
        var step = 0
        var firstEpoch = 0
        // What a checkpoint must match to be resumed by this run.
        var identity = checkpointing?.identity ?? [:]
        identity["epochs"] = "\(c.epochs)"
        identity["batchSize"] = "\(c.batchSize)"
        identity["seed"] = "\(c.seed)"
        identity["shuffle"] = "\(c.shuffle)"
        identity["samples"] = "\(data.count)"
        identity["validationSamples"] = "\(validation?.count ?? 0)"
        identity["weights"] = model.weightShapes.map { "\($0.name)\($0.shape)" }.joined(separator: ",")
        func finished() -> TrainingResult<Model.Scalar> {
            if let s = stopper, let best = s.bestWeights, s.bestEpoch != history.count - 1 {
                return TrainingResult(weights: best, history: history, restoredEpoch: s.bestEpoch)
            }
            return TrainingResult(weights: weights, history: history, restoredEpoch: nil)
        }
        if let resume = try checkpointing?.resumable(identity: identity, shapes: model.weightShapes, samples: data.count, epochs: c.epochs) {
            weights = resume.weights
            try optimizer.restore(resume.optimizer)
            if let counters = resume.plateau, var p = plateau {
                (p.best, p.badEpochs, p.cooldownLeft) = (counters.best, counters.badEpochs, counters.cooldownLeft)
                plateau = p
            }
            if let counters = resume.earlyStopping, var s = stopper {
                (s.best, s.bestEpoch, s.wait, s.bestWeights) = (counters.best, counters.bestEpoch, counters.wait, resume.bestWeights)
                stopper = s
            }
            generator = Xoshiro256StarStar(state: resume.generator)
            order = resume.order
            history = resume.history
            step = resume.steps
            firstEpoch = resume.epochsDone
            if resume.stopped, let s = stopper, let best = s.bestWeights {
                return TrainingResult(weights: best, history: history, restoredEpoch: s.bestEpoch)
            }
        }
        for epoch in firstEpoch..<max(firstEpoch, c.epochs) {
            let epochStart = Date()
            if c.shuffle { order.shuffle(using: &generator) }
            var lossSum = 0.0
            var metricSums: [String: Double] = [:]
            var batchesDone = 0
            for b in 0..<batches {
                if cancellation?.isCancelled == true { break }
                let indices = Array(order[(b * c.batchSize)..<min(data.count, (b + 1) * c.batchSize)])
                let batch = try data.batch(indices)
                let pass = ForwardPass(weights: weights, differentiable: true, training: true, seed: c.seed &+ UInt64(step) &* 0x9E37_79B9)
                let outputs = try model.outputs(batch, in: pass)
                let loss = try model.loss(outputs, batch)
                for (k, v) in model.metrics(outputs, batch) { metricSums[k, default: 0] += v * Double(indices.count) }
                let value = Double(loss.value.item)
                guard value.isFinite else { throw .nonFinite(what: "training loss at epoch \(epoch + 1), batch \(b + 1)") }
                var grads = try pass.gradients(of: loss)
                if let clip = c.clipNorm { try GradientClipping.clipNorm(&grads, maxNorm: clip) }
                if let s = c.schedule { optimizer.learningRate = s.learningRate(at: step) }
                try optimizer.step(&weights, gradients: grads)
                step += 1
                batchesDone += 1
                lossSum += value * Double(indices.count)
                let elapsed = Date().timeIntervalSince(start)
                let done = Double(epoch * batches + b + 1), total = Double(c.epochs * batches)
                callback(.batchEnded(TrainingProgress(epoch: epoch, epochs: c.epochs, batch: b, batches: batches, loss: value,
                                                      elapsed: elapsed, eta: elapsed / done * (total - done))))
            }
            let trainingLoss = lossSum / Double(data.count)
            let validated = try validation.map { (v) throws(MLError) in try evaluateWithMetrics(weights, v, batchSize: c.batchSize) }
            let validationLoss = validated?.loss
            let monitored = validationLoss ?? trainingLoss
            if var p = plateau {
                optimizer.learningRate = p.step(loss: monitored, learningRate: optimizer.learningRate)
                plateau = p
            }
            let record = EpochRecord(epoch: epoch, trainingLoss: trainingLoss, validationLoss: validationLoss,
                                     metrics: metricSums.mapValues { $0 / Double(data.count) },
                                     validationMetrics: validated?.metrics ?? [:], learningRate: optimizer.learningRate, seconds: Date().timeIntervalSince(epochStart))
            history.append(record)
            callback(.epochEnded(record))
            // An epoch cut short by cancellation is neither judged nor checkpointed.
            if batchesDone < batches { break }
            var stop = false
            if var s = stopper {
                stop = s.observe(loss: monitored, epoch: epoch, weights: weights)
                stopper = s
            }
            if let checkpointing {
                try checkpointing.save(TrainingCheckpoint(
                    epochsDone: epoch + 1, stopped: stop && stopper?.bestWeights != nil, steps: step, weights: weights,
                    optimizer: optimizer.state, history: history, identity: identity,
                    plateau: plateau.map { .init(best: $0.best, badEpochs: $0.badEpochs, cooldownLeft: $0.cooldownLeft) },
                    earlyStopping: stopper.map { .init(best: $0.best, bestEpoch: $0.bestEpoch, wait: $0.wait) },
                    bestWeights: stopper?.bestWeights, generator: generator.state, order: order))
            }
            if stop, let s = stopper, let best = s.bestWeights {
                callback(.stoppedEarly(bestEpoch: s.bestEpoch, bestLoss: s.best))
                return TrainingResult(weights: best, history: history, restoredEpoch: s.bestEpoch)
            }
            if cancellation?.isCancelled == true { break }
        }
        return finished()
    }

    /// The sample-weighted mean loss over `data` in evaluation mode (no tape, no dropout).
    public func evaluate<V: TrainingData<Model.Batch>>(_ weights: StateDict<Model.Scalar>, _ data: V, batchSize: Int) throws(MLError) -> Double {
        try evaluateWithMetrics(weights, data, batchSize: batchSize).loss
    }

    /// The sample-weighted mean loss and metrics over `data` in evaluation mode.
    public func evaluateWithMetrics<V: TrainingData<Model.Batch>>(_ weights: StateDict<Model.Scalar>, _ data: V, batchSize: Int) throws(MLError) -> (loss: Double, metrics: [String: Double]) {
        guard batchSize >= 1 else { throw .invalidArgument(name: "batchSize", value: "\(batchSize)", expected: "≥ 1") }
        guard data.count > 0 else { throw .invalidArgument(name: "validation samples", value: "0", expected: "at least one sample") }
        var sum = 0.0
        var metricSums: [String: Double] = [:]
        var i = 0
        while i < data.count {
            let indices = Array(i..<min(data.count, i + batchSize))
            let batch = try data.batch(indices)
            let pass = ForwardPass(weights: weights, differentiable: false, training: false)
            let outputs = try model.outputs(batch, in: pass)
            let loss = Double(try model.loss(outputs, batch).value.item)
            for (k, v) in model.metrics(outputs, batch) { metricSums[k, default: 0] += v * Double(indices.count) }
            guard loss.isFinite else { throw .nonFinite(what: "validation loss of samples \(indices.first!)..<\(indices.last! + 1)") }
            sum += loss * Double(indices.count)
            i += batchSize
        }
        return (sum / Double(data.count), metricSums.mapValues { $0 / Double(data.count) })
    }
}

/// Batched inference: no tape, no dropout; a NaN or infinite prediction is an error, not a silent result.
public enum Inference {
    /// Each head's outputs for all of `data`, computed `batchSize` samples at a time and joined along axis 0.
    public static func predict<Model: SupervisedModel, D: TrainingData<Model.Batch>>(
        _ model: Model, weights: StateDict<Model.Scalar>, data: D, batchSize: Int
    ) throws(MLError) -> [Tensor<Model.Scalar>] {
        guard batchSize >= 1 else { throw .invalidArgument(name: "batchSize", value: "\(batchSize)", expected: "≥ 1") }
        var parts: [[Variable<Model.Scalar>]] = []
        var i = 0
        while i < data.count {
            let batch = try data.batch(Array(i..<min(data.count, i + batchSize)))
            parts.append(try model.outputs(batch, in: ForwardPass(weights: weights, differentiable: false, training: false)))
            i += batchSize
        }
        guard let heads = parts.first?.count else { return [] }
        return try (0..<heads).map { (h) throws(MLError) in
            let joined = try Variable.concat(parts.map { $0[h] }, axis: 0).value
            try joined.requireFinite("predictions of head \(h) (NaN or infinite inputs or weights?)")
            return joined
        }
    }
}
