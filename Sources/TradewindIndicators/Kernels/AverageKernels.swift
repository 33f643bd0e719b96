import TradewindCore

/// Moving-average kernels over a stretch of a column, used on their own (SMA, EMA, MA) and inside the
/// multi-line kernels (BBANDS, STOCH). Each treats `src[start..<end]` as the stream fed to a fresh state and
/// writes that state's values to `dst[start + lookback ..< end]`, leaving `dst` before that untouched.
extension ColumnKernel {
    /// `SMA.update` over a stretch: the sum of the first window, then `sum += x − oldest`; each value is
    /// `sum / n`. `src` and `dst` must not overlap.
    @inline(__always)
    static func sma(_ src: UnsafePointer<Double>, _ dst: UnsafeMutablePointer<Double>, start: Int, end: Int, period p: Int) {
        let first = start + p - 1
        guard end > first else { return }
        let n = Double(p)
        var sum = 0.0
        var i = start
        while i <= first {
            sum += src[i]
            i += 1
        }
        dst[first] = sum / n
        while i < end {
            sum += src[i] - src[i - p]
            dst[i] = sum / n
            i += 1
        }
    }

    /// `EMA.update` over a stretch: the state's own seeding, then `EMA.advance` alone per bar. `src` and
    /// `dst` may be the same column.
    @inline(__always)
    static func ema(_ src: UnsafePointer<Double>, _ dst: UnsafeMutablePointer<Double>, start: Int, end: Int, _ state: EMA) {
        var e = state
        var i = start
        while i < end && !e.isSeeded {
            if let v = e.update(src[i]) { dst[i] = v }
            i += 1
        }
        while i < end {
            dst[i] = e.advance(src[i])
            i += 1
        }
    }

    /// `MovingAverage.update` over a stretch, dispatched once on the type: SMA (and `default`, which is SMA) and
    /// EMA run their kernels, period 1 and `disabled` copy (TA-Lib's pass-through), the other types (HMA, ZLEMA
    /// and RMA included) run their streaming state in a plain loop, so they equal it bit for bit.
    /// `src` and `dst` must not overlap.
    static func movingAverage(_ src: UnsafePointer<Double>, _ dst: UnsafeMutablePointer<Double>, start: Int, end: Int,
                              period: Int, matype: MAType) {
        guard end > start else { return }
        if (period == 1 && matype != .mama) || matype == .disabled {
            (dst + start).update(from: src + start, count: end - start)
            return
        }
        switch matype {
        case .sma, .default: sma(src, dst, start: start, end: end, period: period)
        case .ema: ema(src, dst, start: start, end: end, EMA(unchecked: period))
        default:
            var state = MovingAverage(unchecked: period, matype: matype)
            for i in start..<end {
                if let v = state.update(src[i]) { dst[i] = v }
            }
        }
    }

    /// SMA over a whole column (NaN during the lookback).
    static func sma(_ real: [Double], period: Int, threads: ThreadBudget = .all) -> [Double] {
        real.withUnsafeBufferPointer { x in
            column(x.count, threads: threads) { out in
                fillNaN(out, to: min(period - 1, x.count))
                sma(x.baseAddress!, out, start: 0, end: x.count, period: period)
            }
        }
    }

    /// EMA over a whole column (NaN during the lookback).
    static func ema(_ real: [Double], _ state: EMA, threads: ThreadBudget = .all) -> [Double] {
        real.withUnsafeBufferPointer { x in
            column(x.count, threads: threads) { out in
                fillNaN(out, to: min(state.lookback, x.count))
                ema(x.baseAddress!, out, start: 0, end: x.count, state)
            }
        }
    }

    /// MA of any type over a whole column (NaN during the lookback).
    static func movingAverage(_ real: [Double], _ state: MovingAverage, threads: ThreadBudget = .all) -> [Double] {
        real.withUnsafeBufferPointer { x in
            column(x.count, threads: threads) { out in
                fillNaN(out, to: min(state.lookback, x.count))
                movingAverage(x.baseAddress!, out, start: 0, end: x.count, period: state.timeperiod, matype: state.matype)
            }
        }
    }
}
