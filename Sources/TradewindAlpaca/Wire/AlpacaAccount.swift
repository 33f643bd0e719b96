/// `GET /v2/account` (the fields the adapters and the SDKs read; decimals as strings).
public struct AlpacaAccount: Codable, Sendable, Hashable {
    public var id: String
    public var accountNumber: String
    public var status: String
    public var currency: String
    public var cash: String
    public var portfolioValue: String
    public var equity: String
    public var lastEquity: String
    public var buyingPower: String
    public var regtBuyingPower: String
    public var daytradingBuyingPower: String
    public var nonMarginableBuyingPower: String
    public var longMarketValue: String
    public var shortMarketValue: String
    public var initialMargin: String
    public var maintenanceMargin: String
    public var lastMaintenanceMargin: String
    public var sma: String
    public var multiplier: String
    public var accruedFees: String
    public var daytradeCount: Int
    public var patternDayTrader: Bool
    public var tradingBlocked: Bool
    public var transfersBlocked: Bool
    public var accountBlocked: Bool
    public var tradeSuspendedByUser: Bool
    public var shortingEnabled: Bool
    public var createdAt: String

    public init(id: String, cash: String, equity: String, lastEquity: String, buyingPower: String, longMarketValue: String,
                shortMarketValue: String, multiplier: String, shortingEnabled: Bool, createdAt: String) {
        self.id = id
        accountNumber = "PA" + String(id.filter(\.isHexDigit).prefix(10)).uppercased()
        status = "ACTIVE"
        currency = "USD"
        self.cash = cash
        portfolioValue = equity
        self.equity = equity
        self.lastEquity = lastEquity
        self.buyingPower = buyingPower
        regtBuyingPower = buyingPower
        daytradingBuyingPower = "0"
        nonMarginableBuyingPower = cash
        self.longMarketValue = longMarketValue
        self.shortMarketValue = shortMarketValue
        initialMargin = "0"
        maintenanceMargin = "0"
        lastMaintenanceMargin = "0"
        sma = "0"
        self.multiplier = multiplier
        accruedFees = "0"
        daytradeCount = 0
        patternDayTrader = false
        tradingBlocked = false
        transfersBlocked = false
        accountBlocked = false
        tradeSuspendedByUser = false
        self.shortingEnabled = shortingEnabled
        self.createdAt = createdAt
    }
}

/// One position (`GET /v2/positions`): signed quantity as a string, `side` long or short.
public struct AlpacaPosition: Codable, Sendable, Hashable {
    public var assetId: String
    public var symbol: String
    public var exchange: String
    public var assetClass: String
    public var avgEntryPrice: String
    public var qty: String
    public var qtyAvailable: String
    public var side: String
    public var marketValue: String
    public var costBasis: String
    public var unrealizedPl: String
    public var unrealizedPlpc: String
    public var unrealizedIntradayPl: String
    public var unrealizedIntradayPlpc: String
    public var currentPrice: String
    public var lastdayPrice: String
    public var changeToday: String
    public var assetMarginable: Bool

    public init(assetId: String, symbol: String, quantity: Double, averageEntryPrice: Double, currentPrice: Double) {
        self.assetId = assetId
        self.symbol = symbol
        exchange = "NYSE"
        assetClass = "us_equity"
        avgEntryPrice = AlpacaJSON.decimal(averageEntryPrice)
        qty = AlpacaJSON.decimal(quantity)
        qtyAvailable = qty
        side = quantity < 0 ? "short" : "long"
        let value = quantity * currentPrice, cost = quantity * averageEntryPrice
        marketValue = AlpacaJSON.decimal(value)
        costBasis = AlpacaJSON.decimal(cost)
        unrealizedPl = AlpacaJSON.decimal(value - cost)
        unrealizedPlpc = AlpacaJSON.decimal(cost != 0 ? (value - cost) / abs(cost) : 0)
        unrealizedIntradayPl = unrealizedPl
        unrealizedIntradayPlpc = unrealizedPlpc
        self.currentPrice = AlpacaJSON.decimal(currentPrice)
        lastdayPrice = self.currentPrice
        changeToday = "0"
        assetMarginable = true
    }
}

/// `GET /v2/clock`.
public struct AlpacaClock: Codable, Sendable, Hashable {
    public var timestamp: String
    public var isOpen: Bool
    public var nextOpen: String
    public var nextClose: String

    public init(timestamp: String, isOpen: Bool, nextOpen: String, nextClose: String) {
        self.timestamp = timestamp
        self.isOpen = isOpen
        self.nextOpen = nextOpen
        self.nextClose = nextClose
    }
}

/// One day of `GET /v2/calendar`: local date and times in New York (`2021-02-01`, `09:30`, `16:00`).
public struct AlpacaCalendarDay: Codable, Sendable, Hashable {
    public var date: String
    public var open: String
    public var close: String
    public var sessionOpen: String
    public var sessionClose: String
    public var settlementDate: String

    public init(date: String, open: String, close: String, settlementDate: String) {
        self.date = date
        self.open = open
        self.close = close
        sessionOpen = "0400"
        sessionClose = "2000"
        self.settlementDate = settlementDate
    }
}

/// `DELETE /v2/orders` and `DELETE /v2/positions` answer 207 with one of these per order or position.
public struct AlpacaMultiStatus<Body: Codable & Sendable & Hashable>: Codable, Sendable, Hashable {
    public var id: String?
    public var symbol: String?
    public var status: Int
    public var body: Body?

    public init(id: String? = nil, symbol: String? = nil, status: Int, body: Body?) {
        self.id = id
        self.symbol = symbol
        self.status = status
        self.body = body
    }
}
