import Foundation

/// Ehlers' Hilbert-transform cycle measurement as TA-Lib's HT_* functions run it: a 4-bar weighted smoother,
/// the odd/even Hilbert stages (by absolute bar index), the homodyne period estimate, and, for the 63-bar
/// functions, the dominant-cycle phase, sine/lead-sine, instantaneous trendline and trend mode.
@usableFromInline
struct HilbertCycle: Sendable {
    /// Bars of smoother warm-up after the first three (TA-Lib: 9 for the 32-bar functions, 34 for the 63-bar ones).
    @usableFromInline let warmup: Int
    @usableFromInline let computesPhase: Bool
    @usableFromInline var today = 0
    @usableFromInline var smoother = PriceSmoother()
    @usableFromInline var detrender = HilbertStage()
    @usableFromInline var q1Stage = HilbertStage()
    @usableFromInline var jIStage = HilbertStage()
    @usableFromInline var jQStage = HilbertStage()
    @usableFromInline var hilbertIdx = 0
    @usableFromInline var period = 0.0
    @usableFromInline var prevQ2 = 0.0, prevI2 = 0.0, re = 0.0, im = 0.0
    @usableFromInline var i1ForOddPrev2 = 0.0, i1ForOddPrev3 = 0.0, i1ForEvenPrev2 = 0.0, i1ForEvenPrev3 = 0.0
    @usableFromInline var smoothPeriod = 0.0
    @usableFromInline var smoothPrice: [Double]
    @usableFromInline var smoothPriceIdx = 0
    @usableFromInline var raw: Ring
    @usableFromInline var dcPhase = 0.0, prevDCPhase = 0.0
    @usableFromInline var sine = 0.0, leadSine = 0.0, prevSine = 0.0, prevLeadSine = 0.0
    @usableFromInline var iTrend1 = 0.0, iTrend2 = 0.0, iTrend3 = 0.0
    @usableFromInline var trendline = 0.0
    @usableFromInline var daysInTrend = 0
    @usableFromInline var trend = 0
    // Per-bar phasor components.
    @usableFromInline var inPhase = 0.0, quadrature = 0.0

    @usableFromInline init(longForm: Bool) {
        warmup = longForm ? 34 : 9
        computesPhase = longForm
        smoothPrice = [Double](repeating: 0, count: 50)
        raw = Ring(capacity: 50)
    }

    /// Feeds a bar; returns true once the per-bar quantities are valid (after the warm-up).
    @inlinable
    mutating func update(_ x: Double) -> Bool {
        let bar = today
        today += 1
        raw.push(x)
        guard let smoothed = smoother.update(x), bar >= 3 + warmup else { return false }
        let adjusted = 0.075 * period + 0.54
        smoothPrice[smoothPriceIdx] = smoothed
        let even = bar % 2 == 0
        let d = detrender.step(smoothed, even: even, index: hilbertIdx, adjustedPrevPeriod: adjusted)
        let q1 = q1Stage.step(d, even: even, index: hilbertIdx, adjustedPrevPeriod: adjusted)
        let i1 = even ? i1ForEvenPrev3 : i1ForOddPrev3
        let jI = jIStage.step(i1, even: even, index: hilbertIdx, adjustedPrevPeriod: adjusted)
        let jQ = jQStage.step(q1, even: even, index: hilbertIdx, adjustedPrevPeriod: adjusted)
        if even {
            hilbertIdx += 1
            if hilbertIdx == 3 { hilbertIdx = 0 }
        }
        let q2 = 0.2 * (q1 + jI) + 0.8 * prevQ2
        let i2 = 0.2 * (i1 - jQ) + 0.8 * prevI2
        if even {
            i1ForOddPrev3 = i1ForOddPrev2
            i1ForOddPrev2 = d
        } else {
            i1ForEvenPrev3 = i1ForEvenPrev2
            i1ForEvenPrev2 = d
        }
        inPhase = i1
        quadrature = q1
        re = 0.2 * (i2 * prevI2 + q2 * prevQ2) + 0.8 * re
        im = 0.2 * (i2 * prevQ2 - q2 * prevI2) + 0.8 * im
        prevQ2 = q2
        prevI2 = i2
        let previous = period
        if im != 0.0 && re != 0.0 { period = 360.0 / (atan(im / re) * rad2Deg) }
        var bound = 1.5 * previous
        if period > bound { period = bound }
        bound = 0.67 * previous
        if period < bound { period = bound }
        if period < 6 { period = 6 } else if period > 50 { period = 50 }
        period = 0.2 * period + 0.8 * previous
        smoothPeriod = 0.33 * period + 0.67 * smoothPeriod
        if computesPhase { updatePhase(bar: bar) }
        smoothPriceIdx += 1
        if smoothPriceIdx > 49 { smoothPriceIdx = 0 }
        return true
    }

    @inlinable
    mutating func updatePhase(bar: Int) {
        let deg2Rad = 1.0 / rad2Deg
        let constDeg2RadBy360 = atan(1.0) * 8.0
        prevDCPhase = dcPhase
        // `period` is clamped to 6...50, so a finite `smoothPeriod` is too; NaN or infinite input (or prices so large
        // that the filters overflow) makes it NaN, and `Int(NaN)` would trap: no cycle then.
        let dcPeriodInt = smoothPeriod.isFinite ? Int(smoothPeriod + 0.5) : 0
        var realPart = 0.0
        var imagPart = 0.0
        var idx = smoothPriceIdx
        for i in 0..<dcPeriodInt {
            let angle = Double(i) * constDeg2RadBy360 / Double(dcPeriodInt)
            let v = smoothPrice[idx]
            realPart += sin(angle) * v
            imagPart += cos(angle) * v
            idx = idx == 0 ? 49 : idx - 1
        }
        let magnitude = abs(imagPart)
        if magnitude > 0.0 {
            dcPhase = atan(realPart / imagPart) * rad2Deg
        } else if magnitude <= 0.01 {
            if realPart < 0.0 { dcPhase -= 90.0 } else if realPart > 0.0 { dcPhase += 90.0 }
        }
        dcPhase += 90.0
        dcPhase += 360.0 / smoothPeriod
        if imagPart < 0.0 { dcPhase += 180.0 }
        if dcPhase > 315.0 { dcPhase -= 360.0 }
        prevSine = sine
        prevLeadSine = leadSine
        sine = sin(dcPhase * deg2Rad)
        leadSine = sin((dcPhase + 45) * deg2Rad)
        // Instantaneous trendline: the raw price averaged over the dominant cycle.
        var sum = 0.0
        for i in 0..<dcPeriodInt { sum += raw.back(i) }
        if dcPeriodInt > 0 { sum /= Double(dcPeriodInt) }
        trendline = (4.0 * sum + 3.0 * iTrend1 + 2.0 * iTrend2 + iTrend3) / 10.0
        iTrend3 = iTrend2
        iTrend2 = iTrend1
        iTrend1 = sum
        var t = 1
        if (sine > leadSine && prevSine <= prevLeadSine) || (sine < leadSine && prevSine >= prevLeadSine) {
            daysInTrend = 0
            t = 0
        }
        daysInTrend += 1
        if Double(daysInTrend) < 0.5 * smoothPeriod { t = 0 }
        let phaseChange = dcPhase - prevDCPhase
        if smoothPeriod != 0.0 && (phaseChange > 0.67 * 360.0 / smoothPeriod && phaseChange < 1.5 * 360.0 / smoothPeriod) {
            t = 0
        }
        let price = smoothPrice[smoothPriceIdx]
        if trendline != 0.0 && abs((price - trendline) / trendline) >= 0.015 { t = 1 }
        trend = t
    }
}

/// What a Hilbert-transform cycle indicator reports.
public enum HilbertOutput: String, Sendable, CaseIterable {
    /// HT_DCPERIOD: dominant cycle period (lookback 32).
    case dcPeriod = "HT_DCPERIOD"
    /// HT_DCPHASE: dominant cycle phase in degrees (lookback 63).
    case dcPhase = "HT_DCPHASE"
    /// HT_TRENDLINE: instantaneous trendline (lookback 63).
    case trendline = "HT_TRENDLINE"
    /// HT_TRENDMODE: 1 trending, 0 cycling (lookback 63).
    case trendMode = "HT_TRENDMODE"
}

/// A one-output Hilbert-transform indicator (TA-Lib HT_DCPERIOD, HT_DCPHASE, HT_TRENDLINE, HT_TRENDMODE).
public struct HilbertIndicator: StreamingIndicator {
    public let output: HilbertOutput
    @usableFromInline var engine: HilbertCycle

    public init(_ output: HilbertOutput) {
        self.output = output
        engine = HilbertCycle(longForm: output != .dcPeriod)
    }

    public var lookback: Int { output == .dcPeriod ? 32 : 63 }

    @inlinable
    public mutating func update(_ x: Double) -> Double? {
        guard engine.update(x), engine.today - 1 >= lookback else { return nil }
        switch output {
        case .dcPeriod: return engine.smoothPeriod
        case .dcPhase: return engine.dcPhase
        case .trendline: return engine.trendline
        case .trendMode: return Double(engine.trend)
        }
    }
}

/// Hilbert-transform phasor components (TA-Lib HT_PHASOR: inphase, quadrature). Lookback 32.
public struct HT_PHASOR: StreamingIndicator {
    @usableFromInline var engine = HilbertCycle(longForm: false)
    public init() {}
    public var lookback: Int { 32 }

    @inlinable
    public mutating func update(_ x: Double) -> LinePair<PhasorNames>? {
        guard engine.update(x), engine.today - 1 >= 32 else { return nil }
        return LinePair(engine.inPhase, engine.quadrature)
    }
}

/// Hilbert-transform sine wave (TA-Lib HT_SINE: sine, leadsine). Lookback 63.
public struct HT_SINE: StreamingIndicator {
    @usableFromInline var engine = HilbertCycle(longForm: true)
    public init() {}
    public var lookback: Int { 63 }

    @inlinable
    public mutating func update(_ x: Double) -> LinePair<SineNames>? {
        guard engine.update(x), engine.today - 1 >= 63 else { return nil }
        return LinePair(engine.sine, engine.leadSine)
    }
}
