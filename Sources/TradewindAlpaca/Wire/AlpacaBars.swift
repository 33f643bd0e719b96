/// One bar of Market Data v2 (`t` its start in RFC 3339; `n` trades, `vw` volume-weighted price).
public struct AlpacaBar: Codable, Sendable, Hashable {
    public var t: String
    public var o: Double
    public var h: Double
    public var l: Double
    public var c: Double
    public var v: Double
    public var n: Int?
    public var vw: Double?

    public init(t: String, o: Double, h: Double, l: Double, c: Double, v: Double, n: Int? = nil, vw: Double? = nil) {
        self.t = t
        self.o = o
        self.h = h
        self.l = l
        self.c = c
        self.v = v
        self.n = n
        self.vw = vw
    }
}

/// `GET /v2/stocks/{symbol}/bars`: one symbol's page.
public struct AlpacaBarsPage: Codable, Sendable, Hashable {
    public var bars: [AlpacaBar]?
    public var symbol: String
    public var nextPageToken: String?

    public init(bars: [AlpacaBar], symbol: String, nextPageToken: String?) {
        self.bars = bars
        self.symbol = symbol
        self.nextPageToken = nextPageToken
    }
}

/// `GET /v2/stocks/bars?symbols=…`: a page of several symbols' bars.
public struct AlpacaMultiBarsPage: Codable, Sendable, Hashable {
    public var bars: [String: [AlpacaBar]]
    public var nextPageToken: String?

    public init(bars: [String: [AlpacaBar]], nextPageToken: String?) {
        self.bars = bars
        self.nextPageToken = nextPageToken
    }
}
