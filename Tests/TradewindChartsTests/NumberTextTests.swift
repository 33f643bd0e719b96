import Testing
@testable import TradewindCharts

@Suite struct NumberTextTests {
    @Test func fixedRoundsHalfAwayFromZeroAndNeverPrintsNegativeZero() {
        #expect(NumberText.fixed(1.25, 1) == "1.3")
        #expect(NumberText.fixed(-1.25, 1) == "-1.3")
        #expect(NumberText.fixed(-0.0001, 2) == "0.00")
        #expect(NumberText.fixed(0, 0) == "0")
        #expect(NumberText.fixed(123.456, 0) == "123")
        #expect(NumberText.fixed(0.05, 3) == "0.050")
        #expect(NumberText.fixed(.nan, 2) == "NaN")
    }

    @Test func groupedInsertsThousandsSeparators() {
        #expect(NumberText.grouped(1234567.891, 2) == "1,234,567.89")
        #expect(NumberText.grouped(-12345, 0) == "-12,345")
        #expect(NumberText.grouped(999, 1) == "999.0")
    }

    @Test func coordinatesDropATrailingZeroDecimal() {
        #expect(NumberText.coord(12.04) == "12")
        #expect(NumberText.coord(12.25) == "12.3")
        #expect(NumberText.coord(-3.21) == "-3.2")
    }

    @Test func tickDecimalsFollowTheStep() {
        #expect(NumberText.decimals(forStep: 5) == 0)
        #expect(NumberText.decimals(forStep: 0.2) == 1)
        #expect(NumberText.decimals(forStep: 0.05) == 2)
        #expect(ValueFormat.percent(decimals: 1).tickLabel(0.05, step: 0.05) == "5%")
        #expect(ValueFormat.percent(decimals: 1).tickLabel(0.025, step: 0.005) == "2.5%")
        #expect(ValueFormat.currency(symbol: "$", decimals: 2).string(-1234.5) == "-$1,234.50")
    }

    @Test func escapingCoversMarkupCharactersAndDropsControlCharacters() {
        #expect(XMLEscape.escape("a<b & \"c\" 'd'>") == "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;")
        #expect(XMLEscape.escape("x\u{01}y\tz") == "xy\tz")
        #expect(XMLEscape.escape("plain") == "plain")
        #expect(XMLEscape.escape("two\nlines") == "two&#10;lines")
    }
}
