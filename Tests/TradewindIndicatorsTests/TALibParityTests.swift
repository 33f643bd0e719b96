import Foundation
import Testing
@testable import TradewindIndicators

/// The registry indicator and input columns for a fixture case. TA-Lib's VWAP never resets, so case VWAP runs
/// with every bar in one session; VWAP_SESSION (TA-Lib VWAP per session) and the extras use the session ids.
func descriptorAndColumns(_ c: GoldenSeries.Case, _ series: GoldenSeries) throws -> (IndicatorDescriptor, [[Double]]) {
    let name = c.function == "VWAP_SESSION" ? "VWAP" : c.function
    let d = try IndicatorRegistry.descriptor(named: name)
    let cols = series.columns(for: d.inputs.map { ($0.name, $0.column.rawValue) },
                              sessions: c.function != "VWAP")
    return (d, cols)
}

@Suite("TA-Lib parity on golden fixtures")
struct TALibParityTests {
    @Test("every function in the fixtures is in the registry")
    func coverage() throws {
        var missing = Set<String>()
        for s in GoldenSeries.all {
            for c in s.cases where c.function != "VWAP_SESSION" {
                if (try? IndicatorRegistry.descriptor(named: c.function)) == nil { missing.insert(c.function) }
            }
        }
        #expect(missing.isEmpty, "functions missing from the registry: \(missing.sorted())")
        #expect(GoldenSeries.all.count >= 10)
    }

    @Test("matches TA-Lib within 1e-9 at every index, including the lookback", arguments: GoldenSeries.all.map(\.name))
    func parity(series name: String) throws {
        let series = GoldenSeries.all.first { $0.name == name }!
        var failures: [String] = []
        var checked = 0
        for c in series.cases {
            let (d, cols) = try descriptorAndColumns(c, series)
            if c.refused {
                do {
                    _ = try d.compute(cols, parameters: c.parameters)
                    failures.append("\(c.function) \(c.parameters): TA-Lib refuses these parameters, Tradewind accepted")
                } catch {}
                continue
            }
            let ours: [[Double]]
            do {
                ours = try d.compute(cols, parameters: c.parameters)
            } catch {
                failures.append("\(c.function) \(c.parameters): threw \(error)")
                continue
            }
            #expect(d.outputs == c.outputs.map(\.name) || c.function == "VWAP_SESSION",
                    "\(c.function) output names \(d.outputs) vs TA-Lib \(c.outputs.map(\.name))")
            let lookback = try d.lookback(c.parameters)
            for (k, expected) in c.outputs.enumerated() {
                let scale = expected.values.reduce(0.0) { $1.isNaN ? $0 : max($0, abs($1)) }
                // TA-Lib's Python wrapper fills integer outputs with 0 (not NaN) inside the lookback.
                let isInteger = ["integer", "minidx", "maxidx", "trend"].contains(expected.name)
                for i in expected.values.indices {
                    let want = isInteger && i < lookback ? Double.nan : expected.values[i]
                    guard !matches(ours[k][i], want, scale: scale) else { continue }
                    failures.append("\(c.function) \(c.parameters) \(expected.name)[\(i)]: ours \(ours[k][i]) TA-Lib \(expected.values[i])")
                    break
                }
            }
            checked += 1
        }
        #expect(checked == series.cases.filter { !$0.refused }.count)
        #expect(failures.isEmpty, Comment(rawValue: "\(series.name): \(failures.count) mismatches\n" + failures.prefix(60).joined(separator: "\n")))
    }
}
