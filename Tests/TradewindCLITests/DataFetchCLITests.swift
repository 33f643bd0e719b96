import Foundation
import Testing

/// `tradewind data providers` and `data fetch` / `--data provider:…` wiring (the fetching itself is tested in
/// TradewindProvidersTests against loopback servers).
@Suite("tradewind data fetch and data providers")
struct DataFetchCLITests {
    @Test func providersAreListedInFallbackOrderAsJSON() throws {
        let run = try CLITests.run(["data", "providers", "--json"])
        #expect(run.status == 0)
        let items = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
        #expect(items.map { $0["provider"] as? String } == ["alpaca", "polygon", "finnhub", "yahoo"])
        #expect(items.last?["configured"] as? Bool == true)
        #expect(items.allSatisfy { $0["rate"] is String && $0["intervals"] is [String] })
    }

    @Test func badFetchArgumentsAreRefusedNamingTheFlag() throws {
        let backwards = try CLITests.run(["data", "fetch", "--symbols", "SPY", "--from", "2024-01-05", "--to", "2024-01-02"])
        #expect(backwards.status != 0 && backwards.stderr.contains("--to"))
        let interval = try CLITests.run(["data", "fetch", "--symbols", "SPY", "--from", "2024-01-02", "--to", "2024-01-05",
                                         "--interval", "7m"])
        #expect(interval.status != 0 && interval.stderr.contains("--interval"))
        let rate = try CLITests.run(["data", "fetch", "--symbols", "SPY", "--from", "2024-01-02", "--to", "2024-01-05",
                                     "--rate", "polygon=fast"])
        #expect(rate.status != 0 && rate.stderr.contains("--rate"))
    }

    @Test func aProviderDataSourceWithAnUnknownProviderIsAClearError() throws {
        let run = try CLITests.run(["backtest", "--data", "provider:nope:SPY:2024-01-02:2024-01-05", "--strategy", "sma-cross"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("unknown provider"))
    }
}
