import Foundation

/// One of Ehlers' Hilbert-transform FIR stages as TA-Lib runs them (ta_utility.h HILBERT macros): separate
/// odd-bar and even-bar delay lines of three taps, coefficients 0.0962 and 0.5769, scaled by the adjusted
/// previous period. Shared by MAMA and the HT_* cycle functions.
@usableFromInline
struct HilbertStage: Sendable {
    /// Taps: 0...2 even bars, 3...5 odd bars.
    @usableFromInline var taps = SIMD8<Double>()
    @usableFromInline var prevEven = 0.0
    @usableFromInline var prevOdd = 0.0
    @usableFromInline var prevInputEven = 0.0
    @usableFromInline var prevInputOdd = 0.0

    @usableFromInline init() {}

    @inlinable
    mutating func step(_ input: Double, even: Bool, index: Int, adjustedPrevPeriod: Double) -> Double {
        let a = 0.0962
        let b = 0.5769
        let t = a * input
        let slot = even ? index : index + 3
        var v = 0 - taps[slot]
        taps[slot] = t
        v += t
        if even {
            v -= prevEven
            prevEven = b * prevInputEven
            v += prevEven
            prevInputEven = input
        } else {
            v -= prevOdd
            prevOdd = b * prevInputOdd
            v += prevOdd
            prevInputOdd = input
        }
        v *= adjustedPrevPeriod
        return v
    }
}

/// TA-Lib's 4-bar weighted price smoother (weights 1,2,3,4 / 10) with its three-bar start and nine-bar warm-up.
@usableFromInline
struct PriceSmoother: Sendable {
    @usableFromInline var sum = 0.0
    @usableFromInline var sub = 0.0
    @usableFromInline var trailingValue = 0.0
    @usableFromInline var recent = SIMD4<Double>()  // last four inputs, by bar index mod 4
    @usableFromInline var seen = 0

    @usableFromInline init() {}

    /// Feeds one bar; returns the smoothed value from the fourth bar on.
    @inlinable
    mutating func update(_ x: Double) -> Double? {
        let n = seen
        seen += 1
        recent[n & 3] = x
        if n < 3 {
            sub += x
            sum += x * Double(n + 1)
            return nil
        }
        sub += x
        sub -= trailingValue
        sum += x * 4.0
        trailingValue = recent[(n - 3) & 3]
        let smoothed = sum * 0.1
        sum -= sub
        return smoothed
    }
}

@usableFromInline let rad2Deg = 180.0 / (4.0 * atan(1.0))
