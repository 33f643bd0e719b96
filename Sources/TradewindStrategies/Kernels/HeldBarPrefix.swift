/// Per-entry prefix figures of the closes from an entry bar on, so that each of the many trades opened at that bar
/// (one per target, stop and sizing) adds its held bars to a `BarLedger` in O(1) instead of walking them.
///
/// With all the cash invested (the cash left after the buy, `cashHeld`, is 0 up to rounding) the equity on a held
/// bar t is `q × close[t]`, so the bar's return is `close[t] / close[t−1] − 1` whatever `q`, and its drawdown
/// against the running peak splits into two parts that no longer depend on `q` or on the trade's exit:
/// `min_t e_t / max(P, M_t) = min(min_t e_t / P, min_t e_t / M_t)` with `P` the peak before the entry and `M_t` the
/// highest equity since the entry. For j bars after the entry bar `e` the prefix keeps Σ of those returns, of their
/// squares and of their negative parts' squares over bars e+1 … e+j, the lowest and highest close over e … e+j and
/// the smallest `close / running highest close` over e … e+j.
///
/// When the cash left after the buy is not negligible (`BarLedger.walkTrade`'s premise fails: sizing by the
/// initial cash), `apply` walks the held bars with the engine's arithmetic instead. The results agree with
/// the walk to rounding (≈ 1e-15 relative per bar), and the entry and exit bars use the engine's arithmetic.
struct HeldBarPrefix {
    /// Six columns of `capacity` values each in one allocation (sum, squares, downside squares, lowest, highest,
    /// smallest ratio): plain pointers, so that the per-trade reads cost no reference counting or bounds checks.
    /// Owned by the kernel run that made it (`deallocate()`).
    private var storage: UnsafeMutablePointer<Double>?
    private var capacity = 0

    private var sum: UnsafeMutablePointer<Double> { storage! }
    private var sumSquares: UnsafeMutablePointer<Double> { storage! + capacity }
    private var downsideSquares: UnsafeMutablePointer<Double> { storage! + 2 * capacity }
    private var lowest: UnsafeMutablePointer<Double> { storage! + 3 * capacity }
    private var highest: UnsafeMutablePointer<Double> { storage! + 4 * capacity }
    private var minRatio: UnsafeMutablePointer<Double> { storage! + 5 * capacity }

    /// The cash left after a buy counts as none when it is at most this fraction of the cash before it.
    static let negligibleCash = 0x1p-40

    /// Frees the columns.
    mutating func deallocate() {
        storage?.deallocate()
        storage = nil
        capacity = 0
    }

    /// Fills the prefix for entries at bar `entry` of a session ending before bar `end`.
    mutating func fill(close: UnsafeBufferPointer<Double>, from entry: Int, end: Int) {
        let n = end - entry
        guard n > 0 else { return }
        if capacity < n {
            let size = Swift.max(n, 2 * capacity, 512)
            storage?.deallocate()
            storage = UnsafeMutablePointer<Double>.allocate(capacity: 6 * size)
            capacity = size
        }
        let sum = self.sum, sumSquares = self.sumSquares, downsideSquares = self.downsideSquares
        let lowest = self.lowest, highest = self.highest, minRatio = self.minRatio
        var s1 = 0.0, s2 = 0.0, d2 = 0.0
        var lo = close[entry], hi = close[entry], ratio = 1.0
        sum[0] = 0; sumSquares[0] = 0; downsideSquares[0] = 0; lowest[0] = lo; highest[0] = hi; minRatio[0] = 1
        var j = 1
        while j < n {
            let c = close[entry + j]
            let r = c / close[entry + j - 1] - 1
            s1 += r
            s2 += r * r
            let down = Swift.min(r, 0)
            d2 += down * down
            lo = Swift.min(lo, c)
            hi = Swift.max(hi, c)
            ratio = Swift.min(ratio, c / hi)
            sum[j] = s1; sumSquares[j] = s2; downsideSquares[j] = d2
            lowest[j] = lo; highest[j] = hi; minRatio[j] = ratio
            j += 1
        }
    }

    /// The entry bar's return of a trade that invests all the cash at `entry` (slipped) with commission `c`: its
    /// equity `q × close[e]` over the cash `q × entry × (1 + c)` before, the same for every such trade at this entry.
    @inline(__always)
    static func entryReturn(close: UnsafeBufferPointer<Double>, entryBar e: Int, entry: Double, commission c: Double) -> Double {
        close[e] / (entry * (1 + c)) - 1
    }

    /// Adds one trade opened at the prefix's entry bar to `ledger` (arguments as `BarLedger.walkTrade`; `entryReturn`
    /// is `HeldBarPrefix.entryReturn` of its entry).
    @inline(__always)
    func apply(to ledger: inout BarLedger, close: UnsafeBufferPointer<Double>, entryBar e: Int, exitBar x: Int,
               cashBefore: Double, cashHeld: Double, quantity q: Double, cashAfter: Double, entryReturn: Double) {
        guard x > e, abs(cashHeld) <= cashBefore * Self.negligibleCash else {
            ledger.walkTrade(close: close, entryBar: e, exitBar: x, cashBefore: cashBefore, cashHeld: cashHeld, quantity: q,
                             cashAfter: cashAfter)
            return
        }
        let j = x - 1 - e
        // The entry bar, the bars in between (prefix), the exit bar.
        ledger.add(return: entryReturn)
        ledger.sum += sum[j]
        ledger.sumSquares += sumSquares[j]
        ledger.downsideSquares += downsideSquares[j]
        let last = cashHeld + q * close[x - 1]
        ledger.add(return: cashAfter / last - 1)
        // Drawdown: a division only where it may set a new low (to rounding: a ratio at the low so far changes nothing).
        var peak = ledger.peak
        var low = Swift.min(ledger.minRatio, minRatio[j])
        let bottom = cashHeld + q * lowest[j]
        if bottom < peak * low { low = Swift.min(low, bottom / peak) }
        peak = Swift.max(peak, cashHeld + q * highest[j])
        peak = Swift.max(peak, cashAfter)
        if cashAfter < peak * low { low = Swift.min(low, cashAfter / peak) }
        ledger.peak = peak
        ledger.minRatio = low
        ledger.heldBars += x - e
    }
}
