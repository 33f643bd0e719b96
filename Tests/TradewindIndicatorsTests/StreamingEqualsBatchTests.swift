import Foundation
import Testing
@testable import TradewindIndicators

@Suite("Streaming equals batch")
struct StreamingEqualsBatchTests {
    @Test("bar-by-bar streaming reproduces the batch bit for bit, and values start exactly at the lookback",
          arguments: GoldenSeries.all.map(\.name))
    func streamingMatchesBatch(series name: String) throws {
        let series = GoldenSeries.all.first { $0.name == name }!
        var failures: [String] = []
        for c in series.cases where !c.refused {
            let (d, cols) = try descriptorAndColumns(c, series)
            let batch = try d.compute(cols, parameters: c.parameters)
            var stream = try d.stream(c.parameters)
            let lookback = stream.lookback
            #expect(lookback == (try d.lookback(c.parameters)))
            for i in 0..<series.count {
                let row = cols.map { $0[i] }
                let value = stream.update(row)
                if i < lookback {
                    if value != nil { failures.append("\(c.function) \(c.parameters): value inside lookback at \(i)") }
                    for col in batch where !col[i].isNaN { failures.append("\(c.function): batch value inside lookback at \(i)") }
                    continue
                }
                guard let value else {
                    failures.append("\(c.function) \(c.parameters): no streaming value at \(i) (lookback \(lookback))")
                    break
                }
                for (k, v) in value.enumerated() where v.bitPattern != batch[k][i].bitPattern && !(v.isNaN && batch[k][i].isNaN) {
                    failures.append("\(c.function) \(c.parameters) output \(k) at \(i): stream \(v) batch \(batch[k][i])")
                }
            }
        }
        #expect(failures.isEmpty, Comment(rawValue: "\(name): " + failures.prefix(30).joined(separator: "\n")))
    }
}
