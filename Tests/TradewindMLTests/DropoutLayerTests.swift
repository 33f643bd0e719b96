import Testing
@testable import TradewindML

/// The `Dropout` layer (not only the op): seeded, inverted (survivors scaled by 1/(1−p)), the identity at inference
/// and for p = 0, and a typed error for p outside [0, 1).
@Suite struct DropoutLayerTests {
    let x = try! Tensor<Float>(shape: [8, 50], scalars: (0..<400).map { Float($0 % 7) + 1 })

    private func run(_ layer: Dropout, training: Bool, seed: UInt64) throws -> Tensor<Float> {
        let pass = ForwardPass(weights: StateDict<Float>(), differentiable: true, training: training, seed: seed)
        return try layer(pass.input(x), in: pass).value
    }

    @Test func theSameSeedDrawsTheSameMaskAndAnotherSeedAnother() throws {
        let layer = Dropout("drop", p: 0.3)
        let a = try run(layer, training: true, seed: 5), b = try run(layer, training: true, seed: 5)
        let c = try run(layer, training: true, seed: 6)
        #expect(a.scalars == b.scalars)
        #expect(a.scalars != c.scalars)
    }

    @Test func survivorsAreScaledByOneOverOneMinusPAndAboutPAreDropped() throws {
        let p = 0.25
        let y = try run(Dropout("drop", p: p), training: true, seed: 11)
        var dropped = 0
        for (out, input) in zip(y.scalars, x.scalars) {
            if out == 0 { dropped += 1 } else { #expect(out == input * Float(1 / (1 - p))) }
        }
        // 400 Bernoulli(0.25) draws: the seeded count lies well inside 100 ± 5σ (σ ≈ 8.7).
        #expect(abs(dropped - 100) < 44)
        #expect(dropped > 0)
    }

    @Test func theGradientIsTheSameMaskAsTheForwardPass() throws {
        let pass = ForwardPass(weights: StateDict<Float>(), differentiable: true, training: true, seed: 3)
        let input = pass.input(x, differentiable: true)
        let y = try Dropout("drop", p: 0.4)(input, in: pass)
        let g = try pass.tape!.gradients(of: y.sum(), for: [input])[0]
        for ((out, input), grad) in zip(zip(y.value.scalars, x.scalars), g.scalars) {
            #expect(grad == (out == 0 ? 0 : out / input))
        }
    }

    @Test func itIsTheIdentityAtInferenceAndForPZero() throws {
        #expect(try run(Dropout("drop", p: 0.5), training: false, seed: 1) == x)
        #expect(try run(Dropout("drop", p: 0), training: true, seed: 1) == x)
    }

    @Test func pOutsideZeroToOneIsATypedErrorNamingTheLayer() throws {
        for p in [1.0, 1.5, -0.1, Double.nan] {
            for training in [true, false] {
                #expect(throws: MLError.invalidArgument(name: "Dropout 'drop' p", value: "\(p)", expected: "0 ≤ p < 1")) {
                    try run(Dropout("drop", p: p), training: training, seed: 1)
                }
            }
        }
    }
}
