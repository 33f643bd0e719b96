import Foundation
import TradewindCore

/// Everything `Trainer.fit` needs to continue a run after its last finished epoch and end with the same weights,
/// bit for bit, as a run that was never interrupted: the weights, the optimizer's state (Adam's moments and step
/// count, the learning rate), the plateau schedule's and early stopping's counters with the best weights so far,
/// the shuffle generator's state and the sample order it has shuffled, the step count (which seeds dropout) and the
/// epoch history. Stored as one safetensors file (tensors `weights/…`, `best/…`, `optimizer/…`; the counters as
/// JSON in its metadata), written atomically, so a crash leaves the previous epoch's checkpoint or the new one.
public struct TrainingCheckpoint<Scalar: TensorScalar>: Sendable {
    /// Epochs finished; training continues with this epoch (0-based).
    public var epochsDone: Int
    /// True when early stopping ended the run at this epoch: resuming returns the result without training.
    public var stopped: Bool
    /// Optimizer steps taken (each batch's dropout is seeded from it).
    public var steps: Int
    public var weights: StateDict<Scalar>
    public var optimizer: OptimizerState<Scalar>
    public var history: [EpochRecord]
    /// What the run was started with (batch size, seed, sample counts, weight shapes and the caller's own keys,
    /// such as a dataset hash); a checkpoint is resumed only by a run with the same identity.
    public var identity: [String: String]
    var plateau: PlateauCounters?
    var earlyStopping: EarlyStoppingCounters?
    var bestWeights: StateDict<Scalar>?
    var generator: (UInt64, UInt64, UInt64, UInt64)
    var order: [Int]

    struct PlateauCounters: Codable {
        var best: Double, badEpochs: Int, cooldownLeft: Int
    }

    struct EarlyStoppingCounters: Codable {
        var best: Double, bestEpoch: Int, wait: Int
    }

    /// The checkpoint at `path`, nil when there is none.
    public static func load(_ path: String) throws(MLError) -> TrainingCheckpoint? {
        try TrainingCheckpointMedium.file(path).read().map { (bytes) throws(MLError) in try decoded(bytes, source: path) }
    }

    /// The checkpoint in `bytes` (what `encoded()` gives); `source` names where they came from in errors.
    public static func decoded(_ bytes: Data, source path: String) throws(MLError) -> TrainingCheckpoint {
        let (tensors, metadata): (StateDict<Scalar>, [String: String]) = try SafeTensors.parseWithMetadata(bytes, path: path)
        guard let text = metadata[metadataKey] else {
            throw .corruptFile(path: path, detail: "no '\(metadataKey)' metadata; not a training checkpoint")
        }
        let header: Header
        do { header = try JSONDecoder().decode(Header.self, from: Data(text.utf8)) } catch {
            throw .corruptFile(path: path, detail: "training checkpoint metadata: \(error)")
        }
        guard header.format == Header.currentFormat else {
            throw .corruptFile(path: path, detail: "checkpoint format \(header.format); this build reads format \(Header.currentFormat)")
        }
        guard header.generatorWords.count == 4 else {
            throw .corruptFile(path: path, detail: "generator state must be four 64-bit words, found \(header.generatorWords.count)")
        }
        let g = header.generatorWords.map(\.value)
        func group(_ prefix: String) -> StateDict<Scalar> {
            var d = StateDict<Scalar>()
            for name in tensors.names where name.hasPrefix(prefix + "/") { d[String(name.dropFirst(prefix.count + 1))] = tensors[name] }
            return d
        }
        return TrainingCheckpoint(
            epochsDone: header.epochsDone, stopped: header.stopped, steps: header.steps, weights: group("weights"),
            optimizer: OptimizerState(kind: header.optimizerKind, learningRate: header.learningRate.double,
                                      steps: header.optimizerSteps, buffers: group("optimizer")),
            history: header.history, identity: header.identity,
            plateau: header.plateau.map { PlateauCounters(best: $0.best.double, badEpochs: $0.badEpochs, cooldownLeft: $0.cooldownLeft) },
            earlyStopping: header.earlyStopping.map { EarlyStoppingCounters(best: $0.best.double, bestEpoch: $0.bestEpoch, wait: $0.wait) },
            bestWeights: header.hasBestWeights ? group("best") : nil, generator: (g[0], g[1], g[2], g[3]), order: header.order)
    }

    /// Writes the checkpoint to `path` atomically (the previous one stays whole until the new one replaces it).
    public func save(to path: String) throws(MLError) {
        try TrainingCheckpointMedium.file(path).write(try encoded(), epochsDone)
    }

    /// The checkpoint's bytes: one safetensors file (tensors `weights/…`, `best/…`, `optimizer/…`; the counters as
    /// JSON in its metadata).
    public func encoded() throws(MLError) -> [UInt8] {
        var tensors = StateDict<Scalar>()
        for n in weights.names { tensors["weights/" + n] = weights[n] }
        for n in optimizer.buffers.names { tensors["optimizer/" + n] = optimizer.buffers[n] }
        if let bestWeights { for n in bestWeights.names { tensors["best/" + n] = bestWeights[n] } }
        let header = Header(
            epochsDone: epochsDone, stopped: stopped, steps: steps, optimizerKind: optimizer.kind,
            learningRate: Word(optimizer.learningRate), optimizerSteps: optimizer.steps,
            plateau: plateau.map { .init(best: Word($0.best), badEpochs: $0.badEpochs, cooldownLeft: $0.cooldownLeft) },
            earlyStopping: earlyStopping.map { .init(best: Word($0.best), bestEpoch: $0.bestEpoch, wait: $0.wait) },
            hasBestWeights: bestWeights != nil, generator: [generator.0, generator.1, generator.2, generator.3],
            order: order, history: history, identity: identity)
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let text: String
        do { text = String(decoding: try encoder.encode(header), as: UTF8.self) } catch {
            throw .invalidArgument(name: "training checkpoint", value: "epoch \(epochsDone)", expected: "encodable counters (\(error))")
        }
        return SafeTensors.encoded(tensors, metadata: [Self.metadataKey: text])
    }

    /// Refuses a checkpoint written by a run with another identity, naming the first key that differs.
    func requireIdentity(_ expected: [String: String], path: String) throws(MLError) {
        for key in Set(expected.keys).union(identity.keys).sorted() where expected[key] != identity[key] {
            throw .invalidArgument(
                name: "checkpoint \(path) \(key)", value: identity[key] ?? "absent",
                expected: "\(expected[key] ?? "absent") as this run has it (the checkpoint belongs to another run: delete it to train from the start)")
        }
    }

    static var metadataKey: String { "tradewind.training_checkpoint" }

    /// A 64-bit word stored as hex text (JSON numbers lose precision above 2^53 in many readers); a double is stored
    /// as its bit pattern (infinity included), so a restored rate or loss is the same number.
    struct Word: Codable {
        var value: UInt64
        init(_ value: UInt64) { self.value = value }
        init(_ value: Double) { self.value = value.bitPattern }
        var double: Double { Double(bitPattern: value) }
        init(from decoder: any Decoder) throws {
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let v = UInt64(text, radix: 16) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\(text) is not a hex word"))
            }
            value = v
        }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.singleValueContainer()
            try c.encode(String(value, radix: 16))
        }
    }

    struct Header: Codable {
        static var currentFormat: Int { 1 }
        var format = Header.currentFormat
        var epochsDone: Int, stopped: Bool, steps: Int
        var optimizerKind: String, learningRate: Word, optimizerSteps: Int
        var plateau: Plateau?
        var earlyStopping: Stopping?
        var hasBestWeights: Bool
        var generatorWords: [Word]
        var order: [Int]
        var history: [EpochRecord]
        var identity: [String: String]

        struct Plateau: Codable { var best: Word, badEpochs: Int, cooldownLeft: Int }
        struct Stopping: Codable { var best: Word, bestEpoch: Int, wait: Int }

        init(epochsDone: Int, stopped: Bool, steps: Int, optimizerKind: String, learningRate: Word, optimizerSteps: Int,
             plateau: Plateau?, earlyStopping: Stopping?, hasBestWeights: Bool, generator: [UInt64], order: [Int],
             history: [EpochRecord], identity: [String: String]) {
            (self.epochsDone, self.stopped, self.steps) = (epochsDone, stopped, steps)
            (self.optimizerKind, self.learningRate, self.optimizerSteps) = (optimizerKind, learningRate, optimizerSteps)
            (self.plateau, self.earlyStopping, self.hasBestWeights) = (plateau, earlyStopping, hasBestWeights)
            generatorWords = generator.map(Word.init)
            (self.order, self.history, self.identity) = (order, history, identity)
        }
    }
}

/// Where a run keeps its checkpoint between epochs: a file (`file(_:)`), or any keeper of bytes (the server keeps a
/// job's in its store, so that another server resumes it). `read` gives the last checkpoint's bytes (nil: none);
/// `write` replaces them with a newer checkpoint's, finishing `epochsDone` epochs. Both run on the training thread.
public struct TrainingCheckpointMedium: Sendable {
    /// Names the checkpoint in messages (a path; "job 12's stored checkpoint").
    public var location: String
    public var read: @Sendable () throws(MLError) -> Data?
    public var write: @Sendable (_ bytes: [UInt8], _ epochsDone: Int) throws(MLError) -> Void
    /// Told why a checkpoint that cannot be resumed by this run (undecodable, or another run's: other settings,
    /// data or initial weights) was set aside; the run then starts from its first epoch. Nil: such a checkpoint is
    /// refused with that reason instead (`ml train --resume`: the user decides).
    public var startOver: (@Sendable (_ reason: String) -> Void)?

    public init(location: String, read: @escaping @Sendable () throws(MLError) -> Data?,
                write: @escaping @Sendable (_ bytes: [UInt8], _ epochsDone: Int) throws(MLError) -> Void,
                startOver: (@Sendable (_ reason: String) -> Void)? = nil) {
        self.location = location
        self.read = read
        self.write = write
        self.startOver = startOver
    }

    /// The file at `path`, replaced atomically (`AtomicFile`: a crash leaves the previous checkpoint or the new one).
    public static func file(_ path: String) -> TrainingCheckpointMedium {
        TrainingCheckpointMedium(location: path, read: { () throws(MLError) -> Data? in
            guard FileManager.default.fileExists(atPath: path) else { return nil }
            do { return try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
                throw .io(path: path, detail: "cannot read: \(error.localizedDescription)")
            }
        }, write: { (bytes, _) throws(MLError) in
            do throws(AtomicFileError) { try AtomicFile.write(bytes, to: path) } catch {
                throw .io(path: path, detail: "cannot write: \(error.message)")
            }
        })
    }
}

/// How `Trainer.fit` checkpoints: the checkpoint to continue from (nil to start fresh), the caller's identity keys
/// (a dataset hash…) stored with each checkpoint, and where each finished epoch's checkpoint goes.
public struct TrainingCheckpointing<Scalar: TensorScalar> {
    public var resume: TrainingCheckpoint<Scalar>?
    public var identity: [String: String]
    public var save: (TrainingCheckpoint<Scalar>) throws(MLError) -> Void
    /// Names the checkpoint's origin in errors.
    public var location: String
    /// Told why a checkpoint of another run was set aside (the run starts over); nil: it is refused.
    public var startOver: ((String) -> Void)?

    public init(resume: TrainingCheckpoint<Scalar>?, identity: [String: String] = [:], location: String = "checkpoint",
                startOver: ((String) -> Void)? = nil, save: @escaping (TrainingCheckpoint<Scalar>) throws(MLError) -> Void) {
        self.resume = resume
        self.identity = identity
        self.location = location
        self.startOver = startOver
        self.save = save
    }

    /// Checkpoints to `medium`: resumes from the checkpoint it holds, replaces it after each epoch. An undecodable
    /// checkpoint is refused, or set aside when the medium says to start over.
    public init(_ medium: TrainingCheckpointMedium, identity: [String: String] = [:]) throws(MLError) {
        var resume: TrainingCheckpoint<Scalar>?
        if let bytes = try medium.read() {
            do throws(MLError) { resume = try TrainingCheckpoint<Scalar>.decoded(bytes, source: medium.location) } catch {
                guard let startOver = medium.startOver else { throw error }
                startOver(error.description)
            }
        }
        self.init(resume: resume, identity: identity, location: medium.location, startOver: medium.startOver) { (c) throws(MLError) in
            try medium.write(try c.encoded(), c.epochsDone)
        }
    }

    /// Checkpoints to the file at `path`: resumes from it when it exists, replaces it atomically after each epoch.
    public static func file(_ path: String, identity: [String: String] = [:]) throws(MLError) -> TrainingCheckpointing {
        try TrainingCheckpointing(.file(path), identity: identity)
    }

    /// The checkpoint to continue from, checked against this run (its identity, weight shapes, sample count and
    /// epochs): nil when there is none, or when it is another run's and `startOver` is set (told why).
    func resumable(identity expected: [String: String], shapes: [(name: String, shape: [Int])], samples: Int,
                   epochs: Int) throws(MLError) -> TrainingCheckpoint<Scalar>? {
        guard let resume else { return nil }
        do throws(MLError) {
            try resume.requireIdentity(expected, path: location)
            for (name, shape) in shapes { _ = try resume.weights.require(name, shape: shape) }
            guard resume.order.count == samples, resume.order.sorted() == Array(0..<samples),
                  (0...epochs).contains(resume.epochsDone), resume.history.count == resume.epochsDone else {
                throw .corruptFile(path: location, detail: "sample order, epoch count or history do not fit \(samples) samples and \(epochs) epochs")
            }
            return resume
        } catch {
            guard let startOver else { throw error }
            startOver(error.description)
            return nil
        }
    }
}
