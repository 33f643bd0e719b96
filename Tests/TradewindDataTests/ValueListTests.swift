import Foundation
import Testing
import TradewindData

/// `ValueList`: values given inline or as `@FILE`, and the `all` symbol selection.
@Suite("Value lists")
struct ValueListTests {
    static func file(_ bytes: [UInt8]) throws -> String {
        let path = NSTemporaryDirectory() + "tw-list-\(UUID().uuidString).txt"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func inlineValuesSplitOnCommasSpacesAndLineBreaks() throws {
        #expect(try ValueList.parse("AAPL,MSFT") == ["AAPL", "MSFT"])
        #expect(try ValueList.parse("AAPL, MSFT,,KO\nIBM\tXOM") == ["AAPL", "MSFT", "KO", "IBM", "XOM"])
    }

    @Test func anAtFileIsReadOneValueALineWithCRLFLineEndsAndAByteOrderMark() throws {
        let path = try Self.file([0xEF, 0xBB, 0xBF] + Array("SPY\r\nQQQ\r\n\r\nIWM,DIA\n".utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try ValueList.parse("@" + path) == ["SPY", "QQQ", "IWM", "DIA"])
        #expect(try ValueList.symbols("@" + path) == ["SPY", "QQQ", "IWM", "DIA"])
    }

    @Test func allSelectsEverySymbol() throws {
        #expect(try ValueList.symbols("all") == nil)
        #expect(try ValueList.symbols("ALL") == ["ALL"])   // a ticker, not the keyword
    }

    @Test func anEmptyListIsAnErrorQuotingTheText() throws {
        #expect(throws: ValueListError.empty(" , ")) { try ValueList.parse(" , ") }
        let path = try Self.file(Array("\n\r\n".utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: ValueListError.empty("@" + path)) { try ValueList.symbols("@" + path) }
        #expect(ValueListError.empty(" , ").description == "no values in ' , '; give values separated by commas or line breaks")
    }

    @Test func anUnreadableFileIsAnErrorNamingThePath() throws {
        let missing = NSTemporaryDirectory() + "tw-no-such-list-\(UUID().uuidString).txt"
        let error = try #require(#expect(throws: ValueListError.self) { try ValueList.parse("@" + missing) })
        guard case let .unreadableFile(path, _) = error else {
            Issue.record("expected unreadableFile, got \(error)")
            return
        }
        #expect(path == missing)
        #expect(error.description.hasPrefix("cannot read the list of values in \(missing): "))
    }
}
