import Testing
import TradewindCore
@testable import TradewindML

@Suite struct TensorTests {
    @Test func shapeAndScalarCountMustAgree() {
        #expect(throws: MLError.self) { try Tensor<Float>(shape: [2, 3], scalars: [1, 2, 3]) }
    }
}

@Suite struct BackendTests {
    @Test func inferenceRejectsNonFinitePredictions() throws {
        let model = SmallRecurrentNet()
        var g = Xoshiro256StarStar(seed: 1)
        var w = model.initialWeights(generator: &g)
        w["regressor.bias"] = try Tensor(shape: [1], scalars: [.infinity])
        let data = SequenceSamples(x: try Tensor(repeating: 0.1, shape: [2, 5, 3]), labels: [0, 1], targets: [0, 0])
        #expect(throws: MLError.self) { try Inference.predict(model, weights: w, data: data, batchSize: 2) }
    }

    @Test func broadcastingFollowsNumPyRules() throws {
        let a = Variable(try Tensor<Float>(shape: [2, 1, 3], scalars: [1, 2, 3, 4, 5, 6]))
        let b = Variable(try Tensor<Float>(shape: [2, 1], scalars: [10, 20]))
        let c = try a + b
        #expect(c.shape == [2, 2, 3])
        #expect(c.value.scalars == [11, 12, 13, 21, 22, 23, 14, 15, 16, 24, 25, 26])
    }
}

@Suite struct EmptyShapeTests {
    @Test func emptyInnerDimensionGivesZerosNotATrap() throws {
        let a = Variable(try Tensor<Float>(shape: [2, 0], scalars: []))
        let b = Variable(try Tensor<Float>(shape: [0, 3], scalars: []))
        let c = try a.matmul(b)
        #expect(c.shape == [2, 3] && c.value.scalars == Array(repeating: 0, count: 6))
        let empty = Variable(try Tensor<Float>(shape: [0, 4], scalars: []))
        #expect(try empty.matmul(Variable(try Tensor<Float>(repeating: 1, shape: [4, 2]))).shape == [0, 2])
        #expect(try empty.sum(axis: 0).value.scalars == [0, 0, 0, 0])
    }
}
