import TradewindCore
import TradewindData

/// Bars as a provider's pages deliver them, gathered column by column and turned into a validated `BarSeries`
/// in Tradewind's conventions.
struct BarColumns {
    var time: [UnixNanos] = []
    var open: [Double] = []
    var high: [Double] = []
    var low: [Double] = []
    var close: [Double] = []
    var volume: [Double] = []
    var vwap: [Double]?
    var tradeCount: [Double]?

    var count: Int { time.count }

    mutating func reserve(_ n: Int) {
        time.reserveCapacity(n); open.reserveCapacity(n); high.reserveCapacity(n)
        low.reserveCapacity(n); close.reserveCapacity(n); volume.reserveCapacity(n)
    }

    mutating func append(time t: UnixNanos, open o: Double, high h: Double, low l: Double, close c: Double, volume v: Double,
                         vwap vw: Double? = nil, tradeCount n: Double? = nil) {
        if let vw {
            if vwap == nil { vwap = [Double](repeating: .nan, count: time.count) }
            vwap!.append(vw)
        } else if vwap != nil {
            vwap!.append(.nan)
        }
        if let n {
            if tradeCount == nil { tradeCount = [Double](repeating: .nan, count: time.count) }
            tradeCount!.append(n)
        } else if tradeCount != nil {
            tradeCount!.append(.nan)
        }
        time.append(t); open.append(o); high.append(h); low.append(l); close.append(c); volume.append(v)
    }

    /// The series for `request`: daily and longer bars moved to the session open (09:30 New York) of their New York
    /// date (`utcMidnightDates`: the provider stamps daily bars at 00:00 UTC of their date), sorted, duplicates (page
    /// overlaps) dropped keeping the later copy, bars outside the request's range dropped, and validated.
    func series(for request: BarRequest, provider: ProviderID, utcMidnightDates: Bool = false,
                dividend: [Double]? = nil, split: [Double]? = nil) throws(ProviderError) -> BarSeries {
        var t = time
        if !request.interval.isIntraday {
            let ny = ZoneRules.newYork
            for i in t.indices {
                let date = utcMidnightDates && UnixTime.floorMod(t[i], UnixTime.nanosPerDay) == 0
                    ? UnixTime.utcDate(of: t[i]) : ny.localDate(of: t[i])
                t[i] = ny.instant(date, hour: 9, minute: 30)
            }
        }
        let ascending = !zip(t, t.dropFirst()).contains(where: { $0 >= $1 })
        if ascending, dividend == nil, split == nil, t.first.map({ $0 >= request.from }) ?? true,
           t.last.map({ $0 < request.to }) ?? true {
            // The usual page: ascending, inside the range, nothing to drop: the columns as they are, uncopied.
            return try validated(BarSeries(symbol: request.symbol, interval: request.interval, time: t, open: open, high: high,
                                           low: low, close: close, volume: volume, vwap: vwap, tradeCount: tradeCount),
                                 request: request, provider: provider)
        }
        var order = Array(t.indices)
        if !ascending {
            order.sort { t[$0] != t[$1] ? t[$0] < t[$1] : $0 < $1 }
            var kept: [Int] = []
            kept.reserveCapacity(order.count)
            for i in order {
                if let last = kept.last, t[last] == t[i] { kept[kept.count - 1] = i } else { kept.append(i) }
            }
            order = kept
        }
        // The requested range, judged on the bar's start (a daily bar's start is its date's session open).
        order = order.filter { t[$0] >= request.from && t[$0] < request.to }
        func pick(_ a: [Double]) -> [Double] { order.map { a[$0] } }
        let series = BarSeries(
            symbol: request.symbol, interval: request.interval, time: order.map { t[$0] },
            open: pick(open), high: pick(high), low: pick(low), close: pick(close), volume: pick(volume),
            vwap: vwap.map(pick), tradeCount: tradeCount.map(pick),
            dividend: dividend.map(pick), splitCoefficient: split.map(pick))
        return try validated(series, request: request, provider: provider)
    }

    private func validated(_ series: BarSeries, request: BarRequest, provider: ProviderID) throws(ProviderError) -> BarSeries {
        do {
            try BarValidation.validate(series, source: "\(provider) \(request.symbol) \(request.interval)")
        } catch {
            throw ProviderError(.invalidBars, provider, symbol: request.symbol, error.description)
        }
        return series
    }
}
