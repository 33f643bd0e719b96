/// Small streaming indicators the classic and mean-reversion strategies update once per bar (O(1) or O(window)
/// per update, fixed memory). Each returns NaN until it has enough data.

/// Wilder's RSI as TA-Lib computes it: the first value (after `period` price changes) uses the simple means of
/// the gains and losses, later values Wilder's smoothing `avg = (avg·(period − 1) + x) / period`;
/// RSI = 100 · avgGain / (avgGain + avgLoss), 0 when both are 0.
public struct WilderRSI: Sendable {
    public let period: Int
    private var previous = Double.nan
    private var changes = 0
    private var gain = 0.0
    private var loss = 0.0

    public init(period: Int) {
        precondition(period > 0)
        self.period = period
    }

    public mutating func update(_ close: Double) -> Double {
        defer { previous = close }
        guard !previous.isNaN else { return .nan }
        let d = close - previous
        let g = d > 0 ? d : 0, l = d < 0 ? -d : 0
        changes += 1
        let n = Double(period)
        if changes <= period {
            gain += g
            loss += l
            if changes < period { return .nan }
            gain /= n
            loss /= n
        } else {
            gain = (gain * (n - 1) + g) / n
            loss = (loss * (n - 1) + l) / n
        }
        let sum = gain + loss
        return sum != 0 ? 100 * (gain / sum) : 0
    }
}

/// Exponential moving average seeded with the simple mean of its first `period` values (TA-Lib's default),
/// then `ema += (x − ema) · 2 / (period + 1)`.
public struct StreamingEMA: Sendable {
    public let period: Int
    private var seen = 0
    private var value = 0.0

    public init(period: Int) {
        precondition(period > 0)
        self.period = period
    }

    public mutating func update(_ x: Double) -> Double {
        seen += 1
        if seen <= period {
            value += x
            if seen < period { return .nan }
            value /= Double(period)
            return value
        }
        value += (x - value) * (2 / Double(period + 1))
        return value
    }
}

/// Mean and population standard deviation of the last `window` values (computed two-pass over the window).
public struct RollingWindow: Sendable {
    public let window: Int
    private var ring: [Double]
    private var seen = 0

    public init(window: Int) {
        precondition(window > 0)
        self.window = window
        ring = [Double](repeating: 0, count: window)
    }

    /// Adds a value; returns (mean, population standard deviation), NaN during warm-up.
    public mutating func update(_ x: Double) -> (mean: Double, std: Double) {
        ring[seen % window] = x
        seen += 1
        guard seen >= window else { return (.nan, .nan) }
        var sum = 0.0
        for v in ring { sum += v }
        let mean = sum / Double(window)
        var ss = 0.0
        for v in ring { ss += (v - mean) * (v - mean) }
        return (mean, (ss / Double(window)).squareRoot())
    }
}

/// Highest high and lowest low of the `window` bars *before* the current one (Donchian channel).
public struct PriorChannel: Sendable {
    public let window: Int
    private var highs: [Double]
    private var lows: [Double]
    private var seen = 0

    public init(window: Int) {
        precondition(window > 0)
        self.window = window
        highs = [Double](repeating: 0, count: window)
        lows = highs
    }

    /// The channel of the previous `window` bars (NaN during warm-up), then records this bar.
    public mutating func update(high: Double, low: Double) -> (upper: Double, lower: Double) {
        var result = (upper: Double.nan, lower: Double.nan)
        if seen >= window {
            result = (highs.max()!, lows.min()!)
        }
        highs[seen % window] = high
        lows[seen % window] = low
        seen += 1
        return result
    }
}

/// Wilder's average true range as TA-Lib computes it: true ranges from the second bar on, the first ATR the
/// simple mean of `period` of them, then `atr = (atr·(period − 1) + tr) / period`.
public struct WilderATR: Sendable {
    public let period: Int
    private var previousClose = Double.nan
    private var count = 0
    private var value = 0.0

    public init(period: Int) {
        precondition(period > 0)
        self.period = period
    }

    public mutating func update(high: Double, low: Double, close: Double) -> Double {
        defer { previousClose = close }
        guard !previousClose.isNaN else { return .nan }
        let tr = max(high - low, abs(high - previousClose), abs(low - previousClose))
        count += 1
        let n = Double(period)
        if count <= period {
            value += tr
            if count < period { return .nan }
            value /= n
            return value
        }
        value = (value * (n - 1) + tr) / n
        return value
    }
}
