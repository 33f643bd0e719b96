import Foundation
import Testing
@testable import TradewindIndicators

/// TA-Lib 0.8's moving-average types 9...13 (HMA, DISABLED, DEFAULT, ZLEMA, RMA): parsing, lookbacks, small
/// hand-checked series, and what each `matype` consumer makes of them. (Their numbers on real series are in the
/// golden fixtures, checked by `TALibParityTests`.)
@Suite("Moving-average types 0...13")
struct MATypeTests {
    let x: [Double] = [10, 11, 12.5, 11.8, 13, 14.2, 13.9, 15, 16.1, 15.5, 17, 18, 17.2, 19, 20.5, 19.8, 21, 22, 23.3, 22.1]

    func ma(_ period: Int, _ type: MAType, _ input: [Double]? = nil) throws -> [Double] {
        try IndicatorRegistry.descriptor(named: "MA").compute([input ?? x], parameters: ["timeperiod": Double(period),
                                                                                         "matype": Double(type.rawValue)])[0]
    }

    @Test("every matype 0...13 parses to its TA-Lib name; others are refused with the list of valid types")
    func parsing() throws {
        #expect(MAType.allCases.map(\.rawValue) == Array(0...13))
        #expect(MAType.allCases.map(\.name) == ["SMA", "EMA", "WMA", "DEMA", "TEMA", "TRIMA", "KAMA", "MAMA", "T3",
                                                 "HMA", "DISABLED", "DEFAULT", "ZLEMA", "RMA"])
        for t in MAType.allCases { #expect(try MAType.parse(t.rawValue, indicator: "MA") == t) }
        let valid = "0...13 (0 SMA, 1 EMA, 2 WMA, 3 DEMA, 4 TEMA, 5 TRIMA, 6 KAMA, 7 MAMA, 8 T3, 9 HMA, 10 DISABLED, "
            + "11 DEFAULT, 12 ZLEMA, 13 RMA)"
        #expect(throws: IndicatorError.invalidParameter(indicator: "MA", parameter: "matype", value: 14, valid: valid)) {
            try MAType.parse(14, indicator: "MA")
        }
        let bb = try IndicatorRegistry.descriptor(named: "BBANDS")
        for bad in [14.0, -1, 2.5] {
            do {
                _ = try bb.resolve(["matype": bad])
                Issue.record("matype \(bad) accepted")
            } catch {
                #expect(error.description.contains("13 RMA"), "\(error)")
            }
        }
    }

    @Test("every matype parameter in the registry accepts 0...13")
    func registryRanges() throws {
        var seen = 0
        for d in IndicatorRegistry.all {
            for p in d.parameters where p.kind == .maType {
                #expect(p.minimum == 0 && p.maximum == 13, "\(d.name).\(p.name)")
                for t in MAType.allCases { _ = try d.resolve([p.name: Double(t.rawValue)]) }
                seen += 1
            }
        }
        #expect(seen == 12)  // MA, BBANDS, MAVP, MACDEXT ×3, APO, PPO, STOCH ×2, STOCHF, STOCHRSI
    }

    @Test("lookbacks are TA-Lib 0.8's: HMA (n−1)+(⌊√n⌋−1), ZLEMA (n−1)/2+n−1, RMA and DEFAULT n−1, DISABLED 0")
    func lookbacks() throws {
        let expected: [MAType: [Int: Int]] = [
            .hma: [1: 0, 2: 1, 3: 2, 4: 4, 5: 5, 8: 8, 9: 10, 16: 18, 30: 33, 200: 212],
            .zlema: [1: 0, 2: 1, 3: 3, 4: 4, 5: 6, 14: 19, 30: 43, 200: 298],
            .rma: [1: 0, 2: 1, 14: 13, 200: 199],
            .default: [1: 0, 2: 1, 30: 29],
            .disabled: [1: 0, 2: 0, 30: 0, 200: 0],
        ]
        for (type, table) in expected {
            for (n, lookback) in table {
                #expect(MovingAverage.lookback(timeperiod: n, matype: type) == lookback, "\(type.name) \(n)")
                #expect(try MovingAverage(timeperiod: n, matype: type).lookback == lookback, "\(type.name) \(n)")
            }
        }
        #expect(try HMA(timeperiod: 16).lookback == 18 && ZLEMA(timeperiod: 5).lookback == 6 && RMA(timeperiod: 5).lookback == 4)
        #expect(HMA.smoothingPeriod(99) == 9 && HMA.smoothingPeriod(100) == 10 && HMA.smoothingPeriod(101) == 10)
    }

    @Test("HMA, ZLEMA and RMA agree with the hand-computed definitions on a short series")
    func handChecked() throws {
        func close(_ a: [Double], _ b: [Double]) -> Bool {
            a.count == b.count && zip(a, b).allSatisfy { $0.isNaN ? $1.isNaN : abs($0 - $1) <= 1e-12 * abs($1) }
        }
        let n = Double.nan
        // HMA(2) = 2·x − WMA(x, 2); HMA(4) = WMA(2·WMA(x, 2) − WMA(x, 4), 2).
        let h1: Double = 22 - 32.0 / 3, h2: Double = 25 - 36.0 / 3
        #expect(close(Array(try ma(2, .hma).prefix(3)), [n, h1, h2]))
        let w2 = { (i: Int) -> Double in (x[i - 1] + 2 * x[i]) / 3 }
        let w4 = { (i: Int) -> Double in
            let a: Double = x[i - 3] + 2 * x[i - 2]
            return (a + 3 * x[i - 1] + 4 * x[i]) / 10
        }
        let d = { (i: Int) -> Double in 2 * w2(i) - w4(i) }
        let h4: Double = (d(3) + 2 * d(4)) / 3, h5: Double = (d(4) + 2 * d(5)) / 3
        #expect(close(Array(try ma(4, .hma).prefix(6)), [n, n, n, n, h4, h5]))
        // ZLEMA(3): lag 1, EMA(k = 0.5) of 2·x[i] − x[i−1], seeded with the mean of its first 3 values.
        let delagged: [Double] = (1...4).map { 2 * x[$0] - x[$0 - 1] }
        let seed: Double = (delagged[0] + delagged[1] + delagged[2]) / 3
        let next: Double = seed + (delagged[3] - seed) * 0.5
        #expect(close(Array(try ma(3, .zlema).prefix(5)), [n, n, n, seed, next]))
        // RMA(2): seeded with (10 + 11)/2, then (prev + x)/2.
        #expect(close(Array(try ma(2, .rma).prefix(5)), [n, 10.5, 11.5, 11.65, 12.325]))
        // Period 1 passes the input through, for the new types as for the old.
        for t in [MAType.hma, .zlema, .rma, .disabled, .default] { #expect(try ma(1, t) == x) }
    }

    @Test("DISABLED is the input at any period; DEFAULT is SMA in MA and EMA in APO and PPO")
    func disabledAndDefault() throws {
        #expect(try ma(30, .disabled) == x && ma(7, .disabled) == x)
        #expect(try ma(5, .default).map(\.bitPattern) == ma(5, .sma).map(\.bitPattern))
        for name in ["APO", "PPO"] {
            let d = try IndicatorRegistry.descriptor(named: name)
            let p: [String: Double] = ["fastperiod": 3, "slowperiod": 6]
            let viaDefault = try d.compute([x], parameters: p.merging(["matype": 11]) { $1 })[0]
            #expect(viaDefault.map(\.bitPattern) == (try d.compute([x], parameters: p.merging(["matype": 1]) { $1 })[0]).map(\.bitPattern))
            // Both averages disabled: the oscillator is 0 from the first bar.
            #expect(try d.compute([x], parameters: p.merging(["matype": 10]) { $1 })[0] == [Double](repeating: 0, count: x.count))
        }
        // BBANDS with DISABLED: the middle band is the input, from bar timeperiod − 1 (the deviation's lookback).
        let bands = try IndicatorRegistry.descriptor(named: "BBANDS").compute([x], parameters: ["timeperiod": 5, "matype": 10])
        #expect(bands[1].prefix(4).allSatisfy { $0.isNaN } && Array(bands[1].dropFirst(4)) == Array(x.dropFirst(4)))
    }

    @Test("a series shorter than the lookback gives only NaN; a constant series gives the constant")
    func shortAndConstant() throws {
        for t in [MAType.hma, .zlema, .rma] {
            #expect(try ma(14, t, Array(x.prefix(5))).allSatisfy { $0.isNaN })
            let flat = [Double](repeating: 42.5, count: 40)
            let out = try ma(14, t, flat)
            let lookback = MovingAverage.lookback(timeperiod: 14, matype: t)
            #expect(out.prefix(lookback).allSatisfy { $0.isNaN } && out.dropFirst(lookback).allSatisfy { abs($0 - 42.5) <= 1e-12 })
        }
    }

    @Test("a NaN inside the series makes ZLEMA and RMA NaN from that bar on, as TA-Lib's recursions do")
    func nanPropagation() throws {
        var y = x
        y[12] = .nan
        for t in [MAType.zlema, .rma] {
            let out = try ma(5, t, y)
            let lookback = MovingAverage.lookback(timeperiod: 5, matype: t)
            #expect(out[lookback..<12].allSatisfy { $0.isFinite } && out[12...].allSatisfy { $0.isNaN }, "\(t.name)")
        }
    }

    @Test("WMA and HMA (and MA types 2 and 9) equal TA-Lib 0.8 bit for bit on every golden series")
    func weightedAveragesBitExact() throws {
        var compared = 0
        var failures: [String] = []
        for s in GoldenSeries.all {
            for c in s.cases where !c.refused {
                let matype = c.parameters["matype"]
                guard ["WMA", "HMA"].contains(c.function) || (c.function == "MA" && (matype == 2 || matype == 9)) else { continue }
                let (d, cols) = try descriptorAndColumns(c, s)
                let ours = try d.compute(cols, parameters: c.parameters)[0]
                let theirs = c.outputs[0].values
                for i in theirs.indices where ours[i].bitPattern != theirs[i].bitPattern && !(ours[i].isNaN && theirs[i].isNaN) {
                    failures.append("\(s.name) \(c.function) \(c.parameters) [\(i)]: \(ours[i]) vs \(theirs[i])")
                    break
                }
                compared += 1
            }
        }
        #expect(compared > 50)
        #expect(failures.isEmpty, Comment(rawValue: failures.prefix(20).joined(separator: "\n")))
    }

    @Test("the golden fixtures cover types 9...13 in MA (every series) and in each other matype consumer")
    func fixtureCoverage() throws {
        var typesByFunction: [String: Set<Int>] = [:]
        for s in GoldenSeries.all {
            var maTypes = Set<Int>()
            for c in s.cases where !c.refused {
                for (k, v) in c.parameters where k.hasSuffix("matype") && v >= 9 {
                    typesByFunction[c.function, default: []].insert(Int(v))
                    if c.function == "MA" { maTypes.insert(Int(v)) }
                }
            }
            #expect(maTypes == Set(9...13), "\(s.name)")
        }
        #expect(typesByFunction["MA"] == Set(9...13))
        for f in ["BBANDS", "STOCH", "STOCHF", "STOCHRSI", "MACDEXT", "APO", "PPO", "MAVP"] {
            #expect(!(typesByFunction[f] ?? []).isEmpty, "\(f)")
        }
        for f in ["HMA", "ZLEMA", "RMA"] {
            #expect(GoldenSeries.all.contains { $0.cases.contains { $0.function == f } }, "\(f)")
        }
    }

    @Test("streaming the new types one bar at a time equals the batch bit for bit, skipped bars included")
    func streamingEqualsBatch() throws {
        for t in [MAType.hma, .zlema, .rma, .disabled, .default] {
            for p in [1, 2, 3, 4, 7, 16] {
                let state = try MovingAverage(timeperiod: p, matype: t)
                let batch = try ma(p, t)
                var s = state
                for i in x.indices {
                    let v = s.update(x[i])
                    #expect((v ?? .nan).bitPattern == batch[i].bitPattern || (v == nil && batch[i].isNaN), "\(t.name) \(p) at \(i)")
                }
                // Started 3 bars late (as MACDEXT and MAVP start an inner average): the same values, 3 bars later.
                var late = MovingAverage(unchecked: p, matype: t, skip: 3)
                var fresh = state
                for i in x.indices {
                    let v = late.update(x[i])
                    if i < 3 { #expect(v == nil) } else { #expect(v?.bitPattern == fresh.update(x[i])?.bitPattern) }
                }
                #expect(late.lookback == state.lookback + 3)
            }
        }
    }
}
