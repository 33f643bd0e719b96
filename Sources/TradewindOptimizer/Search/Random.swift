import Foundation
import TradewindCore
import TradewindData

// Samplers draw from TradewindCore's xoshiro256** (seeded through SplitMix64 from a seed and a
// stream number): the sequence depends only on (seed, stream), on every platform.
extension Xoshiro256StarStar {
    /// Uniform in [0, 1) with 53 random bits.
    @inlinable
    mutating func unitInterval() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Uniform integer in 0..<n (Lemire's multiply-high; bias below 2^-60 for the sizes used here).
    @inlinable
    mutating func index(_ n: Int) -> Int {
        Int(next().multipliedFullWidth(by: UInt64(n)).high)
    }
}

/// Uniform draws over a space: each discrete dimension's level index uniformly, continuous ranges
/// uniformly (in log space for log ranges).
enum UniformDraw {
    static func fill(_ c: inout [Double], space: ParameterSpace, rng: inout Xoshiro256StarStar) {
        for (i, d) in space.dimensions.enumerated() {
            switch d.domain {
            case let .continuous(low, high, logScale):
                let u = rng.unitInterval()
                if logScale {
                    let a = log(low), b = log(high)
                    c[i] = min(max(exp(a + u * (b - a)), low), high)
                } else {
                    c[i] = min(low + u * (high - low), high)
                }
            default:
                c[i] = Double(rng.index(d.levelCount!))
            }
        }
    }
}

/// The generator the samplers use.
typealias SamplerRandom = Xoshiro256StarStar
