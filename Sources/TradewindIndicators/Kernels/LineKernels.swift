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

    /// `MACD.update` over a column: the state itself through the lookback, then the three EMAs' `advance`
    /// alone per bar, the three lines written in one pass.
    static func macd(_ real: [Double], _ state: MACD) -> [[Double]] {
        real.withUnsafeBufferPointer { xb in
            let n = xb.count
            let lookback = state.lookback
            return columns3(n) { m, sig, hist in
                fillNaN(m, to: min(lookback, n))
                fillNaN(sig, to: min(lookback, n))
                fillNaN(hist, to: min(lookback, n))
                guard n > lookback else { return }
                let x = xb.baseAddress!
                var st = state
                for i in 0..<lookback { _ = st.update(x[i]) }
                guard let v = st.update(x[lookback]) else { return }
                m[lookback] = v.macd
                sig[lookback] = v.macdsignal
                hist[lookback] = v.macdhist
                // From here every update is one advance per EMA (all three are seeded).
                guard st.fast.isSeeded, st.slow.isSeeded, st.signal.isSeeded else {
                    for i in (lookback + 1)..<n {
                        let v = st.update(x[i])!
                        (m[i], sig[i], hist[i]) = (v.macd, v.macdsignal, v.macdhist)
                    }
                    return
                }
                var fast = st.fast, slow = st.slow, signal = st.signal
                var i = lookback + 1
                while i < n {
                    let xi = x[i]
                    let line = fast.advance(xi) - slow.advance(xi)
                    let s = signal.advance(line)
                    m[i] = line
                    sig[i] = s
                    hist[i] = line - s
                    i += 1
                }
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
                // Exact mean and squared-deviation sum of the window ending at bar `end` (as `WindowVariance`).
                @inline(__always) func refresh(_ end: Int) {
                    (mean, m2) = WindowVariance.moments(x + (end - p + 1), count: p)
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
