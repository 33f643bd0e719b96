import Foundation

/// MESA adaptive moving average (TA-Lib MAMA): Ehlers' Hilbert-transform phase rate sets the EMA factor
/// between `slowlimit` and `fastlimit`; FAMA follows MAMA at half that factor. Outputs: mama, fama.
/// Lookback 32. TA-Lib alternates odd/even delay lines by the bar's absolute index, which this keeps.
public struct MAMA: StreamingIndicator {
    public struct Output: IndicatorOutput, Equatable {
        public var mama: Double
        public var fama: Double
        @inlinable public init(mama: Double, fama: Double) {
            self.mama = mama
            self.fama = fama
        }
        public static var outputNames: [String] { ["mama", "fama"] }
        public func component(_ i: Int) -> Double { i == 0 ? mama : fama }
    }

    public let fastlimit: Double
    public let slowlimit: Double
    @usableFromInline let skipped: Int
    @usableFromInline var today = 0
    @usableFromInline var smoother = PriceSmoother()
    @usableFromInline var detrender = HilbertStage()
    @usableFromInline var q1 = HilbertStage()
    @usableFromInline var jI = HilbertStage()
    @usableFromInline var jQ = HilbertStage()
    @usableFromInline var hilbertIdx = 0
    @usableFromInline var period = 0.0
    @usableFromInline var prevQ2 = 0.0
    @usableFromInline var prevI2 = 0.0
    @usableFromInline var re = 0.0
    @usableFromInline var im = 0.0
    @usableFromInline var mama = 0.0
    @usableFromInline var fama = 0.0
    @usableFromInline var i1ForOddPrev2 = 0.0
    @usableFromInline var i1ForOddPrev3 = 0.0
    @usableFromInline var i1ForEvenPrev2 = 0.0
    @usableFromInline var i1ForEvenPrev3 = 0.0
    @usableFromInline var prevPhase = 0.0

    /// - Parameters: fastlimit 0.01...0.99 (default 0.5); slowlimit 0.01...0.99 (default 0.05).
    public init(fastlimit: Double = 0.5, slowlimit: Double = 0.05) throws(IndicatorError) {
        try Check.real(fastlimit, "fastlimit", in: 0.01...0.99, "MAMA")
        try Check.real(slowlimit, "slowlimit", in: 0.01...0.99, "MAMA")
        self.init(unchecked: fastlimit, slowlimit: slowlimit)
    }

    @usableFromInline init(unchecked fastlimit: Double, slowlimit: Double, skip: Int = 0) {
        self.fastlimit = fastlimit
        self.slowlimit = slowlimit
        skipped = skip
    }

    public var lookback: Int { 32 + skipped }

    @inlinable
    public mutating func update(_ x: Double) -> Output? {
        let bar = today
        today += 1
        guard bar >= skipped else { return nil }
        guard let smoothed = smoother.update(x), bar - skipped >= 12 else { return nil }
        let adjusted = 0.075 * period + 0.54
        let even = bar % 2 == 0
        let d = detrender.step(smoothed, even: even, index: hilbertIdx, adjustedPrevPeriod: adjusted)
        let q = q1.step(d, even: even, index: hilbertIdx, adjustedPrevPeriod: adjusted)
        let i1 = even ? i1ForEvenPrev3 : i1ForOddPrev3
        let ji = jI.step(i1, even: even, index: hilbertIdx, adjustedPrevPeriod: adjusted)
        let jq = jQ.step(q, even: even, index: hilbertIdx, adjustedPrevPeriod: adjusted)
        if even {
            hilbertIdx += 1
            if hilbertIdx == 3 { hilbertIdx = 0 }
        }
        let q2 = 0.2 * (q + ji) + 0.8 * prevQ2
        let i2 = 0.2 * (i1 - jq) + 0.8 * prevI2
        if even {
            i1ForOddPrev3 = i1ForOddPrev2
            i1ForOddPrev2 = d
        } else {
            i1ForEvenPrev3 = i1ForEvenPrev2
            i1ForEvenPrev2 = d
        }
        let phase = i1 != 0.0 ? atan(q / i1) * rad2Deg : 0.0
        var delta = prevPhase - phase
        prevPhase = phase
        if delta < 1.0 { delta = 1.0 }
        var alpha: Double
        if delta > 1.0 {
            alpha = fastlimit / delta
            if alpha < slowlimit { alpha = slowlimit }
        } else {
            alpha = fastlimit
        }
        mama = alpha * x + (1 - alpha) * mama
        alpha *= 0.5
        fama = alpha * mama + (1 - alpha) * fama
        let result: Output? = bar >= 32 + skipped ? Output(mama: mama, fama: fama) : nil
        re = 0.2 * (i2 * prevI2 + q2 * prevQ2) + 0.8 * re
        im = 0.2 * (i2 * prevQ2 - q2 * prevI2) + 0.8 * im
        prevQ2 = q2
        prevI2 = i2
        let previous = period
        if im != 0.0 && re != 0.0 {
            period = 360.0 / (atan(im / re) * rad2Deg)
        }
        var bound = 1.5 * previous
        if period > bound { period = bound }
        bound = 0.67 * previous
        if period < bound { period = bound }
        if period < 6 {
            period = 6
        } else if period > 50 {
            period = 50
        }
        period = 0.2 * period + 0.8 * previous
        return result
    }
}
