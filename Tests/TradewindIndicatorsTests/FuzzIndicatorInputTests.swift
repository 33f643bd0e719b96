import Foundation
import Testing
import TradewindTestSupport
import TradewindCore
import TradewindData
@testable import TradewindIndicators

/// Indicator parameters (`name=value` texts), MAVP periods files and hostile input columns (NaN, infinities,
/// huge, negative and zero values, empty and one-bar series) give a result or an `IndicatorError`: never a trap.
/// Seeded, so a failure reproduces.
@Suite(.timeLimit(.minutes(1))) struct FuzzIndicatorInputTests {
    static let hostile: [Double] = [.nan, .infinity, -.infinity, 0, -0.0, -1, 1e308, -1e308, .leastNonzeroMagnitude,
                                    .greatestFiniteMagnitude, 1e-300, 4, 1e15]

    /// A column of `n` values: mostly a price walk, sometimes hostile values.
    func column(_ n: Int, hostility: Int, _ fuzz: inout FuzzInput) -> [Double] {
        var price = 100.0
        return (0..<n).map { _ in
            price *= 1 + Double(fuzz.below(2001) - 1000) / 50_000
            return fuzz.chance(hostility) ? fuzz.pick(Self.hostile) : price
        }
    }

    /// A parameter value: in range (mostly small periods, to keep runs fast), at the range's ends, or outside it.
    /// MAVP's maxperiod stays small: one average per period makes its memory grow with maxperiod squared.
    func value(_ p: IndicatorParameter, indicator: String, _ fuzz: inout FuzzInput) -> Double {
        let top = indicator == "MAVP" ? min(p.maximum, 300) : p.maximum
        switch fuzz.below(10) {
        case 0: return fuzz.pick([p.minimum, top, p.minimum - 1, p.maximum + 1, .nan, .infinity, -1e300, 0.5, p.minimum + 0.5])
        case 1: return top
        default:
            let hi = min(top, p.minimum + 60)
            let v = p.minimum + Double(fuzz.below(Int(max(hi - p.minimum, 0)) + 1))
            return p.kind == .real ? v + Double(fuzz.below(100)) / 100 : v
        }
    }

    @Test func everyIndicatorComputesOrThrowsOnHostileColumns() {
        var fuzz = FuzzInput(seed: 0x1DC)
        var computed = 0
        for d in IndicatorRegistry.all {
            for k in 0..<24 {
                let n = fuzz.pick([0, 1, 2, 3, 40, 200])
                let inputs = d.inputs.map { input -> [Double] in
                    switch input.column {
                    case .session: return (0..<n).map { Double($0 / 7) }
                    case .periods: return (0..<n).map { _ in fuzz.chance(30) ? fuzz.pick(Self.hostile) : Double(fuzz.below(40)) }
                    default: return column(n, hostility: k % 3 == 0 ? 0 : 5, &fuzz)
                    }
                }
                var parameters: [String: Double] = [:]
                for p in d.parameters where fuzz.chance(60) { parameters[p.name] = value(p, indicator: d.name, &fuzz) }
                do throws(IndicatorError) {
                    let out = try d.compute(inputs, parameters: parameters)
                    computed += 1
                    #expect(out.count == d.outputs.count, "\(d.name)")
                    #expect(out.allSatisfy { $0.count == n }, "\(d.name)")
                } catch {
                    #expect(!error.description.isEmpty)
                }
                // The streaming form over the same rows.
                if n <= 40, var stream = try? d.stream(parameters) {
                    _ = stream.lookback
                    for i in 0..<n { _ = stream.update(inputs.map { $0[i] }) }
                }
            }
        }
        #expect(computed > IndicatorRegistry.all.count * 8)
    }

    @Test func inputsThatUsedToTrapCompute() throws {
        // A periods value beyond Int (a finite number in a periods file) was converted before clamping.
        let mavp = try IndicatorRegistry.descriptor(named: "MAVP")
        let periods: [Double] = [1e300, -1e300, 5, .greatestFiniteMagnitude, 5, 5, 5, 5, 5, 5]
        let out = try mavp.compute([(1...10).map(Double.init), periods], parameters: ["minperiod": 2, "maxperiod": 4])
        #expect(out[0].count == 10 && out[0][9].isFinite)
        // A NaN price made the Hilbert transform's smoothed period NaN, and Int(NaN) trapped.
        let prices = (0..<120).map { $0 == 70 ? Double.nan : 100 + 5 * sin(Double($0) / 4) }
        for name in ["HT_DCPHASE", "HT_SINE", "HT_TRENDMODE", "HT_PHASOR", "HT_DCPERIOD", "HT_TRENDLINE"] {
            let d = try IndicatorRegistry.descriptor(named: name)
            #expect(try d.compute(d.inputs.map { _ in prices }).allSatisfy { $0.count == 120 })
        }
    }

    @Test func parameterTextsParseOrThrow() throws {
        var fuzz = FuzzInput(seed: 0x9A9)
        let d = try IndicatorRegistry.descriptor(named: "BBANDS")
        let valid = ["timeperiod=20", "nbdevup=2.0", "nbdevdn=1", "matype=0", " timeperiod = 5 "]
        for i in 0..<3000 {
            let specs = (0...fuzz.below(3)).map { _ in
                i % 2 == 0 ? fuzz.mutate(fuzz.pick(valid)) : fuzz.text(maxCount: 20, alphabet: "timeperiodnbdevupmatype=0123456789.-e ")
            }
            do throws(IndicatorError) {
                let values = try IndicatorTable.parameters(specs, for: d)
                #expect(values.values.allSatisfy { $0.isFinite })
            } catch {
                #expect(!error.description.isEmpty)
            }
        }
    }

    @Test func periodsFilesParseOrThrowAndMAVPAcceptsWhatTheyGive() throws {
        var fuzz = FuzzInput(seed: 0x9E7)
        let valid = ["period\n5\n10\n30\n", "2020-01-02,5\r\n2020-01-03,7.9\r\n\n2020-01-06,1e300\n", "4\n-3\n0\n99999999999999999999\n"]
        let mavp = try IndicatorRegistry.descriptor(named: "MAVP")
        var parsed = 0
        for i in 0..<2000 {
            let text = i % 3 == 0 ? fuzz.text(maxCount: 60, alphabet: "0123456789.-e,\n\r period") : fuzz.mutate(fuzz.pick(valid))
            let periods: [Double]
            do throws(IndicatorError) { periods = try IndicatorTable.periods(csv: text, file: "p.csv") } catch {
                #expect(error.description.contains("p.csv"))
                continue
            }
            parsed += 1
            #expect(periods.allSatisfy { $0.isFinite })
            let prices = (0..<periods.count).map { 100 + Double($0) }
            _ = try? mavp.compute([prices, periods], parameters: ["minperiod": 2, "maxperiod": 30])
        }
        #expect(parsed > 200)
    }
}
