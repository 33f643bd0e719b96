import Foundation
import TradewindCore

/// Deterministic synthetic market data on the real NYSE calendar, for tests, demos and benchmarks.
///
/// **Model** (per symbol, parameters drawn from the seed and the symbol's index):
/// - log price follows geometric Brownian motion with annual drift μ ∈ [−10 %, +25 %] and annual
///   volatility σ ∈ [15 %, 60 %]; start price log-uniform in [10, 500];
/// - intraday variance and volume are U-shaped across the session (heavier at the open and the close);
/// - 20 % of the daily variance is released overnight as a gap at the open, plus rare large
///   overnight jumps (probability 2 % per night, size N(0, 4 %)) like earnings news;
/// - intraday jumps arrive as a Bernoulli approximation of a Poisson process with 0.02–0.1 jumps per
///   day, sizes N(−0.2 %, 1.5 %);
/// - bar high/low extend beyond max/min(open, close) by exponentially distributed excursions scaled
///   by the bar's volatility; prices are rounded to cents, never below 0.01;
/// - volume: per-symbol daily level log-uniform in [2×10⁵, 2×10⁷] shares, U-shaped through the day,
///   log-normal noise, larger on bars with larger moves; whole shares.
///
/// **Determinism.** Each symbol draws from its own xoshiro256** stream seeded by `(seed, index)`, so a
/// symbol's bars depend only on the seed, its index, the dates and the interval — never on the thread
/// count or on how many other symbols are generated. Symbols are generated in parallel, within the
/// `threads` budget `generate` is given.
/// (The model calls the platform's `exp`/`log`/`sin`/`cos`; a different libm could, rarely, round a
/// price to a neighbouring cent, so bit-identical output is guaranteed per platform.)
public struct SyntheticMarket: Sendable {
    /// The seed every stream derives from.
    public var seed: UInt64

    public init(seed: UInt64) { self.seed = seed }

    /// The name of symbol `index` (0-based) among `count`: `SYN0000`, `SYN0001`, … (at least 4 digits).
    public static func symbolName(_ index: Int, of count: Int) -> String {
        let width = max(4, String(max(count - 1, 0)).count)
        let digits = String(index)
        return "SYN" + String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// Generates `symbols` series of `interval` bars (intraday, or `.daily`, stamped at each session's
    /// open) on every NYSE session from `from` through `to`, a symbol per worker within `threads` (default:
    /// every core).
    ///
    /// - Throws: `DataError(.badOption)` for a symbol count outside 1…100,000, an interval that is
    ///   neither intraday nor daily, dates outside the calendar (1990–2030), reversed or without a
    ///   session, or a request larger than 75 % of the machine's physical memory (40 bytes per bar).
    public func generate(
        symbols: Int, from: CivilDate, to: CivilDate, interval: BarInterval = .minute,
        calendar: NYSECalendar = .shared, threads: ThreadBudget = .all
    ) throws(DataError) -> MarketDataset {
        guard (1...100_000).contains(symbols) else {
            throw DataError(.badOption, file: "synth", value: String(symbols), input: .symbolCount,
                            "the number of symbols must be between 1 and 100000")
        }
        guard interval.isIntraday || interval == .daily else {
            throw DataError(.badOption, file: "synth", value: interval.description, input: .interval,
                            "the interval must be intraday (e.g. 1m, 5m, 1h) or daily (1d)")
        }
        let range: Range<Int>
        do {
            range = try calendar.indexRange(from: from, to: to)
        } catch {
            throw DataError(.badOption, file: "synth", value: "\(from)…\(to)", error.description)
        }
        guard !range.isEmpty else {
            throw DataError(.badOption, file: "synth", value: "\(from)…\(to)",
                            "there is no NYSE session between \(from) and \(to)")
        }
        // Five Double columns per symbol plus the shared grid (time and three weight columns).
        let barsPerSymbol = SyntheticSessionGrid.barCount(sessions: range, calendar: calendar, interval: interval)
        let bytes = Double(barsPerSymbol) * (Double(symbols) * 40 + 33)
        let memory = Double(ProcessInfo.processInfo.physicalMemory)
        guard bytes <= 0.75 * memory else {
            throw DataError(.badOption, file: "synth", value: "\(symbols) × \(barsPerSymbol) bars",
                            "the data would need \(Int(bytes / 1e9)) GB, more than this machine's memory allows (\(Int(0.75 * memory / 1e9)) GB): use fewer symbols, a shorter date range or a longer interval")
        }
        let grid = SyntheticSessionGrid(sessions: range, calendar: calendar, interval: interval)
        let seed = self.seed
        return MarketDataset(threads.map(symbols) { i in
            let name = SyntheticMarket.symbolName(i, of: symbols)
            return SyntheticMarket.series(symbol: name, index: i, seed: seed, grid: grid, interval: interval)
        })
    }

    /// The model parameters of one symbol, drawn first from its stream.
    public struct SymbolParameters: Sendable, Equatable {
        /// Annual drift μ of the diffusion (log-price drift is μ − σ²/2).
        public var drift: Double
        /// Annual volatility σ of the diffusion (jumps add to the realised volatility).
        public var volatility: Double
        /// Price at the first open.
        public var startPrice: Double
        /// Expected intraday jumps per regular session.
        public var jumpsPerDay: Double
        /// Typical shares traded per regular session.
        public var dailyVolume: Double

        init(_ rng: inout Xoshiro256StarStar) {
            drift = rng.uniform(-0.10, 0.25)
            volatility = rng.uniform(0.15, 0.60)
            startPrice = Foundation.exp(rng.uniform(Foundation.log(10), Foundation.log(500)))
            jumpsPerDay = rng.uniform(0.02, 0.10)
            dailyVolume = Foundation.exp(rng.uniform(Foundation.log(2e5), Foundation.log(2e7)))
        }
    }

    /// The parameters symbol `index` gets from this seed.
    public func parameters(ofSymbol index: Int) -> SymbolParameters {
        var rng = Xoshiro256StarStar(seed: seed, stream: UInt64(index))
        return SymbolParameters(&rng)
    }

    static let overnightVarianceShare = 0.2

    static func series(symbol: String, index: Int, seed: UInt64, grid: SyntheticSessionGrid,
                       interval: BarInterval) -> BarSeries {
        var rng = Xoshiro256StarStar(seed: seed, stream: UInt64(index))
        let p = SymbolParameters(&rng)
        let n = grid.time.count
        let dailySigma = p.volatility / 252.0.squareRoot()
        let intradaySigma = dailySigma * (1 - overnightVarianceShare).squareRoot()
        let overnightSigma = dailySigma * overnightVarianceShare.squareRoot()
        let dailyDrift = p.drift / 252
        var logPrice = Foundation.log(p.startPrice)
        var spare = 0.0
        var hasSpare = false
        @inline(__always) func normal() -> Double {
            if hasSpare { hasSpare = false; return spare }
            let u1 = rng.nextOpenUnit(), u2 = rng.nextOpenUnit()
            let r = (-2 * Foundation.log(u1)).squareRoot()
            let a = 2 * Double.pi * u2
            spare = r * Foundation.sin(a)
            hasSpare = true
            return r * Foundation.cos(a)
        }
        @inline(__always) func cents(_ x: Double) -> Double { max(0.01, (x * 100).rounded() / 100) }

        /// Fills the five columns bar by bar (the buffers are written in full, in order).
        func fill(_ open: UnsafeMutableBufferPointer<Double>, _ high: UnsafeMutableBufferPointer<Double>,
                  _ low: UnsafeMutableBufferPointer<Double>, _ close: UnsafeMutableBufferPointer<Double>,
                  _ volume: UnsafeMutableBufferPointer<Double>) {
            var dayVolumeLevel = p.dailyVolume
            var lastClose = cents(Foundation.exp(logPrice))
            grid.share.withUnsafeBufferPointer { share in
                grid.sigmaScale.withUnsafeBufferPointer { sigmaScale in
                    grid.volumeShare.withUnsafeBufferPointer { volumeShare in
                        grid.opensSession.withUnsafeBufferPointer { opensSession in
                            for k in 0..<n {
                                if opensSession[k] {
                                    if k > 0 {
                                        var gap = overnightSigma * normal() - 0.5 * overnightSigma * overnightSigma
                                        if rng.nextOpenUnit() < 0.02 { gap += 0.04 * normal() }
                                        logPrice += gap
                                        lastClose = cents(Foundation.exp(logPrice))
                                    }
                                    dayVolumeLevel = p.dailyVolume * Foundation.exp(0.3 * normal() - 0.045)
                                }
                                let o = lastClose
                                let sd = intradaySigma * sigmaScale[k]
                                let z = normal()
                                var r = dailyDrift * share[k] - 0.5 * sd * sd + sd * z
                                if rng.nextOpenUnit() < p.jumpsPerDay * share[k] { r += -0.002 + 0.015 * normal() }
                                logPrice += r
                                let c = cents(Foundation.exp(logPrice))
                                lastClose = c
                                let up = -Foundation.log(rng.nextOpenUnit()), down = -Foundation.log(rng.nextOpenUnit())
                                (open.baseAddress! + k).initialize(to: o)
                                (close.baseAddress! + k).initialize(to: c)
                                (high.baseAddress! + k).initialize(to: cents(max(o, c) * Foundation.exp(0.5 * sd * up)))
                                (low.baseAddress! + k).initialize(to: cents(min(o, c) * Foundation.exp(-0.5 * sd * down)))
                                let activity = (1 + abs(z)) / 1.797_884_560_802_865
                                let noise = Foundation.exp(0.5 * normal() - 0.125)
                                (volume.baseAddress! + k).initialize(
                                    to: (dayVolumeLevel * volumeShare[k] * activity * noise).rounded())
                            }
                        }
                    }
                }
            }
        }

        // Columns are created uninitialised and written once (no zero-fill pass over ~40 MB per symbol-year).
        var high: [Double] = [], low: [Double] = [], close: [Double] = [], volume: [Double] = []
        let open = [Double](unsafeUninitializedCapacity: n) { ob, oc in
            high = [Double](unsafeUninitializedCapacity: n) { hb, hc in
                low = [Double](unsafeUninitializedCapacity: n) { lb, lc in
                    close = [Double](unsafeUninitializedCapacity: n) { cb, cc in
                        volume = [Double](unsafeUninitializedCapacity: n) { vb, vc in
                            fill(ob, hb, lb, cb, vb)
                            vc = n
                        }
                        cc = n
                    }
                    lc = n
                }
                hc = n
            }
            oc = n
        }
        return BarSeries(symbol: symbol, interval: interval, time: grid.time,
                         open: open, high: high, low: low, close: close, volume: volume)
    }
}
