import Testing
@testable import TradewindML

@Suite struct TensorTests {
    @Test func shapeAndScalarCountMustAgree() {
        #expect(throws: MLError.self) { try Tensor<Float>(shape: [2, 3], scalars: [1, 2, 3]) }
    }
}
