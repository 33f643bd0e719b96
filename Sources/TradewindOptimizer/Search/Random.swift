import Foundation

/// xoshiro256** (Blackman & Vigna), seeded through SplitMix64: a small, fast generator whose
/// sequence depends only on the seed, on every platform and Swift version.
public struct Xoshiro256: RandomNumberGenerator, Sendable {
    @usableFromInline var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    public init(seed: UInt64) {
        var sm = seed
        func splitmix() -> UInt64 {
            sm &+= 0x9E37_79B9_7F4A_7C15
            var z = sm
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitmix(); s1 = splitmix(); s2 = splitmix(); s3 = splitmix()
    }

    /// A generator for stream `stream` of `seed` (e.g. one per trial number), independent of
    /// how many numbers other streams consumed.
    public init(seed: UInt64, stream: UInt64) {
        self.init(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03) ^ 0x5851_F42D_4C95_7F2D)
    }

    @inlinable
    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// Uniform in [0, 1) with 53 random bits.
    @inlinable
    public mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Uniform integer in 0..<n (Lemire's multiply-high; bias below 2^-60 for the sizes used here).
    @inlinable
    public mutating func index(_ n: Int) -> Int {
        Int(next().multipliedFullWidth(by: UInt64(n)).high)
    }
}

/// Uniform draws over a space: each discrete dimension's level index uniformly, continuous ranges
/// uniformly (in log space for log ranges).
enum UniformDraw {
    static func fill(_ c: inout [Double], space: ParameterSpace, rng: inout Xoshiro256) {
        for (i, d) in space.dimensions.enumerated() {
            switch d.domain {
            case let .continuous(low, high, logScale):
                let u = rng.uniform()
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
