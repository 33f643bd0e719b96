import Testing
import TradewindCore
@testable import TradewindEngine

@Suite("Costs and accounts")
struct CostAndAccountTests {
    let bars = flat(50, 4)

    @Test func commissionCombinesPerSharePercentFixedWithMinimumAndMaximum() {
        let perShare = CommissionModel(perShare: 0.005, minimum: 1)
        #expect(perShare.commission(quantity: 100, price: 50) == 1)      // 0.50 → minimum 1
        #expect(perShare.commission(quantity: 1000, price: 50) == 5)
        let capped = CommissionModel(perShare: 0.005, minimum: 1, maximumPercent: 0.01)
        #expect(capped.commission(quantity: 1000, price: 0.2) == 2)     // 5 capped at 1 % of 200
        let mixed = CommissionModel(percent: 0.001, fixed: 2, maximum: 10)
        #expect(mixed.commission(quantity: 100, price: 50) == 7)         // 5 + 2
        #expect(mixed.commission(quantity: 1000, price: 50) == 10)       // 52 → maximum 10
    }

    @Test func maxQuantitySpendsTheBudgetIncludingCommission() {
        for m in [CommissionModel(percent: 0.001), CommissionModel(perShare: 0.01, fixed: 1),
                  CommissionModel(perShare: 0.005, minimum: 1), CommissionModel(percent: 0.002, fixed: 5, maximum: 6)] {
            let q = m.maxQuantity(budget: 10_000, price: 37.5)
            let cost = q * 37.5 + m.commission(quantity: q, price: 37.5)
            #expect(cost <= 10_000 * (1 + 1e-12) && cost > 10_000 * (1 - 1e-9), "\(m): \(q) costs \(cost)")
        }
    }

    @Test func commissionsAreChargedOnFillsAndReportedInTrades() throws {
        let config = BacktestConfig(commission: CommissionModel(perShare: 0.01, fixed: 1))
        let r = try run(daily(bars), config: config) { ctx in
            if ctx.step == 0 { ctx.buy(0, .units(100)) }
            if ctx.step == 1 { ctx.closePosition(0) }
        }
        #expect(r.fills.map(\.commission) == [2, 2])
        #expect(r.trades[0].netPnL == -4 && r.trades[0].grossPnL == 0)
        #expect(r.finalEquity == 100_000 - 4)
        #expect(r.totalCommission == 4)
    }

    @Test func slippageInBasisPointsAndHalfSpreadMovePricesAgainstTheTrader() throws {
        let bps = try run(daily(bars), config: BacktestConfig(slippage: .basisPoints(10))) { ctx in
            if ctx.step == 0 { ctx.buy(0, .units(10)) }
            if ctx.step == 1 { ctx.closePosition(0) }
        }
        #expect(abs(bps.fills[0].price - 50.05) < 1e-12 && abs(bps.fills[1].price - 49.95) < 1e-12)
        #expect(abs(bps.totalSlippage - 1.0) < 1e-9)
        let spread = try run(daily(bars), config: BacktestConfig(slippage: .halfSpread(0.2))) { ctx in
            if ctx.step == 0 { ctx.buy(0, .units(10)) }
        }
        #expect(spread.fills[0].price == 50.1)
    }

    @Test func cashAccountRejectsAnUnaffordableOrderWithItsReason() throws {
        let r = try run(daily(bars), config: BacktestConfig(initialCash: 1_000)) { ctx in
            if ctx.step == 0 { ctx.buy(0, .units(100)) }
        }
        #expect(r.orders[0].status == .rejected)
        #expect(r.orders[0].reason.contains("insufficient cash"))
        #expect(r.orderLog.last?.reason.contains("costs 5000") == true)
        #expect(r.fills.isEmpty && r.finalEquity == 1_000)
    }

    @Test func notionalOrAvailableBuysTheStakeWhenTheCashPaysForItAndAllTheCashOtherwise() throws {
        // Cash 1 000, 0.1 % commission, fills at 50.
        let config = BacktestConfig(initialCash: 1_000, commission: .percentOfValue(0.001))
        func fill(_ size: OrderSize, config: BacktestConfig = config) throws -> (Order, Fill?) {
            let r = try run(daily(bars), config: config) { ctx in if ctx.step == 0 { ctx.buy(0, size) } }
            return (r.orders[0], r.fills.first)
        }
        // 500 and its 0.50 commission are affordable: exactly the stake, as `.notional`.
        let (_, half) = try fill(.notionalOrAvailable(500))
        #expect(half?.quantity == 10 && half?.commission == 0.5)
        // 1 000 plus 1 of commission is not: all the cash buys instead (1 000 / 1.001 / 50 shares), where `.notional`
        // is rejected.
        let (_, all) = try fill(.notionalOrAvailable(1_000))
        let q = try #require(all?.quantity)
        #expect(abs(q - 1_000 / 1.001 / 50) <= 1e-12 * q)
        #expect(q * 50 + all!.commission <= 1_000 * (1 + 1e-12))
        let (plain, _) = try fill(.notional(1_000))
        #expect(plain.status == .rejected && plain.reason.contains("insufficient cash"))
        // With whole shares and cash for none, it is rejected as unaffordable.
        let (none, _) = try fill(.notionalOrAvailable(1_000), config: BacktestConfig(initialCash: 40, wholeShares: true))
        #expect(none.status == .rejected && none.reason.contains("nothing affordable"))
        #expect(try fill(.notionalOrAvailable(0)).0.status == .rejected)
    }

    @Test func cashAccountRejectsShortSales() throws {
        let r = try run(daily(bars)) { ctx in if ctx.step == 0 { ctx.sell(0, .units(10)) } }
        #expect(r.orders[0].status == .rejected && r.orders[0].reason.contains("margin account"))
    }

    @Test func marginAccountShortSaleProfitsFromAFall() throws {
        let b: [(Double, Double, Double, Double)] = [(100, 100, 100, 100), (100, 100, 100, 100), (80, 80, 80, 80), (80, 80, 80, 80)]
        let r = try run(daily(b), config: BacktestConfig(account: .regT)) { ctx in
            if ctx.step == 0 { ctx.sell(0, .units(100)) }
            if ctx.step == 2 { ctx.closePosition(0) }
        }
        #expect(r.trades.count == 1 && r.trades[0].side == .sell)
        #expect(r.trades[0].grossPnL == 2_000)
        #expect(r.finalEquity == 102_000)
        #expect(r.positions[0] == [0, -100, -100, 0])
    }

    @Test func marginAccountRejectsBeyondBuyingPowerAndAllowsLeverage() throws {
        let r = try run(daily(bars), config: BacktestConfig(initialCash: 10_000, account: .regT)) { ctx in
            if ctx.step == 0 { ctx.buy(0, .units(300)) }    // 15 000 ≤ 2 × 10 000
            if ctx.step == 1 { ctx.buy(0, .units(200)) }    // 25 000 > 20 000
        }
        #expect(r.orders[0].status == .filled)
        #expect(r.orders[1].status == .rejected && r.orders[1].reason.contains("buying power"))
        #expect(r.equity.cash[3] == -5_000)
    }

    @Test func marginCallLiquidatesAtTheCloseAndLogsWhy() throws {
        let b: [(Double, Double, Double, Double)] = [(100, 100, 100, 100), (100, 100, 100, 100), (70, 70, 60, 60), (50, 50, 50, 50)]
        let r = try run(daily(b), config: BacktestConfig(initialCash: 10_000, account: .regT)) { ctx in
            if ctx.step == 0 { ctx.buy(0, .units(200)) }    // 20 000 of stock on 10 000 equity
        }
        // At 60: equity 10 000 − 8 000 = 2 000 < 25 % × 12 000 → liquidated at 60.
        let call = try #require(r.orders.first { $0.request.tag == "margin-call" })
        #expect(call.status == .filled && call.averageFillPrice == 60)
        #expect(call.reason.contains("margin call"))
        #expect(r.positions[0][2] == 0 && r.finalEquity == 2_000)
    }

    @Test func shortBorrowFeeAccruesPerCalendarDay() throws {
        let config = BacktestConfig(account: .regT, financing: FinancingModel(shortBorrowRate: 0.036))
        let r = try run(daily(flat(100, 3)), config: config) { ctx in if ctx.step == 0 { ctx.sell(0, .units(100)) } }
        // Short 10 000 from bar 1; one day of 3.6 %/360 on 10 000 charged at bar 2 = 1.
        #expect(abs(r.totalFinancing - 1) < 1e-9)
        #expect(abs(r.finalEquity - 99_999) < 1e-9)
    }

    @Test func fractionalByDefaultWholeSharesByOption() throws {
        let b = flat(33, 3)
        let frac = try run(daily(b), config: BacktestConfig(initialCash: 1_000)) { ctx in
            if ctx.step == 0 { ctx.buy(0, .allAvailable) }
        }
        #expect(abs(frac.fills[0].quantity - 1_000.0 / 33) < 1e-12)
        let whole = try run(daily(b), config: BacktestConfig(initialCash: 1_000, wholeShares: true)) { ctx in
            if ctx.step == 0 { ctx.buy(0, .allAvailable) }
            if ctx.step == 1 { ctx.buy(0, .units(0.5)) }
        }
        #expect(whole.fills.map(\.quantity) == [30])
        #expect(whole.orders[1].status == .rejected && whole.orders[1].reason.contains("zero whole shares"))
    }

    @Test func volumeParticipationCapsFillsAndKeepsTheRestWorking() throws {
        let config = BacktestConfig(volumeParticipation: 0.1)
        let r = try run(daily(flat(10, 5), volume: 1_000), config: config) { ctx in
            if ctx.step == 0 { ctx.buy(0, .units(250)) }
        }
        #expect(r.fills.map(\.quantity) == [100, 100, 50])
        #expect(r.orders[0].status == .filled && r.orders[0].filledQuantity == 250)
    }
}

@Suite("Corporate actions")
struct CorporateActionTests {
    func series(dividend: [Double]? = nil, split: [Double]? = nil) -> BarSeries {
        var s = daily([(100, 100, 100, 100), (100, 100, 100, 100), (50, 50, 50, 50), (51, 51, 51, 51)])
        s.dividend = dividend
        s.splitCoefficient = split
        return s
    }

    @Test func aSplitMultipliesThePositionAndKeepsEquityWhole() throws {
        let r = try run(series(split: [1, 1, 2, 1])) { ctx in if ctx.step == 0 { ctx.buy(0, .units(10)) } }
        #expect(r.positions[0] == [0, 10, 20, 20])
        #expect(r.equity.equity == [100_000, 100_000, 100_000, 100_020])
        #expect(r.trades[0].entryPrice == 50 && r.trades[0].quantity == 20 && r.trades[0].grossPnL == 20)
    }

    @Test func aSplitRescalesWorkingOrders() throws {
        let r = try run(series(split: [1, 1, 2, 1])) { ctx in
            if ctx.step == 0 { ctx.buy(0, .units(10)) }
            if ctx.step == 1 { ctx.sell(0, .units(10), .limit(101)) }
        }
        // After the 2:1 split the order sells 20 with a limit of 50.5; bar 3 opens above it at 51 and fills there.
        #expect(r.orders[1].type == .limit(50.5))
        #expect(r.fills.last.map { ($0.quantity, $0.price) }! == (20, 51))
    }

    @Test func dividendsAreCreditedAndCountInTheTradesPnL() throws {
        let r = try run(series(dividend: [0, 0, 0.5, 0])) { ctx in
            if ctx.step == 0 { ctx.buy(0, .units(10)) }
            if ctx.step == 2 { ctx.closePosition(0) }
        }
        #expect(r.totalDividends == 5)
        #expect(r.trades[0].grossPnL == -490 && r.trades[0].netPnL == -485)
        #expect(r.finalEquity == 100_000 - 485)
    }
}

@Suite("Margin sizing")
struct MarginSizingTests {
    @Test func allAvailableInAMarginAccountUsesTheBuyingPowerNetOfCosts() throws {
        let config = BacktestConfig(initialCash: 10_000, account: .regT,
                                    commission: CommissionModel(perShare: 0.005, minimum: 1), slippage: .halfSpread(0.02))
        let r = try run(daily(flat(50, 3)), config: config) { ctx in if ctx.step == 0 { ctx.buy(0, .allAvailable) } }
        #expect(r.orders[0].status == .filled, "\(r.orders[0].reason)")
        let q = r.fills[0].quantity
        // (q × 50.01) × 0.5 + commission ≈ 10 000 − commission… i.e. about 2× leverage.
        #expect(q > 399 && q < 400)
    }
}

/// Fixed fees, minimums and maximums are charged per order, also when a volume cap splits the order into fills.
@Suite("Commission per order")
struct CommissionPerOrderTests {
    func partialRun(_ commission: CommissionModel) throws -> BacktestResult {
        let config = BacktestConfig(commission: commission, volumeParticipation: 0.1)
        // 250 units against 100 per bar: three fills (100, 100, 50) at 10, 11 and 12.
        let bars: [(Double, Double, Double, Double)] = [(10, 10, 10, 10), (10, 10, 10, 10), (11, 11, 11, 11),
                                                        (12, 12, 12, 12), (12, 12, 12, 12)]
        return try run(daily(bars, volume: 1_000), config: config) { ctx in
            if ctx.step == 0 { ctx.buy(0, .units(250)) }
        }
    }

    @Test func aFixedFeeIsChargedOnceForAnOrderFilledInParts() throws {
        let r = try partialRun(CommissionModel(fixed: 5))
        #expect(r.fills.map(\.quantity) == [100, 100, 50])
        #expect(r.fills.map(\.commission) == [5, 0, 0])
        #expect(r.orders[0].commission == 5 && r.totalCommission == 5)
    }

    @Test func theMinimumAppliesToTheOrdersTotal() throws {
        // 0.005 per share with a 2.00 minimum: 250 shares owe 1.25, so the order pays the minimum once.
        let r = try partialRun(CommissionModel(perShare: 0.005, minimum: 2))
        #expect(r.fills.map(\.commission) == [2, 0, 0])
        // Per-share fees above the minimum: 100 shares owe 2 (the minimum), 200 owe 4, 250 owe 5.
        let big = try partialRun(CommissionModel(perShare: 0.02, minimum: 2))
        #expect(abs(big.fills.map(\.commission).reduce(0, +) - 5) < 1e-12)
        #expect(big.fills.map(\.commission).map { ($0 * 1e6).rounded() / 1e6 } == [2, 2, 1])
    }

    @Test func theMaximumCapsTheOrdersTotal() throws {
        // 1 % of value capped at 20: 1000 + 1100 + 600 = 2700 traded owe 27, the cap keeps 20 for the order.
        let r = try partialRun(CommissionModel(percent: 0.01, maximum: 20))
        #expect(r.fills.map(\.commission).map { ($0 * 1e9).rounded() / 1e9 } == [10, 10, 0])
        #expect(abs(r.totalCommission - 20) < 1e-12)
    }

    @Test func aReplacedOrderDoesNotPayTheFixedFeeAgain() throws {
        let config = BacktestConfig(commission: CommissionModel(fixed: 5), volumeParticipation: 0.1)
        var first: OrderID = -1
        let r = try run(daily(flat(10, 6), volume: 1_000), config: config) { ctx in
            if ctx.step == 0 { first = ctx.buy(0, .units(250)) }
            // After the first partial fill (100 at bar 1), amend the rest to a limit far above the market.
            if ctx.step == 1 { ctx.replace(first, type: .limit(20)) }
        }
        #expect(r.fills.map(\.quantity) == [100, 100, 50])
        #expect(r.fills.map(\.commission) == [5, 0, 0])
        #expect(r.totalCommission == 5)
    }

    @Test func proportionalCommissionIsChargedFillByFill() throws {
        // No fixed fee, minimum or maximum: each partial fill pays exactly its own commission.
        let m = CommissionModel(perShare: 0.013, percent: 0.0007)
        let r = try partialRun(m)
        #expect(r.fills.map(\.commission) == r.fills.map { m.commission(quantity: $0.quantity, price: $0.price) })
    }

    @Test func aNegativeMaximumPercentIsRefused() throws {
        var config = BacktestConfig()
        config.commission.maximumPercent = -0.01
        #expect(throws: BacktestError.self) { try config.validate() }
        config.commission.maximumPercent = .nan
        #expect(throws: BacktestError.self) { try config.validate() }
    }

    @Test func aSingleFillPaysTheModelsCommission() throws {
        let m = CommissionModel(perShare: 0.01, percent: 0.001, fixed: 1, minimum: 3, maximum: 50)
        let r = try run(daily(flat(10, 3)), config: BacktestConfig(commission: m)) { ctx in
            if ctx.step == 0 { ctx.buy(0, .units(400)) }
        }
        #expect(r.fills.map(\.commission) == [m.commission(quantity: 400, price: 10)])
    }
}
