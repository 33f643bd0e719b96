import Dispatch

/// Kernels of the core indicators over price columns (ATR, ADX, STOCH, VWAP), written as the streaming
/// states' updates over raw column pointers.
extension ColumnKernel {
    /// `ATR.update` over high, low, close: true ranges from the second bar, their mean over the first
    /// `timeperiod`, then `atr·(n−1)/n + tr/n` in the state's two-bar steps from an anchor (see `ATR`).
    ///
    /// After the seed, one loop iteration is one two-bar step: no bar branches on the phase, the two true
    /// ranges are independent (the compiler computes them as a pair with packed max) and the loop-carried
    /// chain is one multiply and one add per two bars. (Separate true-range and smoothing passes over chunks
    /// measured slower: the passes cannot overlap.)
    static func atr(high: [Double], low: [Double], close: [Double], _ state: ATR) -> [Double] {
        let p = state.timeperiod
        let keep = state.keep, keep2 = state.keep2, weight = state.weight
        let n = close.count
        return high.withUnsafeBufferPointer { hb in
            low.withUnsafeBufferPointer { lb in
                close.withUnsafeBufferPointer { cb in
                    column(n) { out in
                        fillNaN(out, to: min(p, n))
                        guard n > p else { return }
                        let h = hb.baseAddress!, l = lb.baseAddress!, c = cb.baseAddress!
                        if p == 1 {
                            for i in 1..<n { out[i] = trueRange(high: h[i], low: l[i], prevClose: c[i - 1]) }
                            return
                        }
                        var atr = 0.0
                        for i in 1...p { atr += trueRange(high: h[i], low: l[i], prevClose: c[i - 1]) }
                        atr /= Double(p)
                        out[p] = atr
                        var anchor = atr
                        var i = p &+ 1
                        while i &+ 1 < n {
                            let b1 = trueRange(high: h[i], low: l[i], prevClose: c[i &- 1]) * weight
                            let b2 = trueRange(high: h[i &+ 1], low: l[i &+ 1], prevClose: c[i]) * weight
                            out[i] = anchor * keep + b1
                            anchor = anchor * keep2 + (b1 * keep + b2)
                            out[i &+ 1] = anchor
                            i &+= 2
                        }
                        if i < n { out[i] = anchor * keep + trueRange(high: h[i], low: l[i], prevClose: c[i &- 1]) * weight }
                    }
                }
            }
        }
    }

    /// `ADX.update` over high, low, close: Wilder-smoothed +DM, −DM and TR, DX from them, the mean of the
    /// first `timeperiod` DX values, then Wilder smoothing of DX.
    static func adx(high: [Double], low: [Double], close: [Double], _ state: ADX) -> [Double] {
        let p = state.timeperiod
        let keep = state.keep, inverse = state.dx.core.inverse
        let n = close.count
        let lookback = 2 * p - 1
        return high.withUnsafeBufferPointer { hb in
            low.withUnsafeBufferPointer { lb in
                close.withUnsafeBufferPointer { cb in
                    column(n) { out in
                        fillNaN(out, to: min(lookback, n))
                        guard n > lookback else { return }
                        let h = hb.baseAddress!, l = lb.baseAddress!, c = cb.baseAddress!
                        var plus = 0.0, minus = 0.0, tr = 0.0
                        // One bar's directional movement and true range (DirectionalStep). +DM is taken
                        // when diffP > 0 && diffP > diffM, −DM when diffM > 0 && diffM > diffP: the same
                        // test on the pair (diffP, diffM) against its swap (diffM, diffP), so both come from
                        // one packed mask with no data-dependent branch (a random walk mispredicts one about
                        // every other bar, and written as scalars the compiler keeps the branches). The
                        // values are DirectionalStep's (its if/else-if cases exclude each other, and every
                        // comparison is false on NaN in both forms).
                        @inline(__always) func step(_ i: Int) -> (Double, Double, Double) {
                            let diffP = h[i] - h[i - 1]
                            let diffM = l[i - 1] - l[i]
                            let d = SIMD2(diffP, diffM)
                            let take = (d .> 0) .& (d .> SIMD2(diffM, diffP))
                            let dm = SIMD2<Double>(repeating: 0).replacing(with: d, where: take)
                            return (dm.x, dm.y, trueRange(high: h[i], low: l[i], prevClose: c[i - 1]))
                        }
                        @inline(__always) func smooth(_ i: Int) {
                            let (dp, dm, t) = step(i)
                            plus = plus - plus * inverse + dp
                            minus = minus - minus * inverse + dm
                            tr = tr - tr * inverse + t
                        }
                        // DX of the current sums, or nil where TA-Lib keeps the previous value (DX.currentDX).
                        @inline(__always) func dx() -> Double? {
                            guard !isZero(tr) else { return nil }
                            let minusDI = 100.0 * (minus / tr)
                            let plusDI = 100.0 * (plus / tr)
                            let s = minusDI + plusDI
                            guard !isZero(s) else { return nil }
                            return 100.0 * (abs(minusDI - plusDI) / s)
                        }
                        for i in 1..<p {
                            let (dp, dm, t) = step(i)
                            plus += dp
                            minus += dm
                            tr += t
                        }
                        var sumDX = 0.0
                        for i in p..<lookback {
                            smooth(i)
                            if let v = dx() { sumDX += v }
                        }
                        smooth(lookback)
                        if let v = dx() { sumDX += v }
                        var adx = sumDX / Double(p)
                        out[lookback] = adx
                        var i = lookback + 1
                        while i < n {
                            smooth(i)
                            if let v = dx() { adx = adx * keep + v * inverse }
                            out[i] = adx
                            i += 1
                        }
                    }
                }
            }
        }
    }

    /// `STOCH.update` over high, low, close: raw %K from sliding extremes, then the two smoothing averages,
    /// each over its whole stretch of the previous line (the %D column holds raw %K until %D overwrites it).
    static func stoch(high: [Double], low: [Double], close: [Double], _ state: STOCH) -> [[Double]] {
        let kp = state.fastkPeriod
        let n = close.count
        let lookback = state.lookback
        let kStart = kp - 1
        let slowKStart = kStart + state.slowK.lookback
        return high.withUnsafeBufferPointer { hb in
            low.withUnsafeBufferPointer { lb in
                close.withUnsafeBufferPointer { cb in
                    columns2(n) { slowK, slowD in
                        guard n > 0 else { return }
                        let h = hb.baseAddress!, l = lb.baseAddress!, c = cb.baseAddress!
                        // Raw %K (FastK) into the %D column, from bar kp − 1.
                        var highest = SlidingMax(window: kp, max: true)
                        var lowest = SlidingMax(window: kp, max: false)
                        for i in 0..<n {
                            let hi = highest.push(h[i])
                            let lo = lowest.push(l[i])
                            if i >= kStart {
                                let diff = (hi - lo) / 100.0
                                slowD[i] = diff != 0.0 ? (c[i] - lo) / diff : 0.0
                            }
                        }
                        if kStart < n {
                            movingAverage(slowD, slowK, start: kStart, end: n, period: state.slowkPeriod, matype: state.slowkMatype)
                        }
                        if slowKStart < n {
                            movingAverage(slowK, slowD, start: slowKStart, end: n, period: state.slowdPeriod, matype: state.slowdMatype)
                        }
                        fillNaN(slowK, to: min(lookback, n))
                        fillNaN(slowD, to: min(lookback, n))
                    }
                }
            }
        }
    }

    /// Columns at least this long are computed by `vwap` in two parts on two cores.
    static let vwapSplitThreshold = 1 << 16

    /// `VWAP.update` over high, low, close, volume and session ids: cumulative Σ(tp·v)/Σv, reset where the id
    /// changes.
    ///
    /// The sums restart at every session start, so the values from a session start on depend only on the
    /// bars from there: a long column (≥ `splitThreshold`) is cut at the first session start in its second
    /// half (if there is one) and the two parts run on two cores, each writing (and faulting in) its own
    /// pages, with the same bits as one pass.
    static func vwap(high: [Double], low: [Double], close: [Double], volume: [Double], session: [Double],
                     parts: Int = 2, splitThreshold: Int = vwapSplitThreshold) -> [Double] {
        let n = close.count
        return high.withUnsafeBufferPointer { hb in
            low.withUnsafeBufferPointer { lb in
                close.withUnsafeBufferPointer { cb in
                    volume.withUnsafeBufferPointer { vb in
                        session.withUnsafeBufferPointer { sb in
                            let bars = SessionColumns(high: hb.baseAddress, low: lb.baseAddress, close: cb.baseAddress,
                                                      volume: vb.baseAddress, session: sb.baseAddress)
                            var cut = n
                            if parts > 1 && n >= max(splitThreshold, 2) {
                                let s = sb.baseAddress!
                                var i = n / 2
                                while i < n && s[i] == s[i - 1] { i += 1 }
                                cut = i
                            }
                            let at = cut
                            guard at < n else { return column(n) { out in vwapStretch(bars, out, from: 0, to: n) } }
                            var out = uninitialized(n)
                            out.withUnsafeMutableBufferPointer { o in
                                let column = OutputColumn(base: o.baseAddress!)
                                DispatchQueue.concurrentPerform(iterations: 2) { part in
                                    vwapStretch(bars, column.base, from: part == 0 ? 0 : at, to: part == 0 ? at : n)
                                }
                            }
                            return out
                        }
                    }
                }
            }
        }
    }

    /// The input columns of `vwap`, passed to its worker threads (nil where empty).
    struct SessionColumns: @unchecked Sendable {
        let high: UnsafePointer<Double>?, low: UnsafePointer<Double>?, close: UnsafePointer<Double>?
        let volume: UnsafePointer<Double>?, session: UnsafePointer<Double>?
    }

    /// An output column shared by worker threads that write disjoint ranges of it.
    struct OutputColumn: @unchecked Sendable {
        let base: UnsafeMutablePointer<Double>
    }

    /// VWAP of bars `from..<to`, where `from` is 0 or a session start. Two bars per iteration, so that their
    /// two divisions (the most expensive part of a bar) run as one packed division; each lane is the scalar
    /// `Σ(tp·v)/Σv` (0 where Σv is 0), bit for bit.
    @inline(__always)
    static func vwapStretch(_ bars: SessionColumns, _ out: UnsafeMutablePointer<Double>, from: Int, to n: Int) {
        guard n > from else { return }
        let h = bars.high!, l = bars.low!, c = bars.close!, v = bars.volume!, s = bars.session!
        var sumPV = 0.0, sumV = 0.0
        // Accumulates bar i (resetting at a session start) and returns the sums.
        @inline(__always) func accumulate(_ i: Int) -> (Double, Double) {
            if i == 0 || s[i] != s[i - 1] {
                sumPV = 0
                sumV = 0
            }
            let tp = (h[i] + l[i] + c[i]) * oneThird
            sumPV += tp * v[i]
            sumV += v[i]
            return (sumPV, sumV)
        }
        var i = from
        while i + 1 < n {
            let (pv1, v1) = accumulate(i)
            let (pv2, v2) = accumulate(i + 1)
            let den = SIMD2(v1, v2)
            let q = SIMD2(pv1, pv2) / den
            let r = SIMD2<Double>(repeating: 0).replacing(with: q, where: den .!= 0)
            out[i] = r.x
            out[i + 1] = r.y
            i += 2
        }
        if i < n {
            let (pv, vs) = accumulate(i)
            out[i] = vs != 0 ? pv / vs : 0.0
        }
    }
}
