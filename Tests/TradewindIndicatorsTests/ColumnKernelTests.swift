import Testing
@testable import TradewindIndicators
import TradewindCore
#if canImport(Glibc)
import Glibc
#endif

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

    @Test("BBANDS cut in parts at refresh bars: same bits as one part and as the streaming state")
    func bbandsParts() throws {
        let devs: [Double] = [1, 2, 1.5, -0.5, 0]
        let failures = try forAll(seed: 4) { bars, rng in
            let x = bars.close
            // Periods up to half the longest series, so that the cut falls anywhere from the first refresh bar on.
            let b = try BBANDS(timeperiod: Int.random(in: 2...60, using: &rng), nbdevup: devs.randomElement(using: &rng)!,
                               nbdevdn: devs.randomElement(using: &rng)!, matype: MAType.allCases.randomElement(using: &rng)!)
            let one = ColumnKernel.bbands(x, b, parts: 1, splitThreshold: 0)
            let parts = Int.random(in: 2...8, using: &rng)
            let two = ColumnKernel.bbands(x, b, parts: parts, splitThreshold: 0)
            if !bitsEqual(one, two) { return "1 vs \(parts) parts: BBANDS \(b.timeperiod) \(b.matype)" }
            if !bitsEqual(two, b.batch(x)) { return "\(parts) parts vs state: BBANDS \(b.timeperiod) \(b.matype)" }
            return nil
        }
        #expect(failures.isEmpty, Comment(rawValue: failures.prefix(10).joined(separator: "\n")))
    }

    @Test("BBANDS over a column long enough to run on two cores equals the streaming state", arguments: [
        (20, MAType.sma), (7, .ema), (33, .wma),
    ])
    func bbandsLong(period: Int, matype: MAType) throws {
        var rng = SplitMix(state: UInt64(period))
        let n = ColumnKernel.bbandsSplitThreshold + Int.random(in: 0..<1000, using: &rng)
        let bars = RandomBars(count: n, rng: &rng)
        let b = try BBANDS(timeperiod: period, nbdevup: 2, nbdevdn: 1.5, matype: matype)
        let got = ColumnKernel.bbands(bars.close, b)
        #expect(bitsEqual(got, b.batch(bars.close)))
        #expect(bitsEqual(got, ColumnKernel.bbands(bars.close, b, parts: 1)))
    }

    @Test("Columns long enough to be populated on a second thread hold exactly what the kernel wrote")
    func populatedColumns() throws {
        let n = ColumnKernel.populateThreshold * 2 + 123
        let cols = ColumnKernel.columns3(n) { a, b, c in
            for i in 0..<n {
                a[i] = Double(i)
                b[i] = -Double(i)
                c[i] = Double(i) * 0.5
            }
        }
        #expect(cols.map(\.count) == [n, n, n])
        #expect(cols[0].indices.allSatisfy { cols[0][$0] == Double($0) && cols[1][$0] == -Double($0) && cols[2][$0] == Double($0) * 0.5 })
        let one = ColumnKernel.column(n) { out in for i in 0..<n { out[i] = Double(n - i) } }
        #expect(one.indices.allSatisfy { one[$0] == Double(n - $0) })
        #if os(Linux)
        // Every page of the columns is mapped afterwards.
        for column in cols + [one] {
            column.withUnsafeBufferPointer { p in
                #expect(PagePopulation.absentPages([(Int(bitPattern: p.baseAddress!), n * 8)]) == 0)
            }
        }
        #endif
    }

    @Test("EMA, ATR and MACD over long columns (populated on a second thread) equal the streaming states")
    func longColumns() throws {
        var rng = SplitMix(state: 5)
        let n = ColumnKernel.populateThreshold + 4321
        let bars = RandomBars(count: n, rng: &rng)
        let pc = PriceColumns(high: bars.high, low: bars.low, close: bars.close, volume: bars.volume)
        let e = try EMA(timeperiod: 30)
        #expect(bitsEqual([ColumnKernel.ema(bars.close, e)], [realColumn(e, bars.close)]))
        let a = try ATR(timeperiod: 14)
        #expect(bitsEqual([ColumnKernel.atr(high: bars.high, low: bars.low, close: bars.close, a)], a.batch(pc)))
        let m = try MACD()
        #expect(bitsEqual(ColumnKernel.macd(bars.close, m), m.batch(bars.close)))
    }

    @Test("VWAP cut in parts at session starts: same bits as one part and as the streaming state")
    func vwapParts() throws {
        let failures = forAll(seed: 6) { bars, rng in
            var vwap = VWAP()
            var expected = [Double](repeating: .nan, count: bars.close.count)
            for i in bars.close.indices {
                let bar = OHLCV(high: bars.high[i], low: bars.low[i], close: bars.close[i], volume: bars.volume[i])
                expected[i] = vwap.update(SessionBar(bar, startsSession: i == 0 || bars.session[i] != bars.session[i - 1]))!
            }
            let one = ColumnKernel.vwap(high: bars.high, low: bars.low, close: bars.close, volume: bars.volume,
                                        session: bars.session, parts: 1, splitThreshold: 0)
            let parts = Int.random(in: 2...8, using: &rng)
            let two = ColumnKernel.vwap(high: bars.high, low: bars.low, close: bars.close, volume: bars.volume,
                                        session: bars.session, parts: parts, splitThreshold: 0)
            if !bitsEqual([one], [two]) { return "1 vs \(parts) parts" }
            if !bitsEqual([two], [expected]) { return "\(parts) parts vs state" }
            return nil
        }
        #expect(failures.isEmpty, Comment(rawValue: failures.prefix(10).joined(separator: "\n")))
    }

    @Test("VWAP over a column long enough to run on two cores equals the streaming state")
    func vwapLong() throws {
        var rng = SplitMix(state: 7)
        let n = ColumnKernel.vwapSplitThreshold + 777
        let bars = RandomBars(count: n, rng: &rng)
        var vwap = VWAP()
        var expected = [Double](repeating: .nan, count: n)
        for i in 0..<n {
            let bar = OHLCV(high: bars.high[i], low: bars.low[i], close: bars.close[i], volume: bars.volume[i])
            expected[i] = vwap.update(SessionBar(bar, startsSession: i == 0 || bars.session[i] != bars.session[i - 1]))!
        }
        let got = ColumnKernel.vwap(high: bars.high, low: bars.low, close: bars.close, volume: bars.volume, session: bars.session)
        #expect(bitsEqual([got], [expected]))
        // One session throughout: nowhere to cut, one pass.
        var whole = VWAP()
        var expectedWhole = [Double](repeating: .nan, count: n)
        for i in 0..<n {
            let bar = OHLCV(high: bars.high[i], low: bars.low[i], close: bars.close[i], volume: bars.volume[i])
            expectedWhole[i] = whole.update(SessionBar(bar, startsSession: i == 0))!
        }
        let flat = [Double](repeating: 3, count: n)
        let single = ColumnKernel.vwap(high: bars.high, low: bars.low, close: bars.close, volume: bars.volume, session: flat)
        #expect(bitsEqual([single], [expectedWhole]))
    }

    @Test("ATR with the second half's partial sums on another core: same bits as one pass and as the streaming state")
    func atrParts() throws {
        let failures = try forAll(seed: 8) { bars, rng in
            let a = try ATR(timeperiod: Int.random(in: 1...30, using: &rng))
            let one = ColumnKernel.atr(high: bars.high, low: bars.low, close: bars.close, a, parts: 1, splitThreshold: 0)
            let two = ColumnKernel.atr(high: bars.high, low: bars.low, close: bars.close, a, parts: 2, splitThreshold: 0)
            if !bitsEqual([one], [two]) { return "1 vs 2 parts: ATR \(a.timeperiod)" }
            let pc = PriceColumns(high: bars.high, low: bars.low, close: bars.close, volume: bars.volume)
            if !bitsEqual([two], a.batch(pc)) { return "2 parts vs state: ATR \(a.timeperiod)" }
            return nil
        }
        #expect(failures.isEmpty, Comment(rawValue: failures.prefix(10).joined(separator: "\n")))
    }

    @Test("ATR steps: partial sums plus the anchor afterwards equal smoothing in one pass, bit for bit")
    func atrPartialSums() throws {
        let failures = try forAll(seed: 9) { bars, rng in
            let n = bars.close.count
            guard n > 6 else { return nil }
            let a = try ATR(timeperiod: Int.random(in: 2...30, using: &rng))
            let start = 1
            let cut = start + 4 * Int.random(in: 1...max(1, (n - start) / 4), using: &rng)
            guard cut <= n else { return nil }
            let anchor = Double.random(in: 0.1...5, using: &rng)
            return bars.high.withUnsafeBufferPointer { h in
                bars.low.withUnsafeBufferPointer { l in
                    bars.close.withUnsafeBufferPointer { c in
                        let columns = ColumnKernel.PriceColumns3(high: h.baseAddress, low: l.baseAddress, close: c.baseAddress)
                        var one = [Double](repeating: .nan, count: n), two = one
                        one.withUnsafeMutableBufferPointer { o in
                            ColumnKernel.ATRSteps(bars: columns, out: o.baseAddress!, keep: a.keep, keep2: a.keep2,
                                                  keep3: a.keep3, keep4: a.keep4, weight: a.weight)
                                .smooth(from: start, to: n, anchor: anchor)
                        }
                        two.withUnsafeMutableBufferPointer { o in
                            let steps = ColumnKernel.ATRSteps(bars: columns, out: o.baseAddress!, keep: a.keep, keep2: a.keep2,
                                                              keep3: a.keep3, keep4: a.keep4, weight: a.weight)
                            steps.smooth(from: start, to: cut, anchor: anchor)
                            steps.partials(from: cut, to: n)
                            steps.addAnchor(from: cut, to: n, anchor: o[cut - 1])
                        }
                        return bitsEqual([one], [two]) ? nil : "ATR \(a.timeperiod) cut \(cut)"
                    }
                }
            }
        }
        #expect(failures.isEmpty, Comment(rawValue: failures.prefix(10).joined(separator: "\n")))
    }
}
