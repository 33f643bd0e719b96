/// Tillson T3 (TA-Lib T3): six chained EMAs (`e = k·x + (1−k)·e`), each seeded with the average of its first
/// `timeperiod` inputs, combined with the volume-factor coefficients.
public struct T3: StreamingIndicator {
    public let timeperiod: Int
    public let vfactor: Double
    @usableFromInline let k: Double
    @usableFromInline let oneMinusK: Double
    @usableFromInline let c1, c2, c3, c4: Double
    @usableFromInline var e = [Double](repeating: 0, count: 6)
    @usableFromInline var sums = [Double](repeating: 0, count: 6)
    /// Number of stages seeded so far (0...6) and inputs counted toward the current stage's seed.
    @usableFromInline var stage = 0
    @usableFromInline var counted = 0

    /// - Parameters: timeperiod 2...100000 (default 5); vfactor 0...1 (default 0.7).
    public init(timeperiod: Int = 5, vfactor: Double = 0.7) throws(IndicatorError) {
        try Check.period(timeperiod, "timeperiod", in: 2...maxIndicatorPeriod, "T3")
        try Check.real(vfactor, "vfactor", in: 0...1, "T3")
        self.init(unchecked: timeperiod, vfactor: vfactor)
    }

    @usableFromInline init(unchecked timeperiod: Int, vfactor: Double) {
        self.timeperiod = timeperiod
        self.vfactor = vfactor
        k = 2.0 / (Double(timeperiod) + 1.0)
        oneMinusK = 1.0 - k
        let t = vfactor * vfactor
        c1 = -(t * vfactor)
        c2 = 3.0 * (t - c1)
        c3 = -6.0 * t - 3.0 * (vfactor - c1)
        c4 = 1.0 + 3.0 * vfactor - c1 + 3.0 * t
    }

    public var lookback: Int { 6 * (timeperiod - 1) }

    @inlinable
    public mutating func update(_ x: Double) -> Double? {
        // Advance the stages already seeded, feeding each the previous stage's value.
        var v = x
        var s = 0
        while s < stage {
            e[s] = (k * v) + (oneMinusK * e[s])
            v = e[s]
            s += 1
        }
        if stage < 6 {
            // v is the input of the stage being seeded.
            sums[stage] += v
            counted += 1
            if counted == timeperiod {
                e[stage] = sums[stage] / Double(timeperiod)
                stage += 1
                counted = 1
                if stage < 6 { sums[stage] = e[stage - 1] }
            }
            guard stage == 6 else { return nil }
        }
        return c1 * e[5] + c2 * e[4] + c3 * e[3] + c4 * e[2]
    }
}
