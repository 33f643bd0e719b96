import TradewindCore

/// Kernels of the multi-line indicators over a real series: BBANDS and MACD (all lines in one pass, straight
/// into their output columns), and RSI.
extension ColumnKernel {
    /// `RSI.update` over a column: Wilder-smoothed average gain and loss, `100·gain / (gain + loss)`.
    static func rsi(_ real: [Double], _ state: RSI, threads: ThreadBudget = .all) -> [Double] {
        let p = state.timeperiod
        let keep = state.core.keep, weight = state.core.weight
        return real.withUnsafeBufferPointer { xb in
            let n = xb.count
            return column(n, threads: threads) { out in
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
    static func macd(_ real: [Double], _ state: MACD, threads: ThreadBudget = .all) -> [[Double]] {
        real.withUnsafeBufferPointer { xb in
            let n = xb.count
            let lookback = state.lookback
            return columns3(n, threads: threads) { m, sig, hist in
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
                // `EMA.advance` (x·k + ema·(1−k)) of the three EMAs, software-pipelined by one bar: each
                // iteration finishes bar i's signal from line·k computed in the previous iteration, then
                // computes bar i + 1's fast and slow EMAs and line·k. Written plainly, the compiler pairs
                // the signal's two products into one vector multiply and a horizontal add, which puts two
                // shuffles on the signal's bar-to-bar chain (8 cycles per bar instead of 6); with line·k
                // carried over from the previous iteration there is no such pair. Same operations, same bits.
                let fk = st.fast.k, fc = st.fast.oneMinusK, sk = st.slow.k, sc = st.slow.oneMinusK
                let gk = st.signal.k, gc = st.signal.oneMinusK
                var fast = st.fast.ema, slow = st.slow.ema, signal = st.signal.ema
                var i = lookback + 1
                guard i < n else { return }
                fast = x[i] * fk + fast * fc
                slow = x[i] * sk + slow * sc
                var line = fast - slow
                var lineK = line * gk
                while i &+ 1 < n {
                    signal = lineK + signal * gc
                    m[i] = line
                    sig[i] = signal
                    hist[i] = line - signal
                    i &+= 1
                    let xi = x[i]
                    fast = xi * fk + fast * fc
                    slow = xi * sk + slow * sc
                    line = fast - slow
                    lineK = line * gk
                }
                signal = lineK + signal * gc
                m[i] = line
                sig[i] = signal
                hist[i] = line - signal
            }
        }
    }

    /// Columns at least this long are computed by `bbands` in parts, in parallel within the budget.
    static let bbandsSplitThreshold = 1 << 16

    /// `BBANDS.update` over a column, in chunks that stay in L1: a serial pass advances the sliding Welford
    /// mean (the SMA middle band; other types come from their kernel first) and squared-deviation sum (both
    /// recomputed exactly from the window every `timeperiod` bars, as `WindowVariance`), storing them; then
    /// an element-wise pass, which the compiler vectorises (square roots included), writes the bands.
    /// `ma + sd·nbdev` equals each of `BBANDS.update`'s special cases bit for bit (`sd·1.0 == sd`).
    ///
    /// At a refresh bar the state depends only on the window, so a long column (≥ `splitThreshold`, with a
    /// second thread allowed: `helperAllowed`) is cut at refresh bars into up to `parts` (default 8) stretches, which the budget's threads take one at a time until none is left
    /// (each faulting in its own pages; a core slowed by other work just takes fewer): the same bits as
    /// `parts: 1` (the property tests check several cuts against the streaming state, with a lower
    /// `splitThreshold` to cut short columns too).
    static func bbands(_ real: [Double], _ state: BBANDS, parts: Int? = nil,
                       splitThreshold: Int = bbandsSplitThreshold, threads: ThreadBudget = .all) -> [[Double]] {
        let parts = parts ?? (real.count >= splitThreshold && helperAllowed(threads) ? 8 : 1)
        let p = state.timeperiod
        let up = state.nbdevup, dn = state.nbdevdn
        let lookback = state.lookback
        let smaMiddle = state.matype == .sma
        return real.withUnsafeBufferPointer { xb in
            let n = xb.count
            // Stretch boundaries: the first full window, refresh bars (p − 1 + k·p) near even shares, the end.
            var bounds = [p - 1]
            if parts > 1 && n >= splitThreshold && n > p {
                let span = n - (p - 1)
                for j in 1..<parts {
                    let cut = p - 1 + ((span * j / parts) / p) * p
                    if cut > bounds[bounds.count - 1] && cut < n { bounds.append(cut) }
                }
            }
            bounds.append(n)
            let split = bounds.count > 2
            return columns3(n, populate: !split, threads: threads) { upper, middle, lower in
                guard n > 0 else { return }
                let x = xb.baseAddress!
                if !smaMiddle { movingAverage(x, middle, start: 0, end: n, period: p, matype: state.matype) }
                defer {
                    fillNaN(upper, to: min(lookback, n))
                    fillNaN(middle, to: min(lookback, n))
                    fillNaN(lower, to: min(lookback, n))
                }
                guard n >= p else { return }
                let columns = BandColumns(x: x, upper: upper, middle: middle, lower: lower)
                guard split else {
                    bbandsStretch(columns, from: p - 1, to: n, period: p, up: up, dn: dn, smaMiddle: smaMiddle)
                    return
                }
                let stretches = bounds
                threads.forEach(stretches.count - 1) { k in
                    bbandsStretch(columns, from: stretches[k], to: stretches[k + 1],
                                  period: p, up: up, dn: dn, smaMiddle: smaMiddle)
                }
            }
        }
    }

    /// The input and output columns of `bbands`, passed to its worker threads.
    struct BandColumns: @unchecked Sendable {
        let x: UnsafePointer<Double>
        let upper: UnsafeMutablePointer<Double>, middle: UnsafeMutablePointer<Double>, lower: UnsafeMutablePointer<Double>
    }

    /// Bands of bars `from..<to`, where `from` is a refresh bar (`period − 1 + k·period`): the state starts there
    /// exactly from the window, as `WindowVariance.refresh`.
    @inline(__always)
    static func bbandsStretch(_ c: BandColumns, from: Int, to n: Int, period p: Int, up: Double, dn: Double,
                              smaMiddle: Bool) {
        let x = c.x, upper = c.upper, middle = c.middle, lower = c.lower
        let inverse = 1.0 / Double(p)
        var mean = 0.0, m2 = 0.0
        // Exact mean and squared-deviation sum of the window ending at bar `end` (as `WindowVariance`).
        @inline(__always) func refresh(_ end: Int) {
            (mean, m2) = WindowVariance.moments(x + (end - p + 1), count: p)
        }
        // Bands of bars from..<to, whose squared-deviation sums are in `upper` (and middle band in `middle`).
        @inline(__always) func bands(_ from: Int, _ to: Int) {
            let u = upper + from, m = middle + from, l = lower + from
            for j in 0..<(to - from) {
                let s2 = u[j]
                let v = s2 > 0 ? s2 * inverse : 0.0
                // √v for v > 0, else 0 (as `STDDEV`), written so the compiler sees a non-negative operand and
                // emits a packed square root with no libm fallback.
                let sd = (v > 0 ? v : 0.0).squareRoot()
                let ma = m[j]
                u[j] = ma + sd * up
                l[j] = ma - sd * dn
            }
        }
        refresh(from)
        upper[from] = m2
        if smaMiddle { middle[from] = mean }
        var since = 0
        var i = from + 1
        var done = from
        let chunk = 256
        while i < n {
            let stop = min(n, i + chunk)
            while i < stop {
                let cur = x[i], old = x[i - p]
                let delta = cur - old
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
                if smaMiddle { middle[i] = mean }
                i += 1
            }
            bands(done, stop)
            done = stop
        }
        if done < n { bands(done, n) }
    }
}
