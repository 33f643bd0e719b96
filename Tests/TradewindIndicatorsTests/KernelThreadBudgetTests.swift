import Testing
import TradewindCore
@testable import TradewindIndicators

/// The core indicators' kernels over columns long enough to split and to populate pages on a helper thread
/// give the same bits on every thread budget.
@Suite struct KernelThreadBudgetTests {
    /// Past the page-population threshold and every split threshold.
    static let length = ColumnKernel.populateThreshold + 12_345

    /// Columns by name (open, high, low, close, volume, session) of a random walk with sessions of 390 bars.
    static func columns(seed: UInt64) -> [InputColumn: [Double]] {
        var rng = SplitMix64(seed: seed)
        func unit() -> Double { Double(rng.next() >> 11) * 0x1.0p-53 }
        var open: [Double] = [], high: [Double] = [], low: [Double] = [], close: [Double] = []
        var volume: [Double] = [], session: [Double] = []
        var price = 100.0
        for i in 0..<length {
            let o = price
            price = max(0.01, price * (1 + (unit() - 0.5) * 0.01))
            open.append(o)
            close.append(price)
            high.append(max(o, price) * (1 + unit() * 0.003))
            low.append(min(o, price) * (1 - unit() * 0.003))
            volume.append(unit() < 0.1 ? 0 : (unit() * 10_000).rounded())
            session.append(Double(i / 390))
        }
        return [.open: open, .high: high, .low: low, .close: close, .volume: volume, .session: session]
    }

    @Test func everyKernelGivesTheSameBitsOnOneTwoAndFourThreads() throws {
        let data = Self.columns(seed: 99)
        let cases: [(String, [String: Double])] = [
            ("SMA", ["timeperiod": 20]), ("EMA", ["timeperiod": 12]), ("MA", ["timeperiod": 9, "matype": 2]),
            ("BBANDS", ["timeperiod": 20]), ("RSI", [:]), ("MACD", [:]), ("STOCH", [:]), ("ADX", [:]),
            ("ATR", ["timeperiod": 14]), ("VWAP", [:]),
        ]
        for (name, parameters) in cases {
            let d = try IndicatorRegistry.descriptor(named: name)
            let inputs = d.inputs.map { data[$0.column]! }
            let one = try d.compute(inputs, parameters: parameters, threads: .single)
            for threads: ThreadBudget in [2, 4] {
                let other = try d.compute(inputs, parameters: parameters, threads: threads)
                let same = one.count == other.count && zip(one, other).allSatisfy { a, b in
                    a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern }
                }
                #expect(same, "\(name) on \(threads)")
            }
        }
    }

    @Test func aKernelTakesAHelperThreadOnlyWhenTheBudgetAllowsOne() {
        // The library default does not probe the machine's load: the budget alone decides.
        #expect(!IndicatorKernels.probesIdleCores)
        #expect(!ColumnKernel.helperAllowed(.single))
        #expect(ColumnKernel.helperAllowed(2))
        #expect(ColumnKernel.helperAllowed(ThreadBudget(16)))
    }
}
