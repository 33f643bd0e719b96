import Testing
import TradewindCore
import TradewindData
import TradewindStrategies

/// `compound = false` invests the initial capital each trade (commission on top), or all the cash when less remains,
/// in the engine (`OrderSize.notionalOrAvailable`) and in the kernels (`KernelSizing`) alike.
@Suite struct IntradaySizingTests {
    static let cash = IntradayRuns.cash

    @Test(arguments: [KernelCosts.none, KernelCosts(commission: 0.001, slippageBps: 2)])
    func compoundFalseStillTradesAfterALossWithTheCashItHas(_ costs: KernelCosts) throws {
        // C = 100, then three sessions entering at the level on the 10:00 bar (buy_trigger 1 %, target 50 % never hit):
        // a loss (101 → 95), a gain (95.95 → 105) that lifts the cash above the initial 10 000, and a third trade.
        let s = IntradayRuns.series([
            IntradayRuns.session(0, price: 100),
            IntradayRuns.session(1, price: 95, bars: [1000: (100, 101.5, 99, 100)]),
            IntradayRuns.session(2, price: 105, bars: [1000: (95, 96, 94, 95)]),
            IntradayRuns.session(3, price: 106.05, bars: [1000: (105, 106.5, 104, 106)]),
        ])
        let p = IntradayParameters(buyTrigger: 1, sellTrigger: 50, compound: false)
        let t = try IntradayRuns.compare(.momentum, p, s, costs: costs, label: "compound=false")
        #expect(t.count == 3)
        guard t.count == 3 else { return }
        let c = costs.commission
        // Shares worth the initial cash when the cash pays for them and the commission on top, else all the cash buys.
        func expected(cash: Double, price: Double) -> Double {
            cash >= Self.cash * (1 + c) ? Self.cash / price : cash / (1 + c) / price
        }
        // 1: the initial cash (with a commission the cash cannot pay for it on top: all of it); 2: after the loss all the
        // cash there is; 3: after the gain the cash covers the initial cash and its commission again.
        var cash = Self.cash
        for (k, x) in t.enumerated() {
            #expect(relativeDifference(x.quantity, expected(cash: cash, price: x.entryPrice)) < 1e-12, "trade \(k + 1)")
            cash = KernelSizing.cashAfter(cash: cash, quantity: x.quantity, entry: x.entryPrice, exit: x.exitPrice, commission: c)
            if k == 0 { #expect(cash < Self.cash) }
            if k == 1 { #expect(cash > Self.cash * (1 + c)) }
        }
        #expect(relativeDifference(t[2].quantity, Self.cash / t[2].entryPrice) < 1e-12)
    }

    /// Sizing never decides whether a single-symbol trade happens: on 60 sessions of random-walk minutes (losses
    /// included) compound=false trades exactly when compound=true does, in the engine and in the kernel. (It used to
    /// skip every trade once equity fell below the initial capital.)
    @Test func compoundFalseTradesInEverySessionCompoundTrueDoes() throws {
        let series = try SyntheticMinuteBars.generate(symbol: "SYN", seed: 60, from: CivilDate(year: 2019, month: 10, day: 1)!,
                                                      to: CivilDate(year: 2019, month: 12, day: 31)!, minuteVolatility: 0.0012)
        #expect(try IntradaySessionData(series: series).sessions.sessionCount >= 60)
        let costs = KernelCosts(commission: 0.0005, slippageBps: 1)
        for trigger in [-0.4, 0.2] {
            let compounding = IntradayParameters(buyTrigger: trigger, sellTrigger: 0.3, stopLoss: 0.3)
            var fixed = compounding
            fixed.compound = false
            let a = try IntradayRuns.compare(.momentum, compounding, series, costs: costs, label: "compound")
            let b = try IntradayRuns.compare(.momentum, fixed, series, costs: costs, label: "fixed stake")
            #expect(a.count > 25)
            #expect(a.map(\.entryBar) == b.map(\.entryBar) && a.map(\.exitBar) == b.map(\.exitBar))
            // Many of the fixed-stake trades start with less cash than the initial capital: those the old sizing skipped.
            var cash = Self.cash, short = 0
            for x in b {
                if cash < Self.cash { short += 1 }
                cash = KernelSizing.cashAfter(cash: cash, quantity: x.quantity, entry: x.entryPrice, exit: x.exitPrice,
                                              commission: costs.commission)
            }
            #expect(short > 5, "trigger \(trigger): \(short) trades with less than the initial cash")
        }
    }
}
