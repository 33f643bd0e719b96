import Foundation

/// What TA-Lib's least-squares family reports from the line fitted to the last `timeperiod` values
/// (x = 0 for the oldest bar).
public enum RegressionOutput: String, Sendable, CaseIterable {
    /// LINEARREG: the fitted value at the latest bar.
    case value = "LINEARREG"
    /// LINEARREG_ANGLE: the slope's angle in degrees.
    case angle = "LINEARREG_ANGLE"
    /// LINEARREG_INTERCEPT: the fitted value at the oldest bar of the window.
    case intercept = "LINEARREG_INTERCEPT"
    /// LINEARREG_SLOPE: the slope per bar.
    case slope = "LINEARREG_SLOPE"
    /// TSF: the fitted value projected one bar ahead (time series forecast).
    case forecast = "TSF"
}

/// Linear regression over a sliding window (TA-Lib LINEARREG, _ANGLE, _INTERCEPT, _SLOPE, TSF). Each bar refits
/// from the window with TA-Lib's sums (O(timeperiod) per bar), which keeps its rounding exactly.
public struct LinearRegression: StreamingIndicator {
    public let output: RegressionOutput
    public let timeperiod: Int
    @usableFromInline var ring: Ring
    @usableFromInline let sumX: Double, divisor: Double

    /// - Parameter timeperiod: 2...100000 (default 14).
    public init(_ output: RegressionOutput, timeperiod: Int = 14) throws(IndicatorError) {
        try Check.period(timeperiod, "timeperiod", in: 2...maxIndicatorPeriod, output.rawValue)
        self.output = output
        self.timeperiod = timeperiod
        ring = Ring(capacity: timeperiod)
        let p = Double(timeperiod)
        sumX = p * (p - 1) * 0.5
        let sumXSqr = p * (p - 1) * (2 * p - 1) / 6
        divisor = sumX * sumX - p * sumXSqr
    }

    public var lookback: Int { timeperiod - 1 }

    @inlinable
    public mutating func update(_ x: Double) -> Double? {
        ring.push(x)
        guard ring.isFull else { return nil }
        var sumXY = 0.0
        var sumY = 0.0
        var i = timeperiod
        while i != 0 {
            i -= 1
            let v = ring.back(i)
            sumY += v
            sumXY += Double(i) * v
        }
        let p = Double(timeperiod)
        let m = (p * sumXY - sumX * sumY) / divisor
        let b = (sumY - m * sumX) / p
        switch output {
        case .value: return b + m * (p - 1)
        case .angle: return atan(m) * (180.0 / Double.pi)
        case .intercept: return b
        case .slope: return m
        case .forecast: return b + m * p
        }
    }
}
