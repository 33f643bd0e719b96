import Foundation
import Testing
import TradewindCore
import TradewindData

@Suite struct SyntheticMarketTests {
    let from = CivilDate(iso: "2024-06-24")!
    let to = CivilDate(iso: "2024-07-12")!

    @Test func barsAreValidAndFollowTheNYSECalendar() throws {
        let data = try SyntheticMarket(seed: 11).generate(symbols: 3, from: from, to: to, interval: .minute)
        #expect(data.symbols == ["SYN0000", "SYN0001", "SYN0002"])
        let cal = NYSECalendar.shared
        let sessions = try cal.sessions(from: from, to: to)
        let expectedBars = sessions.reduce(0) { $0 + Int($1.duration / UnixTime.nanosPerMinute) }
        #expect(expectedBars == 13 * 390 + 210)  // 14 sessions, 2024-07-03 closes at 13:00
        for s in data.series {
            #expect(s.count == expectedBars)
            for i in 0..<s.count {
                #expect(cal.sessionIndex(containing: s.time[i]) != nil)
                if i > 0 { #expect(s.time[i] > s.time[i - 1]) }
            }
            #expect((0..<s.count).allSatisfy { i in
                s.low[i] > 0 && s.high[i] >= max(s.open[i], s.close[i]) && s.low[i] <= min(s.open[i], s.close[i])
                    && s.volume[i] >= 0 && s.volume[i] == s.volume[i].rounded()
            })
            let view = SessionView(series: s)
            #expect(view.sessionCount == sessions.count)
            #expect(view.dates == sessions.map(\.date))
        }
    }

    @Test func sameSeedGivesIdenticalBarsWhateverElseIsGenerated() throws {
        let a = try SyntheticMarket(seed: 5).generate(symbols: 6, from: from, to: to, interval: .minutes(5))
        let b = try SyntheticMarket(seed: 5).generate(symbols: 6, from: from, to: to, interval: .minutes(5))
        #expect(a == b)
        // A symbol's bars depend on (seed, index), not on how many symbols are generated alongside it.
        let c = try SyntheticMarket(seed: 5).generate(symbols: 2, from: from, to: to, interval: .minutes(5))
        #expect(c.series[1] == a.series[1])
        let d = try SyntheticMarket(seed: 6).generate(symbols: 2, from: from, to: to, interval: .minutes(5))
        #expect(d.series[0].close != a.series[0].close)
        #expect(a.series[0].close != a.series[1].close)
    }

    @Test func knownSeedReproducesItsFirstBars() throws {
        // Pins the generator: a change to the PRNG or the model shows up here.
        let s = try SyntheticMarket(seed: 42).generate(symbols: 1, from: from, to: from, interval: .minute).series[0]
        #expect(s.count == 390)
        #expect(ISO8601.utc(s.time[0]) == "2024-06-24T13:30:00Z")
        #expect([s.open[0], s.high[0], s.low[0], s.close[0], s.volume[0]] == [220.22, 220.23, 219.68, 219.69, 3732])
        #expect(s.close[389] == 226.11 && s.volume[389] == 846)
    }

    @Test func intradayVolumeAndVolatilityAreUShaped() throws {
        let data = try SyntheticMarket(seed: 3).generate(
            symbols: 20, from: CivilDate(iso: "2024-01-02")!, to: CivilDate(iso: "2024-06-28")!, interval: .minutes(30))
        // Bars 0 (09:30) and 12 (15:30) against the midday bars 5–7, pooled over symbols and days.
        var edgeVolume = 0.0, middayVolume = 0.0, edgeMove = 0.0, middayMove = 0.0
        for s in data.series {
            let view = SessionView(series: s)
            for d in 0..<view.sessionCount where view.endBar[d] - view.firstBar[d] == 13 {
                let f = view.firstBar[d]
                for k in [0, 12] {
                    edgeVolume += s.volume[f + k] / 2
                    edgeMove += abs(log(s.close[f + k] / s.open[f + k])) / 2
                }
                for k in 5...7 {
                    middayVolume += s.volume[f + k] / 3
                    middayMove += abs(log(s.close[f + k] / s.open[f + k])) / 3
                }
            }
        }
        #expect(edgeVolume > 1.5 * middayVolume)
        #expect(edgeMove > 1.2 * middayMove)
    }

    @Test func realisedDriftAndVolatilityFollowEachSymbolsParameters() throws {
        let market = SyntheticMarket(seed: 21)
        let data = try market.generate(
            symbols: 12, from: CivilDate(iso: "2010-01-04")!, to: CivilDate(iso: "2019-12-31")!, interval: .daily)
        for (i, s) in data.series.enumerated() {
            let p = market.parameters(ofSymbol: i)
            #expect(s.open[0] == (p.startPrice * 100).rounded() / 100)
            var returns: [Double] = []
            for k in 1..<s.count { returns.append(log(s.close[k] / s.close[k - 1])) }
            let mean = returns.reduce(0, +) / Double(returns.count)
            let variance = returns.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(returns.count - 1)
            let vol = (variance * 252).squareRoot()
            // Diffusion σ plus jump variance (intraday ≤ 0.1/day × 1.5 %², overnight 2 % × 4 %²).
            let jumpVariance = 252 * (p.jumpsPerDay * (0.015 * 0.015 + 0.002 * 0.002) + 0.02 * 0.04 * 0.04)
            let expected = (p.volatility * p.volatility + jumpVariance).squareRoot()
            #expect(abs(vol / expected - 1) < 0.1, "\(s.symbol): realised \(vol) vs expected \(expected)")
            // Ten years of daily drift: standard error about σ/√10 ≈ 0.05–0.2 a year.
            let drift = mean * 252 + 0.5 * expected * expected
            #expect(abs(drift - p.drift) < 3 * expected / 10.0.squareRoot(), "\(s.symbol): drift \(drift) vs \(p.drift)")
        }
    }

    @Test func dailyBarsAreStampedAtTheOpenAndGapOvernight() throws {
        let s = try SyntheticMarket(seed: 9).generate(
            symbols: 1, from: CivilDate(iso: "2023-01-03")!, to: CivilDate(iso: "2023-12-29")!, interval: .daily).series[0]
        #expect(s.count == 250)
        #expect(s.interval == .daily)
        let cal = NYSECalendar.shared
        #expect((0..<s.count).allSatisfy { cal.session(at: cal.sessionIndex(containing: s.time[$0])!).open == s.time[$0] })
        // Overnight gaps: the open differs from the previous close on most days.
        let gaps = (1..<s.count).filter { s.open[$0] != s.close[$0 - 1] }.count
        #expect(gaps > 200)
    }

    @Test func badRequestsAreRejected() {
        let m = SyntheticMarket(seed: 1)
        #expect(throws: DataError.self) { try m.generate(symbols: 0, from: from, to: to) }
        #expect(throws: DataError.self) { try m.generate(symbols: 1, from: to, to: from) }
        #expect(throws: DataError.self) { try m.generate(symbols: 1, from: CivilDate(iso: "1980-01-02")!, to: to) }
        #expect(throws: DataError.self) { try m.generate(symbols: 1, from: from, to: to, interval: .weekly) }
        // 100,000 symbols × 40 years of seconds would need petabytes: refused before allocating.
        #expect(throws: DataError.self) {
            try m.generate(symbols: 100_000, from: CivilDate(iso: "1990-01-02")!, to: CivilDate(iso: "2029-12-31")!,
                           interval: BarInterval(seconds: 1))
        }
        #expect(throws: DataError.self) {
            try m.generate(symbols: 1, from: CivilDate(iso: "2024-07-06")!, to: CivilDate(iso: "2024-07-07")!)
        }
    }

    @Test func xoshiroMatchesTheReferenceSequence() {
        // Reference: xoshiro256** with state (1, 2, 3, 4) (Blackman & Vigna's C code) yields
        // 11520, 0, 1509978240, 1215971899390074240 as its first outputs.
        var g = Xoshiro256StarStar(state: (1, 2, 3, 4))
        #expect([g.next(), g.next(), g.next(), g.next()] == [11520, 0, 1_509_978_240, 1_215_971_899_390_074_240])
        // SplitMix64 seeded with 0 starts with 0xE220A8397B1DCDAF.
        var m = SplitMix64(seed: 0)
        #expect(m.next() == 0xE220_A839_7B1D_CDAF)
    }
}

@Suite struct SyntheticOutputTests {
    @Test func cacheAndCSVOutputReadBackIdentically() throws {
        let data = try SyntheticMarket(seed: 4).generate(
            symbols: 3, from: CivilDate(iso: "2024-03-08")!, to: CivilDate(iso: "2024-03-12")!, interval: .minutes(5))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tw-synth-\(UInt32.random(in: 0...UInt32.max))").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let cachePaths = try BarCache.write(data, toDirectory: dir + "/cache")
        #expect(cachePaths.count == 3)
        #expect(try BarCache.readDirectory(dir + "/cache") == data)
        let csvPaths = try CSVBarWriter.write(data, toDirectory: dir + "/csv")
        #expect(csvPaths.map { ($0 as NSString).lastPathComponent } == ["SYN0000.csv", "SYN0001.csv", "SYN0002.csv"])
        #expect(try CSVBarReader.readDirectory(path: dir + "/csv", options: LoadOptions(interval: .minutes(5))) == data)
    }
}
