import Testing
@testable import TradewindML

/// Expects `body` to throw an `MLError` whose message contains every one of `parts` (the op or layer, the shapes).
func expectMLError(_ parts: [String], sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) {
    do {
        try body()
        Issue.record("no error; expected one naming \(parts)", sourceLocation: sourceLocation)
    } catch let error as MLError {
        for part in parts where !error.description.contains(part) {
            Issue.record("“\(error.description)” does not name \(part)", sourceLocation: sourceLocation)
        }
    } catch {
        Issue.record("\(error) is not an MLError", sourceLocation: sourceLocation)
    }
}

/// Bad input is a typed error whose message names the op or layer and the shapes involved, never a trap.
@Suite struct ErrorMessageTests {
    let a = Variable(try! Tensor<Float>(repeating: 1, shape: [2, 3]))
    let b = Variable(try! Tensor<Float>(repeating: 1, shape: [4]))
    let pass = ForwardPass(weights: StateDict<Float>(), differentiable: false, training: false)

    @Test func matrixProductsNameBothShapes() throws {
        expectMLError(["matmul", "[2, 3]", "[4, 1]"]) { _ = try a.matmul(b.reshaped([4, 1])) }
        expectMLError(["matmul", "[2, 3]", "[4]"]) { _ = try a.matmul(b) }
        expectMLError(["matmul", "[2, 3]", "[4, 1]"]) { _ = try a.value.view.matmul(b.value.reshaped([4, 1]).view) }
        let x = Variable(try Tensor<Float>(repeating: 1, shape: [2, 3, 4])), y = Variable(try Tensor<Float>(repeating: 1, shape: [2, 5, 6]))
        expectMLError(["bmm", "[2, 3, 4]", "[2, 5, 6]", "inner sizes 4 and 5"]) { _ = try x.bmm(y) }
        expectMLError(["bmm", "[2, 3, 4]", "[3, 4, 5]"]) { _ = try x.bmm(Variable(try Tensor<Float>(repeating: 1, shape: [3, 4, 5]))) }
    }

    @Test func elementwiseOpsNameTheShapesThatDoNotBroadcast() {
        expectMLError(["add", "[2, 3]", "[4]", "do not broadcast"]) { _ = try a + b }
        expectMLError(["subtract", "[2, 3]", "[4]"]) { _ = try a - b }
        expectMLError(["multiply", "[2, 3]", "[4]"]) { _ = try a * b }
        expectMLError(["divide", "[4]", "[2, 3]"]) { _ = try b / a }
    }

    @Test func shapingOpsNameTheOpTheShapeAndTheBadArgument() {
        let c = Variable(try! Tensor<Float>(repeating: 1, shape: [2, 4]))
        expectMLError(["concat", "[2, 4]", "[2, 3]", "axis 0"]) { _ = try Variable.concat([a, c], axis: 0) }
        expectMLError(["concat axis", "5", "[2, 3]"]) { _ = try Variable.concat([a, a], axis: 5) }
        expectMLError(["split sizes", "[1, 1]", "[2, 3]"]) { _ = try a.split(axis: 1, sizes: [1, 1]) }
        expectMLError(["split axis", "[2, 3]"]) { _ = try a.split(axis: -3, sizes: [1, 1]) }
        expectMLError(["slice range", "2..<6", "[2, 3]"]) { _ = try a.slice(axis: 1, 2..<6) }
        expectMLError(["slice axis", "3", "[2, 3]"]) { _ = try a.slice(axis: 3, 0..<1) }
        expectMLError(["gather index", "5", "[2, 3]"]) { _ = try a.gather(rows: [0, 5]) }
        expectMLError(["select index", "[2, 3]"]) { _ = try a.select(axis: 0, index: 2) }
        expectMLError(["reshape", "[2, 3]", "[5]"]) { _ = try a.reshaped([5]) }
        expectMLError(["permute axes", "[0, 0]"]) { _ = try a.permuted([0, 0]) }
    }

    /// Softmax runs over the last axis only (it has no axis argument); the reductions' axis errors name the shape.
    @Test func reductionAxesOutOfRangeNameTheShape() {
        expectMLError(["sum axis", "2", "rank-2", "[2, 3]"]) { _ = try a.sum(axis: 2) }
        expectMLError(["mean axis", "-3", "[2, 3]"]) { _ = try a.mean(axis: -3) }
    }

    @Test func layersNameThemselvesTheExpectedWidthAndTheInputShape() {
        expectMLError(["Dense 'head'", "[2, 3]", "must end in 4"]) { _ = try Dense("head", inputSize: 4, outputSize: 2)(a, in: pass) }
        let seq = Variable(try! Tensor<Float>(repeating: 1, shape: [2, 5, 3]))
        expectMLError(["GRU 'gru'", "[batch, steps, 4]", "[2, 5, 3]"]) { _ = try GRU("gru", inputSize: 4, hiddenSize: 6)(seq, in: pass) }
        expectMLError(["LSTM 'lstm'", "[batch, steps, 4]", "[2, 5, 3]"]) {
            _ = try LSTM("lstm", inputSize: 4, hiddenSize: 6)(seq, in: pass)
        }
        expectMLError(["GRU 'gru'", "initial hidden state", "[1, 2, 6]", "[1, 3, 6]"]) {
            let h0 = Variable(try Tensor<Float>(repeating: 0, shape: [1, 3, 6]))
            _ = try GRU("gru", inputSize: 3, hiddenSize: 6)(seq, initialState: h0, in: pass)
        }
        let attention = MultiHeadAttention("mha", embedDim: 4, heads: 2)
        expectMLError(["MultiHeadAttention 'mha'", "query", "[batch, steps, 4]", "[2, 5, 3]"]) {
            _ = try attention(query: seq, key: seq, value: seq, in: pass)
        }
        let q = Variable(try! Tensor<Float>(repeating: 1, shape: [2, 5, 4])), k = Variable(try! Tensor<Float>(repeating: 1, shape: [2, 6, 4]))
        expectMLError(["MultiHeadAttention 'mha'", "[2, 5, 4]", "[2, 6, 4]"]) { _ = try attention(query: q, key: k, value: q, in: pass) }
        expectMLError(["LayerNorm 'norm'", "[2, 3]", "must end in 5"]) { _ = try LayerNorm("norm", size: 5)(a, in: pass) }
    }

    @Test func lossesNameTheirInputsShapesAndCounts() {
        expectMLError(["crossEntropy", "3 labels", "[2, 3]"]) { _ = try Loss.crossEntropy(logits: a, labels: [0, 1, 2]) }
        expectMLError(["crossEntropy", "logits must be [samples, classes]", "[2, 3, 1]"]) { _ = try Loss.crossEntropy(logits: a.reshaped([2, 3, 1]), labels: [0, 1]) }
        expectMLError(["crossEntropy label", "3", "0..<3"]) { _ = try Loss.crossEntropy(logits: a, labels: [0, 3]) }
        expectMLError(["crossEntropy", "2 class weights", "[2, 3]"]) { _ = try Loss.crossEntropy(logits: a, labels: [0, 1], classWeights: [1, 2]) }
        expectMLError(["crossEntropy", "3 sample weights", "[2, 3]"]) {
            _ = try Loss.crossEntropy(logits: a, labels: [0, 1], sampleWeights: [1, 2, 3])
        }
        let t3 = try! Tensor<Float>(repeating: 0, shape: [3])
        expectMLError(["meanSquaredError", "[4]", "[3]"]) { _ = try Loss.meanSquaredError(b, t3) }
        expectMLError(["huber", "[4]", "[3]"]) { _ = try Loss.huber(b, t3) }
        expectMLError(["binaryCrossEntropy", "[4]", "[3]"]) { _ = try Loss.binaryCrossEntropy(logits: b, targets: t3) }
        expectMLError(["spearman", "[4]", "[3]"]) { _ = try Loss.spearman(b, t3) }
        expectMLError(["icPenalty", "[4]", "[3]"]) { _ = try Loss.icPenalty(b, t3, floor: 0.1) }
    }

    @Test func nanOrInfinityInALossIsANonFiniteErrorNamingTheTensor() throws {
        let bad = Variable(try Tensor<Float>(shape: [2, 3], scalars: [0, 1, .nan, 2, 3, 4]))
        expectMLError(["crossEntropy logits", "[2, 3]", "NaN or infinity"]) { _ = try Loss.crossEntropy(logits: bad, labels: [0, 1]) }
        expectMLError(["crossEntropy sample weights", "NaN or infinity"]) {
            _ = try Loss.crossEntropy(logits: a, labels: [0, 1], sampleWeights: [1, .infinity])
        }
        let p = Variable(try Tensor<Float>(repeating: 0, shape: [3]))
        let inf = try Tensor<Float>(shape: [3], scalars: [0, .infinity, 1])
        expectMLError(["meanSquaredError predictions", "[3]", "NaN or infinity"]) { _ = try Loss.meanSquaredError(Variable(inf), p.value) }
        expectMLError(["meanSquaredError targets", "[3]", "NaN or infinity"]) { _ = try Loss.meanSquaredError(p, inf) }
        expectMLError(["huber targets", "[3]"]) { _ = try Loss.huber(p, inf) }
        expectMLError(["binaryCrossEntropy targets", "[3]"]) { _ = try Loss.binaryCrossEntropy(logits: p, targets: inf) }
        expectMLError(["spearman targets", "[3]"]) { _ = try Loss.spearman(p, inf) }
        expectMLError(["icPenalty targets", "[3]"]) { _ = try Loss.icPenalty(p, inf, floor: 0.1) }
        expectMLError(["icPenalty predictions", "[3]"]) { _ = try Loss.icPenalty(Variable(inf), p.value, floor: 0.1) }
        let nanLoss = Variable(try Tensor<Float>(shape: [], scalars: [.nan]))
        expectMLError(["weighted loss", "NaN or infinity"]) { _ = try Loss.weightedSum([(loss: nanLoss, weight: Float(1))]) }
    }
}
