import Testing
import TradewindCore
@testable import TradewindIndicators

@Suite("Indicator tables (the CLI's logic)")
struct IndicatorTableTests {
    @Test("k=v parameters accept integer spellings for reals and are validated")
    func parameterSpellings() throws {
        let d = try IndicatorRegistry.descriptor(named: "BBANDS")
        #expect(try IndicatorTable.parameters(["nbdevup=1", "timeperiod=5"], for: d) == ["nbdevup": 1, "timeperiod": 5])
        #expect(throws: IndicatorError.self) { try IndicatorTable.parameters(["nbdevup"], for: d) }
        #expect(throws: IndicatorError.self) { try IndicatorTable.parameters(["timeperiod=1"], for: d) }
    }

    @Test("CSV has the TA-Lib output names as columns, ISO 8601 UTC times and empty lookback cells")
    func csvLayout() throws {
        let d = try IndicatorRegistry.descriptor(named: "MACD")
        let times: [UnixNanos] = [0, 60_000_000_000]
        let text = IndicatorTable.csv(d, times: times, outputs: [[.nan, 1.5], [.nan, 2], [.nan, -0.5]])
        #expect(text == "timestamp,macd,macdsignal,macdhist\n1970-01-01T00:00:00Z,,,\n1970-01-01T00:01:00Z,1.5,2.0,-0.5\n")
    }

    @Test("sessions are local calendar days")
    func sessions() {
        // 2019-02-11 20:59 UTC (15:59 New York) and 2019-02-12 14:30 UTC are different New York days;
        // 2019-02-12 04:00 UTC is still 2019-02-11 in New York.
        let t: [UnixNanos] = [1_549_918_740, 1_549_944_000, 1_549_981_800].map { $0 * 1_000_000_000 }
        let ids = IndicatorTable.sessionIDs(t, zone: .newYork)
        #expect(ids[0] == ids[1] && ids[1] != ids[2])
    }
}
