import Foundation
import Testing
import TradewindCore
import TradewindData
import TradewindEngine
import TradewindStrategies

/// Text and path parameters: validation, `signals file=PATH` through the catalog and rsi2's hedge by name.
@Suite struct StringParameterTests {
    @Test func textParametersMustBeNonEmptyAndPathsMustNameAFile() throws {
        let text = ParameterSpec("hedge_symbol", .string, default: .string(""), "")
        #expect(try text.parse(" TZA ") == .string("TZA"))
        #expect(throws: ParameterError.outOfRange(name: "hedge_symbol", value: "", valid: "a non-empty text")) { try text.parse("") }
        let path = ParameterSpec("file", .path, default: .string(""), "")
        #expect(throws: ParameterError.fileNotFound(name: "file", path: "/no/such/file.csv")) { try path.parse("/no/such/file.csv") }
        #expect(throws: ParameterError.fileNotFound(name: "file", path: NSTemporaryDirectory())) { try path.parse(NSTemporaryDirectory()) }
        #expect(throws: ParameterError.self) { try path.parse("") }
        #expect(throws: ParameterError.wrongType(name: "file", value: "3", expected: "the path of an existing file")) {
            try path.validate(.int(3))
        }
        let file = NSTemporaryDirectory() + "tw-param-\(getpid()).csv"
        try "date,signal\n".write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        #expect(try path.parse(file) == .string(file))
        #expect(ParameterError.fileNotFound(name: "file", path: "x").description.contains("'file'"))
    }

    @Test func signalsIsInTheCatalogAndReadsItsFileParameter() throws {
        #expect(StrategyCatalog.builtIn.names.contains("signals"))
        let file = NSTemporaryDirectory() + "tw-signals-\(getpid()).csv"
        try "date,signal\n2008-01-02,buy\n2009-06-01,sell\n2010-03-01,buy\n".write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let data = try DataSource(parsing: "sample:spy-daily").load()
        let viaCatalog = try StrategyCatalog.builtIn.run("signals", parameters: ["file": file], data: data)
        var direct = try SignalStrategy(file: file)
        let viaType = try Backtest.run(&direct, data: data, config: BacktestConfig())
        #expect(viaCatalog.fills == viaType.fills)
        #expect(viaCatalog.trades.count == 2 && viaCatalog.closedTrades.count == 1)
        // Missing and malformed files are parameter errors naming `file`.
        #expect(throws: ParameterError.missing(name: "file", expected: "the path of an existing file")) {
            _ = try StrategyCatalog.builtIn.run("signals", data: data)
        }
        try "when,what\n".write(toFile: file, atomically: true, encoding: .utf8)
        do {
            _ = try StrategyCatalog.builtIn.run("signals", parameters: ["file": file], data: data)
            Issue.record("a file without the expected header was accepted")
        } catch let e as ParameterError {
            guard case .badFile(let name, let detail) = e else { Issue.record("\(e)"); return }
            #expect(name == "file" && detail.contains("header"))
        }
    }

    @Test func rsi2TakesItsHedgeByNameThroughTheCatalog() throws {
        let data = MarketDataset([try SampleBars.eqkerDaily("SPY"), try SampleBars.eqkerDaily("TZA")])
        let viaCatalog = try StrategyCatalog.builtIn.run("rsi2", parameters: ["hedge_symbol": "TZA"], data: data)
        var direct = try RSI2(hedgeSymbol: "TZA")
        let viaType = try Backtest.run(&direct, data: data, config: BacktestConfig())
        #expect(viaCatalog.fills == viaType.fills)
        #expect(viaCatalog.closedTrades.contains { $0.symbol == "TZA" })
        #expect(throws: (any Error).self) { _ = try StrategyCatalog.builtIn.run("rsi2", parameters: ["hedge_symbol": "NOPE"], data: data) }
        #expect(throws: ParameterError.self) { _ = try StrategyCatalog.builtIn.run("rsi2", parameters: ["hedge_symbol": ""], data: data) }
    }

    @Test func listingShowsTextAndPathParameters() throws {
        let show = try StrategyListing.show("signals")
        #expect(show.contains("file") && show.contains("path, default none, the path of an existing file"))
        let rsi = try StrategyListing.show("rsi2")
        #expect(rsi.contains("hedge_symbol") && rsi.contains("string, default none, a non-empty text"))
        #expect(StrategyListing.list(json: true).contains("\"type\":\"path\""))
    }
}
