import Testing
@testable import TradewindIndicators

/// Deterministic random numbers for the kernel property tests (SplitMix64).
private struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random bars with the awkward cases the kernels branch on: flat stretches (zero changes, empty ranges),
/// zero volume, repeated session ids.
private struct RandomBars {
    var high: [Double] = [], low: [Double] = [], close: [Double] = [], volume: [Double] = [], session: [Double] = []

    init(count: Int, rng: inout SplitMix) {
        var price = Double.random(in: 1...200, using: &rng)
        var sessionID = 0.0
        for _ in 0..<count {
            if Int.random(in: 0..<10, using: &rng) != 0 {
                price = max(0.01, price * (1 + Double.random(in: -0.03...0.03, using: &rng)))
            }
            let flat = Int.random(in: 0..<8, using: &rng) == 0
            let h = flat ? price : price * (1 + Double.random(in: 0...0.02, using: &rng))
            let l = flat ? price : price * (1 - Double.random(in: 0...0.02, using: &rng))
            high.append(h)
            low.append(l)
            close.append(flat ? price : Double.random(in: l...h, using: &rng))
            volume.append(Int.random(in: 0..<5, using: &rng) == 0 ? 0 : Double(Int.random(in: 1...10_000, using: &rng)))
            if Int.random(in: 0..<20, using: &rng) == 0 { sessionID += 1 }
            session.append(sessionID)
        }
    }
}

/// Lengths around the lookbacks: 0, 1, shorter than, equal to and just past the lookback, and long.
private func lengths(_ rng: inout SplitMix) -> [Int] {
    [0, 1, 2, Int.random(in: 3...20, using: &rng), Int.random(in: 20...80, using: &rng),
     Int.random(in: 80...400, using: &rng)]
}

private func bitsEqual(_ a: [[Double]], _ b: [[Double]]) -> Bool {
    guard a.count == b.count else { return false }
    for (x, y) in zip(a, b) {
        guard x.count == y.count else { return false }
        for (u, v) in zip(x, y) where u.bitPattern != v.bitPattern { return false }
    }
    return true
}

@Suite("Batch kernels equal the streaming states")
struct ColumnKernelTests {
    static let trials = 40

    /// Runs `check` on random series of every length in `lengths` for `trials` random parameter draws.
    private func forAll(seed: UInt64, _ check: (RandomBars, inout SplitMix) throws -> String?) rethrows -> [String] {
        var rng = SplitMix(state: seed)
        var failures: [String] = []
        for _ in 0..<Self.trials {
            for n in lengths(&rng) {
                let bars = RandomBars(count: n, rng: &rng)
                if let f = try check(bars, &rng) { failures.append("n=\(n): \(f)") }
            }
        }
        return failures
    }

    @Test("SMA, EMA and MA of every type: kernel equals the streaming state bit for bit")
    func averages() throws {
        let failures = try forAll(seed: 1) { bars, rng in
            let x = bars.close
            let p = Int.random(in: 2...40, using: &rng)
            if !bitsEqual([ColumnKernel.sma(x, period: p)], [realColumn(try SMA(timeperiod: p), x)]) { return "SMA \(p)" }
            let e = Int.random(in: 1...40, using: &rng)
            if !bitsEqual([ColumnKernel.ema(x, try EMA(timeperiod: e))], [realColumn(try EMA(timeperiod: e), x)]) { return "EMA \(e)" }
            let t = MAType.allCases.randomElement(using: &rng)!
            let m = Int.random(in: 1...30, using: &rng)
            let ma = try MovingAverage(timeperiod: m, matype: t)
            if !bitsEqual([ColumnKernel.movingAverage(x, ma)], [realColumn(ma, x)]) { return "MA \(m) \(t)" }
            let d = try IndicatorRegistry.descriptor(named: "MA")
            let viaRegistry = try d.compute([x], parameters: ["timeperiod": Double(m), "matype": Double(t.rawValue)])
            if !bitsEqual(viaRegistry, [realColumn(ma, x)]) { return "registry MA \(m) \(t)" }
            return nil
        }
        #expect(failures.isEmpty, Comment(rawValue: failures.prefix(10).joined(separator: "\n")))
    }

    @Test("MA, BBANDS and STOCH with TA-Lib 0.8's types 9...13 (HMA, DISABLED, DEFAULT, ZLEMA, RMA): kernel equals the streaming state bit for bit")
    func newAverageTypes() throws {
        let newTypes: [MAType] = [.hma, .disabled, .default, .zlema, .rma]
        let failures = try forAll(seed: 4) { bars, rng in
            let x = bars.close
            for t in newTypes {
                let ma = try MovingAverage(timeperiod: Int.random(in: 1...30, using: &rng), matype: t)
                if !bitsEqual([ColumnKernel.movingAverage(x, ma)], [realColumn(ma, x)]) { return "MA \(ma.timeperiod) \(t)" }
                let b = try BBANDS(timeperiod: Int.random(in: 2...30, using: &rng), nbdevup: 2, nbdevdn: 1.5, matype: t)
                if !bitsEqual(ColumnKernel.bbands(x, b), b.batch(x)) { return "BBANDS \(b.timeperiod) \(t)" }
                let s = try STOCH(fastkPeriod: Int.random(in: 1...14, using: &rng), slowkPeriod: Int.random(in: 1...9, using: &rng),
                                  slowkMatype: t, slowdPeriod: Int.random(in: 1...9, using: &rng),
                                  slowdMatype: newTypes.randomElement(using: &rng)!)
                let pc = PriceColumns(high: bars.high, low: bars.low, close: bars.close, volume: bars.volume)
                if !bitsEqual(ColumnKernel.stoch(high: bars.high, low: bars.low, close: bars.close, s), s.batch(pc)) {
                    return "STOCH \(s.fastkPeriod) \(s.slowkPeriod) \(t) \(s.slowdPeriod) \(s.slowdMatype)"
                }
            }
            return nil
        }
        #expect(failures.isEmpty, Comment(rawValue: failures.prefix(10).joined(separator: "\n")))
    }

    @Test("RSI, MACD and BBANDS: kernel equals the streaming state bit for bit")
    func realLines() throws {
        let devs: [Double] = [1, 2, 1.5, -0.5, 0]
        let failures = try forAll(seed: 2) { bars, rng in
            let x = bars.close
            let r = try RSI(timeperiod: Int.random(in: 2...30, using: &rng))
            if !bitsEqual([ColumnKernel.rsi(x, r)], r.batch(x)) { return "RSI \(r.timeperiod)" }
            let m = try MACD(fastperiod: Int.random(in: 2...30, using: &rng), slowperiod: Int.random(in: 2...40, using: &rng),
                             signalperiod: Int.random(in: 1...15, using: &rng))
            if !bitsEqual(ColumnKernel.macd(x, m), m.batch(x)) { return "MACD \(m.fastperiod) \(m.slowperiod) \(m.signalperiod)" }
            let fix = try MACDFIX(signalperiod: Int.random(in: 1...15, using: &rng))
            if !bitsEqual(ColumnKernel.macd(x, fix.core), fix.batch(x)) { return "MACDFIX \(fix.signalperiod)" }
            let b = try BBANDS(timeperiod: Int.random(in: 2...40, using: &rng), nbdevup: devs.randomElement(using: &rng)!,
                               nbdevdn: devs.randomElement(using: &rng)!, matype: MAType.allCases.randomElement(using: &rng)!)
            if !bitsEqual(ColumnKernel.bbands(x, b), b.batch(x)) { return "BBANDS \(b.timeperiod) \(b.nbdevup) \(b.nbdevdn) \(b.matype)" }
            return nil
        }
        #expect(failures.isEmpty, Comment(rawValue: failures.prefix(10).joined(separator: "\n")))
    }

    @Test("ATR, ADX, STOCH and VWAP: kernel equals the streaming state bit for bit")
    func barLines() throws {
        let failures = try forAll(seed: 3) { bars, rng in
            let pc = PriceColumns(high: bars.high, low: bars.low, close: bars.close, volume: bars.volume)
            let a = try ATR(timeperiod: Int.random(in: 1...30, using: &rng))
            if !bitsEqual([ColumnKernel.atr(high: bars.high, low: bars.low, close: bars.close, a)], a.batch(pc)) {
                return "ATR \(a.timeperiod)"
            }
            let d = try ADX(timeperiod: Int.random(in: 2...30, using: &rng))
            if !bitsEqual([ColumnKernel.adx(high: bars.high, low: bars.low, close: bars.close, d)], d.batch(pc)) {
                return "ADX \(d.timeperiod)"
            }
            let s = try STOCH(fastkPeriod: Int.random(in: 1...20, using: &rng), slowkPeriod: Int.random(in: 1...6, using: &rng),
                              slowkMatype: MAType.allCases.randomElement(using: &rng)!,
                              slowdPeriod: Int.random(in: 1...6, using: &rng),
                              slowdMatype: MAType.allCases.randomElement(using: &rng)!)
            if !bitsEqual(ColumnKernel.stoch(high: bars.high, low: bars.low, close: bars.close, s), s.batch(pc)) {
                return "STOCH \(s.fastkPeriod) \(s.slowkPeriod) \(s.slowkMatype) \(s.slowdPeriod) \(s.slowdMatype)"
            }
            var vwap = VWAP()
            var expected = [Double](repeating: .nan, count: bars.close.count)
            for i in bars.close.indices {
                let bar = OHLCV(high: bars.high[i], low: bars.low[i], close: bars.close[i], volume: bars.volume[i])
                expected[i] = vwap.update(SessionBar(bar, startsSession: i == 0 || bars.session[i] != bars.session[i - 1]))!
            }
            let got = ColumnKernel.vwap(high: bars.high, low: bars.low, close: bars.close, volume: bars.volume, session: bars.session)
            if !bitsEqual([got], [expected]) { return "VWAP" }
            return nil
        }
        #expect(failures.isEmpty, Comment(rawValue: failures.prefix(10).joined(separator: "\n")))
    }
}
