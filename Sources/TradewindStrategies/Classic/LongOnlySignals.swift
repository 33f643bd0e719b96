import TradewindEngine

/// The shared order logic of the long-only classics: on a buy signal while flat, buy with all available cash
/// (1/N of equity with N symbols) at market; on a sell signal while long, sell the whole position at market.
/// Market orders fill at the next bar's open (or this close with close-fill timing).
enum LongOnly {
    static func size(_ context: some TradingContext) -> OrderSize {
        context.symbolCount == 1 ? .allAvailable : .equityFraction(1 / Double(context.symbolCount))
    }

    /// Acts on one symbol's signals for this bar; returns the entry order id when one was placed.
    @discardableResult
    static func act(_ context: some TradingContext, symbol s: Int, buy: Bool, sell: Bool) -> OrderID? {
        let held = context.position(s)
        if buy && !sell && held == 0 { return context.buy(s, size(context), tag: "entry") }
        if sell && !buy && held > 0 { context.closePosition(s, tag: "exit") }
        return nil
    }
}
