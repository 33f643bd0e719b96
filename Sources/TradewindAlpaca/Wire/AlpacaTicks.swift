/// One trade of Market Data v2, as the historical trades API returns it and as a line of a tick recording:
/// `t` its instant (RFC 3339, nanoseconds), `x` the exchange code, `p` the price, `s` the size, `c` the
/// conditions, `i` the trade id, `z` the tape.
public struct AlpacaTrade: Codable, Sendable, Hashable {
    public var t: String
    public var x: String?
    public var p: Double
    public var s: Double
    public var c: [String]?
    public var i: Int?
    public var z: String?

    public init(t: String, x: String? = nil, p: Double, s: Double, c: [String]? = nil, i: Int? = nil, z: String? = nil) {
        self.t = t
        self.x = x
        self.p = p
        self.s = s
        self.c = c
        self.i = i
        self.z = z
    }
}

/// One NBBO quote of Market Data v2: `t` its instant, the bid's and ask's exchange (`bx`, `ax`), price (`bp`, `ap`)
/// and size (`bs`, `as`), `c` the conditions, `z` the tape.
public struct AlpacaQuote: Codable, Sendable, Hashable {
    public var t: String
    public var bx: String?
    public var bp: Double
    public var bs: Double
    public var ax: String?
    public var ap: Double
    public var `as`: Double
    public var c: [String]?
    public var z: String?

    public init(t: String, bx: String? = nil, bp: Double, bs: Double, ax: String? = nil, ap: Double, as askSize: Double,
                c: [String]? = nil, z: String? = nil) {
        self.t = t
        self.bx = bx
        self.bp = bp
        self.bs = bs
        self.ax = ax
        self.ap = ap
        self.as = askSize
        self.c = c
        self.z = z
    }
}

/// `GET /v2/stocks/{symbol}/trades`: one symbol's page of trades.
public struct AlpacaTradesPage: Codable, Sendable, Hashable {
    public var trades: [AlpacaTrade]?
    public var symbol: String
    public var nextPageToken: String?

    public init(trades: [AlpacaTrade], symbol: String, nextPageToken: String?) {
        self.trades = trades
        self.symbol = symbol
        self.nextPageToken = nextPageToken
    }
}

/// `GET /v2/stocks/{symbol}/quotes`: one symbol's page of quotes.
public struct AlpacaQuotesPage: Codable, Sendable, Hashable {
    public var quotes: [AlpacaQuote]?
    public var symbol: String
    public var nextPageToken: String?

    public init(quotes: [AlpacaQuote], symbol: String, nextPageToken: String?) {
        self.quotes = quotes
        self.symbol = symbol
        self.nextPageToken = nextPageToken
    }
}
