import Testing
import TradewindCore
@testable import TradewindModels

@Suite struct UniversalFeatureParityTests {
    @Test func everyFeatureEqualsThePandasReferenceOnRealBars() throws {
        let fixture = try FeatureFixture.load()
        #expect(fixture.series.count == 3)
        for s in fixture.series {
            let table = try UniversalFeatures.compute(s.bars)
            for feature in UniversalFeature.allCases {
                let expected = try #require(s.features[feature.name], "fixture lacks \(feature.name)")
                let actual = table.column(feature)
                #expect(actual.count == expected.count)
                for (i, (a, e)) in zip(actual, expected).enumerated() {
                    guard let e else {
                        #expect(a.isNaN, "\(s.symbol) \(feature.name) bar \(i): \(a), pandas NaN")
                        continue
                    }
                    #expect(abs(a - e) <= 1e-9 * max(1, abs(e)), "\(s.symbol) \(feature.name) bar \(i): \(a) vs pandas \(e)")
                }
            }
        }
    }

    @Test func aBarWithANonPositivePriceIsATypedErrorNamingIt() throws {
        var bars = try FeatureFixture.load().series[0].bars
        bars.low[7] = 0
        #expect(throws: ModelError.invalidBar(symbol: bars.symbol, index: 7, field: "low", value: 0)) {
            try UniversalFeatures.compute(bars)
        }
    }

    @Test func aSeriesShorterThanTheWarmUpHasNoDefinedRows() throws {
        let bars = try FeatureFixture.load().series[0].bars.slice(0..<30)
        let table = try UniversalFeatures.compute(bars)
        #expect(table.values.allSatisfy { $0.isNaN })
    }
}
