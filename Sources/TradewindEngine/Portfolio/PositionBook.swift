import TradewindCore

/// Bookkeeping of one symbol's open position, used to produce trades when it is reduced.
struct PositionBook: Sendable {
    var averagePrice = 0.0
    /// Commission paid to open the part of the position still open.
    var entryCommission = 0.0
    /// Carry charged to the part still open: borrow fees minus dividends received.
    var financing = 0.0
    var entryStep = 0
    var entryTime: UnixNanos = 0
    /// Highest and lowest price seen while open (fill prices and the bars after entry).
    var highest = 0.0
    var lowest = 0.0
}

extension SimulationContext {
    /// Applies a fill of `signed` units (positive = buy) at `price` with `commission` to the position and cash,
    /// producing trades for any reduction.
    func applyFill(symbol s: Int, signed dq: Double, price: Double, commission: Double) {
        willChangeHoldings()
        willChangePosition(s)
        cashBalance -= dq * price + commission
        var pos = quantity[s]
        var rest = dq
        var commissionLeft = commission
        if pos != 0 && (pos > 0) != (dq > 0) {
            let closing = min(abs(dq), abs(pos))
            let exitCommission = commission * closing / abs(dq)
            commissionLeft -= exitCommission
            recordTrade(symbol: s, closing: closing, position: pos, price: price, exitCommission: exitCommission)
            let remaining = abs(pos) - closing
            pos = remaining <= abs(pos) * 1e-12 ? 0 : (pos > 0 ? remaining : -remaining)
            rest = (abs(dq) - closing <= abs(dq) * 1e-12) ? 0 : (dq > 0 ? abs(dq) - closing : -(abs(dq) - closing))
            if pos == 0 { books[s] = PositionBook() }
        }
        if rest != 0 {
            var book = books[s]
            if pos == 0 {
                book = PositionBook()
                book.entryStep = step
                book.entryTime = time
                book.highest = price
                book.lowest = price
                book.averagePrice = price
            } else {
                book.averagePrice = (book.averagePrice * abs(pos) + price * abs(rest)) / (abs(pos) + abs(rest))
                book.highest = max(book.highest, price)
                book.lowest = min(book.lowest, price)
            }
            book.entryCommission += commissionLeft
            books[s] = book
            pos += rest
        }
        quantity[s] = pos
    }

    func recordTrade(symbol s: Int, closing: Double, position pos: Double, price: Double, exitCommission: Double,
                     open: Bool = false) {
        var book = books[s]
        book.highest = max(book.highest, price)
        book.lowest = min(book.lowest, price)
        let share = closing / abs(pos)
        let entryCommission = book.entryCommission * share
        let financing = book.financing * share
        book.entryCommission -= entryCommission
        book.financing -= financing
        let long = pos > 0
        let gross = (price - book.averagePrice) * closing * (long ? 1 : -1)
        let net = gross - entryCommission - exitCommission - financing
        let mfe = long ? book.highest - book.averagePrice : book.averagePrice - book.lowest
        let mae = long ? book.averagePrice - book.lowest : book.highest - book.averagePrice
        tradeList.append(Trade(
            symbol: market.symbols[s], side: long ? .buy : .sell, entryTime: book.entryTime, exitTime: time,
            entryStep: book.entryStep, exitStep: step, entryPrice: book.averagePrice, exitPrice: price,
            quantity: closing, grossPnL: gross, netPnL: net, returnFraction: net / (book.averagePrice * closing),
            entryCommission: entryCommission, exitCommission: exitCommission, barsHeld: step - book.entryStep,
            mae: max(mae, 0), mfe: max(mfe, 0), isOpen: open))
        books[s] = book
    }
}
