import Testing
import TradewindCore
@testable import TradewindML

/// Central finite differences in double precision against the tape's gradients.
enum GradientCheck {
    /// Random inputs in [−1, 1) (seeded).
    static func random(_ shape: [Int], seed: UInt64) -> Tensor<Double> {
        var g = Xoshiro256StarStar(seed: seed)
        return try! Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in g.uniform(-1, 1) })
    }

    /// Checks d(Σ w ⊙ f(x))/dx for every input against finite differences, with random weights w so that
    /// every output element matters; returns the worst relative error.
    @discardableResult
    static func check(_ inputs: [Tensor<Double>], epsilon: Double = 1e-6, tolerance: Double = 1e-6,
                      _ f: ([Variable<Double>]) throws -> Variable<Double>) throws -> Double {
        let tape = Tape<Double>()
        let vars = inputs.map { tape.watch($0) }
        let y = try f(vars)
        let w = random(y.shape, seed: 99)
        let analytic = try tape.gradients(of: y, for: vars, seed: w)
        func objective(_ xs: [Tensor<Double>]) throws -> Double {
            let out = try f(xs.map { Variable($0) }).value
            return zip(out.scalars, w.scalars).reduce(0) { $0 + $1.0 * $1.1 }
        }
        var worst = 0.0
        for (k, x) in inputs.enumerated() {
            for i in 0..<x.count {
                var plus = inputs, minus = inputs
                plus[k].scalars[i] += epsilon
                minus[k].scalars[i] -= epsilon
                let numeric = (try objective(plus) - objective(minus)) / (2 * epsilon)
                let a = analytic[k].scalars[i]
                let err = abs(a - numeric) / max(1, abs(numeric))
                worst = max(worst, err)
                #expect(err < tolerance, "input \(k) element \(i): analytic \(a), numeric \(numeric)")
            }
        }
        return worst
    }
}
