import Testing
@testable import TradewindIndicators

@Suite("Parameters and registry")
struct ParameterValidationTests {
    @Test("a period below the minimum is a clear error naming the valid range")
    func periodBelowMinimum() throws {
        #expect(throws: IndicatorError.invalidParameter(indicator: "SMA", parameter: "timeperiod", value: 1, valid: "2...100000")) {
            try SMA(timeperiod: 1)
        }
        let d = try IndicatorRegistry.descriptor(named: "rsi")
        do {
            _ = try d.compute([[1, 2, 3]], parameters: ["timeperiod": 0])
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "RSI: timeperiod=0 is out of range; valid: 2...100000")
        }
    }

    @Test("unknown names, non-integer periods, bad MA types and mismatched inputs are refused")
    func refusals() throws {
        let bb = try IndicatorRegistry.descriptor(named: "BBANDS")
        #expect(throws: IndicatorError.self) { try bb.resolve(["period": 5]) }
        #expect(throws: IndicatorError.self) { try bb.resolve(["timeperiod": 5.5]) }
        #expect(throws: IndicatorError.self) { try bb.resolve(["matype": 14]) }
        #expect(throws: IndicatorError.unknownIndicator("NOPE")) { try IndicatorRegistry.descriptor(named: "NOPE") }
        let atr = try IndicatorRegistry.descriptor(named: "ATR")
        #expect(throws: IndicatorError.self) { try atr.compute([[1, 2], [1, 2], [1]]) }
        #expect(throws: IndicatorError.self) { try atr.compute([[1, 2], [1, 2]]) }
        #expect(throws: IndicatorError.self) { try MAVP(minperiod: 10, maxperiod: 5) }
        // One average per period: a range whose windows hold more than 50 million values is refused, not allocated.
        #expect(throws: IndicatorError.self) { try MAVP(minperiod: 2, maxperiod: 100_000) }
        #expect(throws: Never.self) { try MAVP(minperiod: 2, maxperiod: 3_000) }
        #expect(throws: IndicatorError.self) { try T3(timeperiod: 5, vfactor: 1.5) }
        #expect(throws: IndicatorError.self) { try SMA(timeperiod: 200_000) }
    }

    @Test("real-valued parameters accept integer values and defaults come from TA-Lib")
    func defaults() throws {
        let bb = try IndicatorRegistry.descriptor(named: "BBANDS")
        let r = try bb.resolve(["nbdevup": 1])
        #expect(r.real("nbdevup") == 1 && r.real("nbdevdn") == 2 && r.int("timeperiod") == 20 && r.maType("matype") == .sma)
        #expect(bb.outputs == ["upperband", "middleband", "lowerband"])
        #expect(try IndicatorRegistry.descriptor(named: "MACD").outputs == ["macd", "macdsignal", "macdhist"])
        #expect(try IndicatorRegistry.descriptor(named: "STOCH").outputs == ["slowk", "slowd"])
        #expect(try IndicatorRegistry.descriptor(named: "MACD").lookback() == 33)
        #expect(try IndicatorRegistry.descriptor(named: "ADX").lookback(["timeperiod": 14]) == 27)
    }

    @Test("the registry lists every indicator once with consistent metadata")
    func registryIsConsistent() {
        let names = IndicatorRegistry.all.map(\.name)
        #expect(Set(names).count == names.count)
        #expect(names.count == 108)
        for d in IndicatorRegistry.all {
            #expect(!d.outputs.isEmpty && !d.inputs.isEmpty, "\(d.name)")
            for p in d.parameters { #expect(p.minimum <= p.defaultValue && p.defaultValue <= p.maximum, "\(d.name).\(p.name)") }
        }
    }

    @Test("empty input gives empty outputs, never a crash")
    func emptyInput() throws {
        for d in IndicatorRegistry.all {
            let out = try d.compute([[Double]](repeating: [], count: d.inputs.count))
            #expect(out.count == d.outputs.count && out.allSatisfy(\.isEmpty), "\(d.name)")
        }
    }

    @Test("session VWAP resets where the session id changes, in batch and streaming alike")
    func vwapResets() throws {
        let d = try IndicatorRegistry.descriptor(named: "VWAP")
        let cols: [[Double]] = [[11, 12, 21, 22], [9, 10, 19, 20], [10, 11, 20, 21], [1, 1, 1, 3], [0, 0, 1, 1]]
        let out = try d.compute(cols)[0]
        #expect(out[0] == 10 && out[1] == 10.5 && out[2] == 20 && out[3] == (20 + 3 * 21) / 4)
        var s = try d.stream()
        for i in 0..<4 { #expect(s.update(cols.map { $0[i] })![0] == out[i]) }
    }
}
