import Foundation
import TradewindCore

/// Deterministic synthetic minute bars on the NYSE calendar (every regular-hours minute of every session,
/// 13:00 early closes included), for kernel property tests and the kernel benchmark.
///
/// A geometric random walk: an overnight gap, then per-minute log returns with a slowly varying volatility;
/// high/low extend beyond open/close by a random wick; prices are rounded to `tick` (0 = unrounded), which
/// produces the exact ties real data has. The same `seed` always gives the same bars. (Test data with knobs the
/// data layer's `SyntheticMarket` does not expose: wide bars, missing minutes, coarse ticks.)
enum SyntheticMinuteBars {
    static func generate(symbol: String, seed: UInt64, from: CivilDate, to: CivilDate,
                                startPrice: Double = 100, minuteVolatility: Double = 0.0008,
                                tick: Double = 0.01, missingFraction: Double = 0) throws(CalendarError) -> BarSeries {
        let cal = NYSECalendar.shared
        let range = try cal.indexRange(from: from, to: to)
        var rng = TestRandom(seed: seed)
        var n = 0
        for s in range { n += Int((cal.closes[s] - cal.opens[s]) / UnixTime.nanosPerMinute) }
        var time = [UnixNanos](), open = [Double](), high = [Double](), low = [Double](), close = [Double](), volume = [Double]()
        time.reserveCapacity(n); open.reserveCapacity(n); high.reserveCapacity(n)
        low.reserveCapacity(n); close.reserveCapacity(n); volume.reserveCapacity(n)
        var price = startPrice
        func round(_ x: Double) -> Double { tick > 0 ? max((x / tick).rounded() * tick, tick) : x }
        for s in range {
            price *= exp(0.01 * rng.normal())
            let vol = minuteVolatility * (0.5 + rng.uniform())
            var t = cal.opens[s]
            while t < cal.closes[s] {
                let o = round(price)
                price *= exp(vol * rng.normal())
                let c = round(price)
                let h = round(max(o, c) * exp(abs(vol * 0.7 * rng.normal())))
                let l = round(min(o, c) * exp(-abs(vol * 0.7 * rng.normal())))
                let v = (1000 + 9000 * rng.uniform()).rounded()
                if missingFraction == 0 || rng.uniform() >= missingFraction {
                    time.append(t); open.append(o); high.append(max(h, o, c)); low.append(min(l, o, c))
                    close.append(c); volume.append(v)
                }
                t += UnixTime.nanosPerMinute
            }
        }
        return BarSeries(symbol: symbol, interval: .minute, time: time, open: open, high: high, low: low,
                         close: close, volume: volume)
    }
}

/// A small deterministic generator for tests (the SplitMix64 recurrence) with uniform and normal draws.
struct TestRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Standard normal (Box–Muller).
    mutating func normal() -> Double {
        let u = max(uniform(), 0x1.0p-53), v = uniform()
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    }
}
