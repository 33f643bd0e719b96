/// Kernels of the multi-line indicators over a real series: BBANDS and MACD (all lines in one pass, straight
/// into their output columns), and RSI.
extension ColumnKernel {
    /// `RSI.update` over a column: Wilder-smoothed average gain and loss, `100·gain / (gain + loss)`.
    static func rsi(_ real: [Double], _ state: RSI) -> [Double] {
        let p = state.timeperiod
        let keep = state.core.keep, weight = state.core.weight
        return real.withUnsafeBufferPointer { xb in
            let n = xb.count
            return column(n) { out in
                fillNaN(out, to: min(p, n))
                guard n > p else { return }
                let x = xb.baseAddress!
                let pd = Double(p)
                var gain = 0.0, loss = 0.0
                var prev = x[0]
                for i in 1...p {
                    let diff = x[i] - prev
                    prev = x[i]
                    if diff < 0.0 { loss -= diff } else { gain += diff }
                }
                loss /= pd
                gain /= pd
                var s = gain + loss
                out[p] = isZero(s) ? 0.0 : 100.0 * (gain / s)
                var i = p + 1
                while i < n {
                    let cur = x[i]
                    let diff = cur - prev
                    prev = cur
                    let magnitude = abs(diff)
                    let up = (diff + magnitude) * 0.5
                    let down = (magnitude - diff) * 0.5
                    loss = loss * keep + down * weight
                    gain = gain * keep + up * weight
                    s = gain + loss
                    out[i] = isZero(s) ? 0.0 : 100.0 * (gain / s)
                    i += 1
                }
            }
        }
    }

    /// `MACD.update` over a column: fast, slow and signal EMAs advanced together, the three lines written in
    /// one pass.
    static func macd(_ real: [Double], _ state: MACD) -> [[Double]] {
        let fast = state.fast, slow = state.slow, signal = state.signal
        return real.withUnsafeBufferPointer { xb in
            let n = xb.count
            let lookback = state.lookback
            return columns3(n) { m, sig, hist in
                fillNaN(m, to: min(lookback, n))
                fillNaN(sig, to: min(lookback, n))
                fillNaN(hist, to: min(lookback, n))
                let x = xb.baseAddress!
                let s = slow.timeperiod
                // Both EMAs produce their first value at bar s − 1 (the fast one skips the bars before its seed).
                let first = slow.lookback
                guard n > lookback, fast.lookback == first else {
                    if n > lookback { general(xb, state, m, sig, hist) }
                    return
                }
                var fastSum = 0.0
                for i in fast.skipped...first { fastSum += x[i] }
                var slowSum = 0.0
                for i in 0...first { slowSum += x[i] }
                var f = fastSum / Double(fast.timeperiod)
                var sl = slowSum / Double(s)
                var line = f - sl
                let kf = fast.k, omf = fast.oneMinusK, ks = slow.k, oms = slow.oneMinusK
                // The signal EMA's seed: the mean of the first `signalperiod` MACD values.
                var sigSum = 0.0
                var i = first
                while i < lookback {
                    sigSum += line
                    i += 1
                    let xi = x[i]
                    f = xi * kf + f * omf
                    sl = xi * ks + sl * oms
                    line = f - sl
                }
                sigSum += line
                var sg = sigSum / Double(signal.timeperiod)
                m[i] = line
                sig[i] = sg
                hist[i] = line - sg
                let kg = signal.k, omg = signal.oneMinusK
                i += 1
                while i < n {
                    let xi = x[i]
                    f = xi * kf + f * omf
                    sl = xi * ks + sl * oms
                    line = f - sl
                    sg = line * kg + sg * omg
                    m[i] = line
                    sig[i] = sg
                    hist[i] = line - sg
                    i += 1
                }
            }
        }
    }

    /// MACD through its streaming state (for fast/slow EMAs whose first values do not coincide, which the
    /// public initialisers never build).
    private static func general(_ x: UnsafeBufferPointer<Double>, _ state: MACD, _ m: UnsafeMutablePointer<Double>,
                                _ sig: UnsafeMutablePointer<Double>, _ hist: UnsafeMutablePointer<Double>) {
        var state = state
        for i in 0..<x.count {
            if let v = state.update(x[i]) {
                m[i] = v.macd
                sig[i] = v.macdsignal
                hist[i] = v.macdhist
            }
        }
    }

    /// `BBANDS.update` over a column, in chunks that stay in L1: a serial pass advances the window sum (for
    /// an SMA middle band; other types come from their kernel first) and the sliding Welford variance (exact
    /// two-pass refresh every `timeperiod` bars), storing the sums; then an element-wise pass, which the
    /// compiler vectorises, divides, takes the square roots and writes the bands. `ma + sd·nbdev` equals each
    /// of `BBANDS.update`'s special cases bit for bit (`sd·1.0 == sd`).
    static func bbands(_ real: [Double], _ state: BBANDS) -> [[Double]] {
        let p = state.timeperiod
        let up = state.nbdevup, dn = state.nbdevdn
        let lookback = state.lookback
        let smaMiddle = state.matype == .sma
        return real.withUnsafeBufferPointer { xb in
            let n = xb.count
            return columns3(n) { upper, middle, lower in
                guard n > 0 else { return }
                let x = xb.baseAddress!
                if !smaMiddle { movingAverage(x, middle, start: 0, end: n, period: p, matype: state.matype) }
                defer {
                    fillNaN(upper, to: min(lookback, n))
                    fillNaN(middle, to: min(lookback, n))
                    fillNaN(lower, to: min(lookback, n))
                }
                guard n >= p else { return }
                let pd = Double(p)
                let inverse = 1.0 / pd
                var mean = 0.0, m2 = 0.0, sum = 0.0
                // Exact mean and squared-deviation sum of the window ending at bar `end`.
                @inline(__always) func refresh(_ end: Int) {
                    let w = x + (end - p + 1)
                    var total = 0.0
                    for j in 0..<p { total += w[j] }
                    let mu = total / pd
                    var acc = 0.0
                    for j in 0..<p {
                        let d = w[j] - mu
                        acc += d * d
                    }
                    mean = mu
                    m2 = acc
                }
                // Bands of bars from..<to, whose squared-deviation sums are in `upper` (and window sums in
                // `middle` for an SMA middle band).
                @inline(__always) func bands(_ from: Int, _ to: Int) {
                    let u = upper + from, m = middle + from, l = lower + from
                    if smaMiddle {
                        for j in 0..<(to - from) { m[j] = m[j] / pd }
                    }
                    for j in 0..<(to - from) {
                        let s2 = u[j]
                        let v = s2 > 0 ? s2 * inverse : 0.0
                        let sd = v > 0 ? v.squareRoot() : 0.0
                        let ma = m[j]
                        u[j] = ma + sd * up
                        l[j] = ma - sd * dn
                    }
                }
                for j in 0..<p { sum += x[j] }
                refresh(p - 1)
                upper[p - 1] = m2
                if smaMiddle { middle[p - 1] = sum }
                var since = 0
                var i = p
                var done = p - 1
                let chunk = 256
                while i < n {
                    let stop = min(n, i + chunk)
                    while i < stop {
                        let cur = x[i], old = x[i - p]
                        let delta = cur - old
                        sum += delta
                        since += 1
                        if since >= p {
                            refresh(i)
                            since = 0
                        } else {
                            let oldMean = mean
                            mean += delta * inverse
                            m2 += delta * ((cur - mean) + (old - oldMean))
                        }
                        upper[i] = m2
                        if smaMiddle { middle[i] = sum }
                        i += 1
                    }
                    bands(done, stop)
                    done = stop
                }
                if done < n { bands(done, n) }
            }
        }
    }
}
