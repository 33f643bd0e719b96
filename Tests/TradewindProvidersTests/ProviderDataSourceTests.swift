import Foundation
import Testing
import TradewindCore
import TradewindData
@testable import TradewindProviders

@Suite("--data provider:… through DataSource's registered schemes")
struct ProviderDataSourceTests {
    @Test func providerSpecsParseAndBadOnesAreNamed() throws {
        let loader = ProviderDataSource()
        let spec = try loader.parse("alpaca:SPY,QQQ:2024-01-02:2024-12-31:1m")
        #expect(spec.provider == "alpaca" && spec.symbols == ["SPY", "QQQ"] && spec.interval == .minute)
        #expect(spec.firstDay == CivilDate(year: 2024, month: 1, day: 2)! && spec.lastDay == CivilDate(year: 2024, month: 12, day: 31)!)
        #expect(try loader.parse("yahoo:SPY:2020-01-02:2020-12-31").interval == .daily)
        for bad in ["nope:SPY:2024-01-02:2024-01-05", "yahoo::2024-01-02:2024-01-05", "yahoo:SPY:2024-02-30:2024-01-05",
                    "yahoo:SPY:2024-01-05:2024-01-02", "yahoo:SPY:2024-01-02:2024-01-05:7m", "yahoo:SPY"] {
            #expect(throws: DataError.self) { try loader.parse(bad) }
        }
    }

    @Test func aRegisteredSchemeIsADataSourceAndItsLoaderReadsIt() throws {
        ProviderDataSource.register()
        let source = try DataSource(parsing: "provider:yahoo:SPY:2020-01-02:2020-01-03")
        #expect(source == .registered(scheme: "provider", spec: "yahoo:SPY:2020-01-02:2020-01-03"))
        #expect(source.description == "provider:yahoo:SPY:2020-01-02:2020-01-03")
        #expect(throws: DataError.self) { try DataSource(parsing: "provider:yahoo:SPY:2020-13-02:2020-01-03") }
    }

    @Test func aProviderSourceFetchesIntoItsCacheAndLoads() async throws {
        let root = NSTemporaryDirectory() + "tw-provider-source-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        try await FakeProviderServer.with({ r, _ in GeneratedAlpaca.answer(r) }) { base, _ in
            let loader = ProviderDataSource(environment: ProviderEnvironment([
                "TRADEWIND_FETCH_CACHE": root, "APCA_API_KEY_ID": "PKSOURCE1", "APCA_API_SECRET_KEY": "source-secret",
                "APCA_API_DATA_URL": base,
            ]))
            // A synchronous loader, called off the cooperative pool as a command's run() would call it.
            let dataset = try await DedicatedThread.run { () throws(DataError) in
                try loader.load("alpaca:SPY,QQQ:2024-01-02:2024-01-12", options: LoadOptions(), symbols: ["QQQ"])
            }
            #expect(dataset.symbols == ["QQQ"] && dataset.series[0].count == 9)
            #expect(FileManager.default.fileExists(atPath: root + "/alpaca-1d/QQQ.twc"))
        }
    }
}
