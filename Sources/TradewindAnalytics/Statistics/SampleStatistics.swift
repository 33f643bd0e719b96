/// Sample moments and quantiles with pandas' conventions (the definitions QuantStats inherits).
public enum SampleStatistics {
    /// Arithmetic mean; NaN when empty.
    public static func mean(_ x: [Double]) -> Double {
        guard !x.isEmpty else { return .nan }
        var s = 0.0
        for v in x { s += v }
        return s / Double(x.count)
    }

    /// Sample standard deviation (ddof = 1, pandas' default) by the two-pass algorithm; NaN below 2 values.
    public static func standardDeviation(_ x: [Double]) -> Double {
        guard x.count >= 2 else { return .nan }
        let m = mean(x)
        var ss = 0.0
        for v in x { let d = v - m; ss += d * d }
        return (ss / Double(x.count - 1)).squareRoot()
    }

    /// Central moments m2, m3, m4 (population, divided by n).
    static func centralMoments(_ x: [Double]) -> (m2: Double, m3: Double, m4: Double) {
        let m = mean(x)
        var s2 = 0.0, s3 = 0.0, s4 = 0.0
        for v in x {
            let d = v - m
            let d2 = d * d
            s2 += d2
            s3 += d2 * d
            s4 += d2 * d2
        }
        let n = Double(x.count)
        return (s2 / n, s3 / n, s4 / n)
    }

    /// Adjusted Fisher-Pearson skewness G1 = √(n(n-1))/(n-2) · m3/m2^1.5 (pandas `Series.skew`);
    /// NaN below 3 values or when all values are equal.
    public static func skewness(_ x: [Double]) -> Double {
        guard x.count >= 3 else { return .nan }
        let (m2, m3, _) = centralMoments(x)
        guard m2 > 0 else { return .nan }
        let n = Double(x.count)
        return (n * (n - 1)).squareRoot() / (n - 2) * m3 / _pow(m2, 1.5)
    }

    /// Unbiased excess kurtosis G2 = (n-1)/((n-2)(n-3)) · ((n+1)·m4/m2² - 3(n-1)) (pandas `Series.kurt`,
    /// 0 for a normal distribution); NaN below 4 values or when all values are equal.
    public static func excessKurtosis(_ x: [Double]) -> Double {
        guard x.count >= 4 else { return .nan }
        let (m2, _, m4) = centralMoments(x)
        guard m2 > 0 else { return .nan }
        let n = Double(x.count)
        return (n - 1) / ((n - 2) * (n - 3)) * ((n + 1) * m4 / (m2 * m2) - 3 * (n - 1))
    }

    /// The `q`-quantile with linear interpolation between order statistics (numpy/pandas default):
    /// position `(n-1)·q`. NaN when empty or `q` outside [0, 1]. O(n) by selection, no full sort.
    public static func quantile(_ x: [Double], _ q: Double) -> Double {
        guard !x.isEmpty, q >= 0, q <= 1 else { return .nan }
        var work = x
        return work.withUnsafeMutableBufferPointer { quantile(selectingIn: $0, q) }
    }

    /// The quantile of the values in `buf`, which it reorders (any permutation of them stays valid for
    /// further calls).
    static func quantile(selectingIn buf: UnsafeMutableBufferPointer<Double>, _ q: Double) -> Double {
        guard buf.count > 0, q >= 0, q <= 1 else { return .nan }
        let pos = Double(buf.count - 1) * q
        let lo = Int(pos.rounded(.down))
        let a = select(buf, lo)
        var b = a
        if lo + 1 < buf.count {
            // After selection everything right of `lo` is ≥ a: the next order statistic is their minimum.
            b = buf[lo + 1]
            for i in (lo + 2)..<buf.count where buf[i] < b { b = buf[i] }
        }
        let t = pos - Double(lo)
        // numpy's _lerp: symmetric form, exact at both ends.
        return t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t
    }

    /// Rearranges `buf` so that `buf[k]` is its k-th smallest value, smaller-or-equal values before it and
    /// greater-or-equal after (quickselect, median-of-three pivot), and returns it.
    static func select(_ buf: UnsafeMutableBufferPointer<Double>, _ k: Int) -> Double {
        var left = 0, right = buf.count - 1
        while right > left {
            let mid = left + (right - left) / 2
            if buf[mid] < buf[left] { buf.swapAt(mid, left) }
            if buf[right] < buf[left] { buf.swapAt(right, left) }
            if buf[right] < buf[mid] { buf.swapAt(right, mid) }
            let pivot = buf[mid]
            var i = left, j = right
            while i <= j {
                while buf[i] < pivot { i += 1 }
                while pivot < buf[j] { j -= 1 }
                if i <= j { buf.swapAt(i, j); i += 1; j -= 1 }
            }
            if k <= j { right = j } else if k >= i { left = i } else { return buf[k] }
        }
        return buf[k]
    }

    /// `quantile` on already ascending values.
    public static func quantile(sorted s: [Double], _ q: Double) -> Double {
        guard !s.isEmpty, q >= 0, q <= 1 else { return .nan }
        let pos = Double(s.count - 1) * q
        let lo = Int(pos.rounded(.down))
        let hi = min(lo + 1, s.count - 1)
        let t = pos - Double(lo)
        let a = s[lo], b = s[hi]
        // numpy's _lerp: symmetric form, exact at both ends.
        return t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t
    }
}
