import Foundation

/// A tick type of Market Data v2's historical API, with the key its multi-symbol page lists it under.
public protocol AlpacaTick: Codable, Sendable, Hashable {
    /// `trades` or `quotes`.
    static var pageKey: String { get }
}

extension AlpacaTrade: AlpacaTick { public static var pageKey: String { "trades" } }
extension AlpacaQuote: AlpacaTick { public static var pageKey: String { "quotes" } }

/// `GET /v2/stocks/trades?symbols=…` and `GET /v2/stocks/quotes?symbols=…`: a page of several symbols' ticks, each
/// symbol's in time order, and the next page's token (`{"trades": {"AAPL": […]}, "next_page_token": …}`).
///
/// Coded with its own keys: the symbols are keys as they are, so use a plain `JSONEncoder`/`JSONDecoder`, not
/// `AlpacaJSON`'s, whose snake-case strategies would rewrite them (`AlpacaJSON.encoder` would lower-case `AAPL`).
public struct AlpacaMultiTicksPage<Tick: AlpacaTick>: Codable, Sendable, Hashable {
    public var ticks: [String: [Tick]]
    public var nextPageToken: String?

    public init(ticks: [String: [Tick]], nextPageToken: String?) {
        self.ticks = ticks
        self.nextPageToken = nextPageToken
    }

    struct Key: CodingKey {
        let stringValue: String
        init(_ s: String) { stringValue = s }
        init?(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        ticks = try c.decodeIfPresent([String: [Tick]].self, forKey: Key(Tick.pageKey)) ?? [:]
        nextPageToken = try c.decodeIfPresent(String.self, forKey: Key("next_page_token"))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(ticks, forKey: Key(Tick.pageKey))
        try c.encode(nextPageToken, forKey: Key("next_page_token"))
    }
}
