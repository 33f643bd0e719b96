import Dispatch
import TradewindCore

/// Kernels of the core indicators over price columns (ATR, ADX, STOCH, VWAP), written as the streaming
/// states' updates over raw column pointers.
extension ColumnKernel {
    /// Columns at least this long are computed by `atr` on two threads (when the budget allows).
    static let atrSplitThreshold = 1 << 16

    /// `ATR.update` over high, low, close: true ranges from the second bar, their mean over the first
    /// `timeperiod`, then `atr·(n−1)/n + tr/n` in the state's four-bar steps from an anchor (see `ATR`).
    ///
    /// One loop iteration is one four-bar step: no bar branches on the phase, the true ranges are independent
    /// (the compiler computes them in pairs with packed max) and the loop-carried chain is one multiply and
    /// one add per four bars. A long column (≥ `splitThreshold`, with a second thread allowed: `helperAllowed`) is cut at
    /// a step boundary near its middle:
    /// while this thread smooths the first part, another core writes the partial sums Pⱼ of the second part
    /// (they depend on no earlier bar), piece by piece; then this thread turns the finished pieces into
    /// `A·kʲ + Pⱼ` from the anchor before each, and smooths the pieces no other core has started (a busy
    /// machine) itself in one pass. The operations are the state's, so every value is the same bits as one
    /// pass.
    static func atr(high: [Double], low: [Double], close: [Double], _ state: ATR, parts: Int? = nil,
                    splitThreshold: Int = atrSplitThreshold, threads: ThreadBudget = .all) -> [Double] {
        let n = close.count
        let parts = parts ?? (n >= splitThreshold && helperAllowed(threads) ? 2 : 1)
        let p = state.timeperiod
        let keep = state.keep, keep2 = state.keep2, keep3 = state.keep3, keep4 = state.keep4
        let weight = state.weight
        return high.withUnsafeBufferPointer { hb in
            low.withUnsafeBufferPointer { lb in
                close.withUnsafeBufferPointer { cb in
                    let bars = PriceColumns3(high: hb.baseAddress, low: lb.baseAddress, close: cb.baseAddress)
                    let start = p + 1
                    // A step boundary (a multiple of four bars from `start`) near the middle.
                    let cut = start + (max(0, n - start) / 2) & ~3
                    // The split takes a helper thread: only within a budget of two or more.
                    let split = parts > 1 && threads.threads >= 2 && p > 1 && n >= splitThreshold && cut > start
                    return column(n, populate: !split, threads: threads) { out in
                        fillNaN(out, to: min(p, n))
                        guard n > p else { return }
                        let h = bars.high!, l = bars.low!, c = bars.close!
                        if p == 1 {
                            for i in 1..<n { out[i] = trueRange(high: h[i], low: l[i], prevClose: c[i - 1]) }
                            return
                        }
                        var atr = 0.0
                        for i in 1...p { atr += trueRange(high: h[i], low: l[i], prevClose: c[i - 1]) }
                        atr /= Double(p)
                        out[p] = atr
                        let steps = ATRSteps(bars: bars, out: out, keep: keep, keep2: keep2, keep3: keep3, keep4: keep4,
                                             weight: weight)
                        guard split else {
                            steps.smooth(from: start, to: n, anchor: atr)
                            return
                        }
                        // The second part in `pieces` whole-step pieces (the last one takes the rest).
                        let pieces = 4
                        let pieceLength = max(4, ((n - cut) / pieces) & ~3)
                        let bounds = (0...pieces).map { $0 == pieces ? n : min(n, cut + $0 * pieceLength) }
                        let work = PieceQueue(count: pieces)
                        ThreadBudget.startHelper {
                            while let k = work.claimNext() {
                                steps.partials(from: bounds[k], to: bounds[k + 1])
                                work.complete(k)
                            }
                        }
                        steps.smooth(from: start, to: cut, anchor: atr)
                        // Each piece starts a step, so the value before it is its anchor.
                        let taken = work.takeRest()
                        for k in 0..<taken {
                            work.waitFor(k)
                            steps.addAnchor(from: bounds[k], to: bounds[k + 1], anchor: out[bounds[k] - 1])
                        }
                        if taken < pieces {
                            steps.smooth(from: bounds[taken], to: n, anchor: out[bounds[taken] - 1])
                        }
                    }
                }
            }
        }
    }

    /// High, low and close columns, passed to worker threads.
    struct PriceColumns3: @unchecked Sendable {
        let high: UnsafePointer<Double>?, low: UnsafePointer<Double>?, close: UnsafePointer<Double>?
    }

    /// ATR's four-bar steps over a stretch of the output column (see `ColumnKernel.atr`), shared by the
    /// threads that write disjoint parts of it.
    struct ATRSteps: @unchecked Sendable {
        let bars: PriceColumns3
        let out: UnsafeMutablePointer<Double>
        let keep: Double, keep2: Double, keep3: Double, keep4: Double, weight: Double

        /// tr/n of bar i (i ≥ 1).
        @inline(__always)
        func b(_ i: Int) -> Double {
            trueRange(high: bars.high![i], low: bars.low![i], prevClose: bars.close![i &- 1]) * weight
        }

        /// ATR of bars from..<to, where bar `from` starts a step from `anchor`.
        @inline(__always)
        func smooth(from: Int, to n: Int, anchor a: Double) {
            var anchor = a
            var i = from
            while i &+ 3 < n {
                let b1 = b(i), b2 = b(i &+ 1), b3 = b(i &+ 2), b4 = b(i &+ 3)
                out[i] = anchor * keep + b1
                let p2 = b1 * keep + b2
                out[i &+ 1] = anchor * keep2 + p2
                let p3 = p2 * keep + b3
                out[i &+ 2] = anchor * keep3 + p3
                anchor = anchor * keep4 + (p3 * keep + b4)
                out[i &+ 3] = anchor
                i &+= 4
            }
            // The last one to three bars: the first phases of a step.
            if i < n {
                var partial = b(i)
                out[i] = anchor * keep + partial
                if i &+ 1 < n {
                    partial = partial * keep + b(i &+ 1)
                    out[i &+ 1] = anchor * keep2 + partial
                }
                if i &+ 2 < n {
                    partial = partial * keep + b(i &+ 2)
                    out[i &+ 2] = anchor * keep3 + partial
                }
            }
        }

        /// The partial sums Pⱼ of bars from..<to (bar `from` starts a step), written in place of their values.
        @inline(__always)
        func partials(from: Int, to n: Int) {
            var i = from
            while i < n {
                var partial = b(i)
                out[i] = partial
                var j = 1
                while j < 4 && i &+ j < n {
                    partial = partial * keep + b(i &+ j)
                    out[i &+ j] = partial
                    j &+= 1
                }
                i &+= 4
            }
        }

        /// Turns the partial sums of bars from..<to into values, `A·kʲ + Pⱼ`, from `anchor` (bar `from` starts
        /// a step).
        @inline(__always)
        func addAnchor(from: Int, to n: Int, anchor a: Double) {
            var anchor = a
            var i = from
            while i &+ 3 < n {
                out[i] = anchor * keep + out[i]
                out[i &+ 1] = anchor * keep2 + out[i &+ 1]
                out[i &+ 2] = anchor * keep3 + out[i &+ 2]
                anchor = anchor * keep4 + out[i &+ 3]
                out[i &+ 3] = anchor
                i &+= 4
            }
            let powers = (keep, keep2, keep3)
            if i < n { out[i] = anchor * powers.0 + out[i] }
            if i &+ 1 < n { out[i &+ 1] = anchor * powers.1 + out[i &+ 1] }
            if i &+ 2 < n { out[i &+ 2] = anchor * powers.2 + out[i &+ 2] }
        }
    }

    /// `ADX.update` over high, low, close: Wilder-smoothed +DM, −DM and TR, DX from them, the mean of the
    /// first `timeperiod` DX values, then Wilder smoothing of DX.
    static func adx(high: [Double], low: [Double], close: [Double], _ state: ADX, threads: ThreadBudget = .all) -> [Double] {
        let p = state.timeperiod
        let keep = state.keep, inverse = state.dx.core.inverse
        let n = close.count
        let lookback = 2 * p - 1
        return high.withUnsafeBufferPointer { hb in
            low.withUnsafeBufferPointer { lb in
                close.withUnsafeBufferPointer { cb in
                    column(n, threads: threads) { out in
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
    static func stoch(high: [Double], low: [Double], close: [Double], _ state: STOCH,
                      threads: ThreadBudget = .all) -> [[Double]] {
        let kp = state.fastkPeriod
        let n = close.count
        let lookback = state.lookback
        let kStart = kp - 1
        let slowKStart = kStart + state.slowK.lookback
        return high.withUnsafeBufferPointer { hb in
            low.withUnsafeBufferPointer { lb in
                close.withUnsafeBufferPointer { cb in
                    columns2(n, threads: threads) { slowK, slowD in
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

    /// Columns at least this long are computed by `vwap` in parts, in parallel within the budget.
    static let vwapSplitThreshold = 1 << 16

    /// `VWAP.update` over high, low, close, volume and session ids: cumulative Σ(tp·v)/Σv, reset where the id
    /// changes.
    ///
    /// The sums restart at every session start, so the values from a session start on depend only on the
    /// bars from there: a long column (≥ `splitThreshold`, with a second thread allowed: `helperAllowed`) is cut at
    /// session starts near even shares into up to `parts` (default 8) stretches, which the budget's threads take one at a time until none is left (each writing, and
    /// faulting in, its own pages), with the same bits as one pass.
    static func vwap(high: [Double], low: [Double], close: [Double], volume: [Double], session: [Double],
                     parts: Int? = nil, splitThreshold: Int = vwapSplitThreshold, threads: ThreadBudget = .all) -> [Double] {
        let n = close.count
        let parts = parts ?? (n >= splitThreshold && helperAllowed(threads) ? 8 : 1)
        return high.withUnsafeBufferPointer { hb in
            low.withUnsafeBufferPointer { lb in
                close.withUnsafeBufferPointer { cb in
                    volume.withUnsafeBufferPointer { vb in
                        session.withUnsafeBufferPointer { sb in
                            let bars = SessionColumns(high: hb.baseAddress, low: lb.baseAddress, close: cb.baseAddress,
                                                      volume: vb.baseAddress, session: sb.baseAddress)
                            // Stretch boundaries: 0, the first session start at or after each even share, n.
                            var bounds = [0]
                            if parts > 1 && n >= max(splitThreshold, 2) {
                                let s = sb.baseAddress!
                                for j in 1..<parts {
                                    var i = max(n * j / parts, bounds[bounds.count - 1] + 1)
                                    while i < n && s[i] == s[i - 1] { i += 1 }
                                    if i < n { bounds.append(i) }
                                }
                            }
                            bounds.append(n)
                            guard bounds.count > 2 else {
                                return column(n, threads: threads) { out in vwapStretch(bars, out, from: 0, to: n) }
                            }
                            let stretches = bounds
                            var out = uninitialized(n)
                            out.withUnsafeMutableBufferPointer { o in
                                let column = OutputColumn(base: o.baseAddress!)
                                threads.forEach(stretches.count - 1) { k in
                                    vwapStretch(bars, column.base, from: stretches[k], to: stretches[k + 1])
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

    /// VWAP of bars `from..<to`, where `from` is 0 or a session start.
    @inline(__always)
    static func vwapStretch(_ bars: SessionColumns, _ out: UnsafeMutablePointer<Double>, from: Int, to n: Int) {
        guard n > from else { return }
        let h = bars.high!, l = bars.low!, c = bars.close!, v = bars.volume!, s = bars.session!
        var sumPV = 0.0, sumV = 0.0
        for i in from..<n {
            if i == 0 || s[i] != s[i - 1] {
                sumPV = 0
                sumV = 0
            }
            let tp = (h[i] + l[i] + c[i]) * oneThird
            sumPV += tp * v[i]
            sumV += v[i]
            out[i] = sumV != 0 ? sumPV / sumV : 0.0
        }
    }
}
