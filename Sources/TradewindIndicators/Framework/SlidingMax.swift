/// Highest (or lowest) value of the last `window` values in O(1) amortised, branch-free per bar (van Herk /
/// Gil–Werman blocks): the window spans the tail of the previous block, whose suffix maxima are computed once
/// when that block completes, and the head of the current block, whose running maximum is kept. The value is
/// exactly the window's extreme (no arithmetic), so it equals TA-Lib's. Used where only the value matters;
/// `WindowExtreme` keeps TA-Lib's tie rules for the index outputs.
@usableFromInline
struct SlidingMax: Sendable {
    @usableFromInline let window: Int
    /// +1 for the highest value, −1 for the lowest (values are stored negated: min(x) = −max(−x), exactly).
    @usableFromInline let sign: Double
    @usableFromInline var block: [Double]
    @usableFromInline var suffix: [Double]
    @usableFromInline var prefix = -Double.infinity
    @usableFromInline var pos = 0

    @usableFromInline init(window: Int, max isMax: Bool) {
        self.window = window
        sign = isMax ? 1 : -1
        block = [Double](repeating: -.infinity, count: window)
        suffix = [Double](repeating: -.infinity, count: window)
    }

    /// Pushes the next value; returns the extreme of the last `window` values (valid once `window` were pushed).
    @inline(__always) @inlinable
    mutating func push(_ x: Double) -> Double {
        let v = x * sign
        block[pos] = v
        prefix = pos == 0 ? v : (v > prefix ? v : prefix)
        let result: Double
        if pos == window - 1 {
            result = prefix
            var m = v
            suffix[window - 1] = m
            var k = window - 2
            while k >= 0 {
                let b = block[k]
                m = b > m ? b : m
                suffix[k] = m
                k -= 1
            }
            pos = 0
        } else {
            let s = suffix[pos + 1]
            result = s > prefix ? s : prefix
            pos += 1
        }
        return result * sign
    }
}

/// The highest high and the lowest low of the last `window` bars, the shared core of MIDPRICE, WILLR and
/// DONCHIAN. `push` returns them once `window` bars have been seen (the indicators' lookback is `window − 1`).
@usableFromInline
struct HighLowWindow: Sendable {
    @usableFromInline var highest: SlidingMax
    @usableFromInline var lowest: SlidingMax
    @usableFromInline var seen = 0
    @usableFromInline let window: Int

    @usableFromInline
    init(window: Int) {
        self.window = window
        highest = SlidingMax(window: window, max: true)
        lowest = SlidingMax(window: window, max: false)
    }

    @inlinable
    mutating func push(high: Double, low: Double) -> (high: Double, low: Double)? {
        seen += 1
        let h = highest.push(high)
        let l = lowest.push(low)
        return seen >= window ? (h, l) : nil
    }
}
