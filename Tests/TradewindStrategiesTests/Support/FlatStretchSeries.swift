import TradewindCore

/// Daily bars whose closes have long flat stretches (equal averages: the sma-cross detectors' equality cases) between
/// random-walk moves, for the kernel tests that must hold on them: some bars repeat the close, blocks of bars are pinned
/// to one price, and some opens equal the close.
struct FlatStretchSeries {
    var start: Double
    /// A moving bar's close changes by up to ± move / 2.
    var move: Double
    /// One bar in `keepOneIn` repeats the close before it.
    var keepOneIn: UInt64
    /// Bars in blocks of `pinnedBlock`: every `pinnedCycle`-th block from block `pinnedPhase` on closes at `pinnedPrice`.
    var pinnedBlock: Int
    var pinnedCycle: Int
    var pinnedPhase: Int
    var pinnedPrice: Double
    /// One bar in `openAtCloseOneIn` opens at its close; the others within ± openSpread / 2 of it.
    var openAtCloseOneIn: UInt64
    var openSpread: Double

    func series(_ rng: inout TestRandom, symbol: String, length: Int) -> BarSeries {
        var s = BarSeries(symbol: symbol, interval: .daily)
        var price = start
        for i in 0..<length {
            let u = Double(rng.next() % 10_000) / 10_000
            if rng.next() % keepOneIn != 0 { price *= 1 + (u - 0.5) * move }
            if (i / pinnedBlock) % pinnedCycle == pinnedPhase { price = pinnedPrice }
            let open = rng.next() % openAtCloseOneIn == 0 ? price : price * (1 + (u - 0.5) * openSpread)
            s.time.append(Int64(i) * 86_400 * UnixTime.nanosPerSecond)
            s.open.append(open); s.high.append(max(open, price) * 1.01); s.low.append(min(open, price) * 0.99)
            s.close.append(price); s.volume.append(1_000)
        }
        return s
    }
}
