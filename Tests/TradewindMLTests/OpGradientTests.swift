import Testing
@testable import TradewindML

/// Every op's gradient against central finite differences in double precision.
@Suite struct OpGradientTests {
    let a = GradientCheck.random([2, 3], seed: 1)
    let b = GradientCheck.random([2, 3], seed: 2)
    let row = GradientCheck.random([3], seed: 3)

    @Test func broadcastingArithmeticGradientsMatchFiniteDifferences() throws {
        try GradientCheck.check([a, row]) { try $0[0] + $0[1] }
        try GradientCheck.check([a, row]) { try $0[0] - $0[1] }
        try GradientCheck.check([a, row]) { try $0[0] * $0[1] }
        try GradientCheck.check([a, row.converted().shiftedForDivision()]) { try $0[0] / $0[1] }
        try GradientCheck.check([a]) { -$0[0] }
        try GradientCheck.check([a]) { $0[0].scaled(by: 3).shifted(by: 1) }
    }

    @Test func unaryGradientsMatchFiniteDifferences() throws {
        let positive = a.shiftedForDivision()
        try GradientCheck.check([a]) { $0[0].exp() }
        try GradientCheck.check([positive]) { $0[0].log() }
        try GradientCheck.check([positive]) { $0[0].sqrt() }
        try GradientCheck.check([positive]) { $0[0].power(1.5) }
        try GradientCheck.check([a]) { $0[0].squared() }
        try GradientCheck.check([a]) { $0[0].abs() }
        try GradientCheck.check([a]) { $0[0].sin() }
    }

    @Test func activationGradientsMatchFiniteDifferences() throws {
        try GradientCheck.check([a]) { $0[0].relu() }
        try GradientCheck.check([a]) { $0[0].gelu() }
        try GradientCheck.check([a]) { $0[0].tanh() }
        try GradientCheck.check([a]) { $0[0].sigmoid() }
    }

    @Test func reductionGradientsMatchFiniteDifferences() throws {
        let x = GradientCheck.random([2, 3, 4], seed: 4)
        try GradientCheck.check([x]) { $0[0].sum() }
        try GradientCheck.check([x]) { $0[0].mean() }
        try GradientCheck.check([x]) { try $0[0].sum(axis: 1) }
        try GradientCheck.check([x]) { try $0[0].mean(axis: -1, keepDims: true) }
    }

    @Test func matrixProductGradientsMatchFiniteDifferences() throws {
        let x = GradientCheck.random([2, 3, 4], seed: 5)
        try GradientCheck.check([x, GradientCheck.random([4, 5], seed: 6)]) { try $0[0].matmul($0[1]) }
        try GradientCheck.check([x, GradientCheck.random([5, 4], seed: 7)]) { try $0[0].matmul($0[1], transposeOther: true) }
        for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
            let lhs = GradientCheck.random(ta ? [2, 4, 3] : [2, 3, 4], seed: 8)
            let rhs = GradientCheck.random(tb ? [2, 5, 4] : [2, 4, 5], seed: 9)
            try GradientCheck.check([lhs, rhs]) { try $0[0].bmm($0[1], transposeSelf: ta, transposeOther: tb) }
        }
    }

    @Test func shapingGradientsMatchFiniteDifferences() throws {
        let x = GradientCheck.random([2, 3, 4], seed: 10)
        try GradientCheck.check([x]) { try $0[0].reshaped([6, 4]) }
        try GradientCheck.check([x]) { try $0[0].permuted([2, 0, 1]) }
        try GradientCheck.check([x, GradientCheck.random([2, 2, 4], seed: 11)]) { try Variable.concat([$0[0], $0[1]], axis: 1) }
        try GradientCheck.check([x]) { try $0[0].slice(axis: 2, 1..<3) }
        try GradientCheck.check([x]) { try $0[0].split(axis: 1, sizes: [1, 2])[1] }
        try GradientCheck.check([x]) { try $0[0].select(axis: 1, index: -1) }
        try GradientCheck.check([GradientCheck.random([5, 3], seed: 12)]) { try $0[0].gather(rows: [4, 0, 4, 2]) }
    }

    @Test func softmaxGradientsMatchFiniteDifferences() throws {
        let x = GradientCheck.random([3, 5], seed: 13)
        try GradientCheck.check([x]) { $0[0].softmax() }
        try GradientCheck.check([x]) { $0[0].logSoftmax() }
    }

    @Test func maskingAndLayerNormGradientsMatchFiniteDifferences() throws {
        let x = GradientCheck.random([3, 4], seed: 14)
        try GradientCheck.check([x]) { try $0[0].masked([true, false, false, true], shape: [4], fill: -5) }
        try GradientCheck.check([x, GradientCheck.random([4], seed: 15), GradientCheck.random([4], seed: 16)]) {
            try $0[0].layerNorm(weight: $0[1], bias: $0[2], epsilon: 1e-5)
        }
    }

    @Test func dropoutGradientUsesTheSameMaskAsTheForwardPass() throws {
        let x = GradientCheck.random([4, 8], seed: 17)
        try GradientCheck.check([x]) { vars in
            try vars[0].dropout(0.4, in: ForwardPass(weights: StateDict(), differentiable: false, training: true, seed: 5))
        }
    }

    @Test func recurrentKernelGradientsMatchFiniteDifferences() throws {
        let x = GradientCheck.random([2, 4, 3], seed: 18)
        for reverse in [false, true] {
            try GradientCheck.check([x, GradientCheck.random([15, 3], seed: 19), GradientCheck.random([15, 5], seed: 20),
                                     GradientCheck.random([15], seed: 21), GradientCheck.random([15], seed: 22)]) {
                try GRUKernel.run($0[0], weightIH: $0[1], weightHH: $0[2], biasIH: $0[3], biasHH: $0[4], hidden: 5, reverse: reverse)
            }
            try GradientCheck.check([x, GradientCheck.random([20, 3], seed: 23), GradientCheck.random([20, 5], seed: 24),
                                     GradientCheck.random([20], seed: 25), GradientCheck.random([20], seed: 26)]) {
                try LSTMKernel.run($0[0], weightIH: $0[1], weightHH: $0[2], biasIH: $0[3], biasHH: $0[4], hidden: 5, reverse: reverse).output
            }
            // The final cell state (c_n) as a second output, its gradient flowing back through the steps.
            try GradientCheck.check([x, GradientCheck.random([20, 3], seed: 23), GradientCheck.random([20, 5], seed: 24),
                                     GradientCheck.random([20], seed: 25), GradientCheck.random([20], seed: 26)]) {
                let r = try LSTMKernel.run($0[0], weightIH: $0[1], weightHH: $0[2], biasIH: $0[3], biasHH: $0[4], hidden: 5, reverse: reverse,
                                           finalCell: true)
                return try r.output.sum(axis: 1) * r.cell!
            }
        }
    }
}

extension Tensor where Scalar == Double {
    /// Values moved into [1.5, 2.5) so division, log and sqrt stay well-conditioned.
    func shiftedForDivision() -> Tensor { Tensor(uncheckedShape: shape, scalars: scalars.map { $0 * 0.5 + 2 }) }
}
