import TradewindCore

/// A model the trainer can fit: it names its weights, maps a batch to its outputs (one tensor per head), and
/// scores outputs against the batch's targets.
public protocol SupervisedModel: Sendable {
    associatedtype Scalar: TensorScalar
    associatedtype Batch
    /// Every weight's `state_dict` name and shape.
    var weightShapes: [(name: String, shape: [Int])] { get }
    /// Fresh weights drawn from `generator` with PyTorch's default initialisers.
    func initialWeights(generator: inout Xoshiro256StarStar) -> StateDict<Scalar>
    /// The heads' outputs for `batch`.
    func outputs(_ batch: Batch, in pass: ForwardPass<Scalar>) throws(MLError) -> [Variable<Scalar>]
    /// The training loss of `outputs` against `batch`'s targets (rank 0).
    func loss(_ outputs: [Variable<Scalar>], _ batch: Batch) throws(MLError) -> Variable<Scalar>
    /// Named metrics of `outputs` against `batch` (accuracy, IC…), which the trainer averages over each epoch's
    /// samples for training and validation. None by default.
    func metrics(_ outputs: [Variable<Scalar>], _ batch: Batch) -> [String: Double]
}

extension SupervisedModel {
    public func metrics(_ outputs: [Variable<Scalar>], _ batch: Batch) -> [String: Double] { [:] }
}

/// Samples the trainer can batch: `count` samples, any subset assembled into a model's batch.
public protocol TrainingData<Batch> {
    associatedtype Batch
    /// Number of samples.
    var count: Int { get }
    /// The batch made of the samples at `indices`, in that order.
    func batch(_ indices: [Int]) throws(MLError) -> Batch
}
