import TradewindCore

/// Builds minute bars for tests: for each (date, local start minute, local end minute), bars every
/// `step` minutes starting in `[start, end)`, with deterministic, valid OHLCV values.
func testMinuteBars(
    _ days: [(String, Int, Int)], step: Int = 1, symbol: String = "TEST", withVWAP: Bool = false
) -> BarSeries {
    var s = BarSeries(symbol: symbol, interval: .minutes(step))
    if withVWAP { s.vwap = []; s.tradeCount = [] }
    var k = 0
    for (dateText, start, end) in days {
        let date = CivilDate(iso: dateText)!
        var m = start
        while m < end {
            let t = ZoneRules.newYork.instant(date, hour: m / 60, minute: m % 60)
            let base = 100 + Double((k * 37) % 23) * 0.25
            let o = base, c = base + Double((k * 13) % 7 - 3) * 0.1
            s.time.append(t)
            s.open.append(o)
            s.high.append(max(o, c) + Double(k % 5) * 0.05)
            s.low.append(min(o, c) - Double(k % 3) * 0.05)
            s.close.append(c)
            s.volume.append(Double(100 + (k * 7919) % 1000))
            if withVWAP { s.vwap!.append((o + c) / 2); s.tradeCount!.append(Double(1 + k % 9)) }
            k += 1
            m += step
        }
    }
    return s
}

/// Minutes after local midnight.
func hm(_ h: Int, _ m: Int) -> Int { h * 60 + m }
