import Testing
import TradewindIndicators
import TradewindCore
import TradewindData
import TradewindStrategies

/// `SMACrossKernel.evaluate` against a per-bar reference pass (the kernel's original formulation: two `CrossAbove`
/// detectors, a pending next-open order, the metrics updated on every bar), compared with `==`, not a tolerance:
/// the kernel's segment-by-segment pass must give the very same bits.
@Suite struct SMACrossKernelBitExactnessTests {
    struct Reference {
        var finalEquity: Double, trades: Int, wins: Int, sharpe: Double, maxDrawdown: Double
    }

    /// The reference: every bar through the detectors, the pending order and the metrics.
    static func referenceRun(_ series: BarSeries, fast fw: Int, slow sw: Int, initialCash: Double,
                             costs: KernelCosts) -> (Reference, [KernelTrade]) {
        let n = series.count
        var cumsum = [Double](repeating: 0, count: n)
        var acc = 0.0
        for i in 0..<n { acc += series.close[i]; cumsum[i] = acc }
        func mean(_ w: Int) -> [Double] {
            (0..<n).map { i in i + 1 < w ? .nan : i + 1 == w ? cumsum[i] / Double(w) : (cumsum[i] - cumsum[i - w]) / Double(w) }
        }
        let fast = mean(fw), slow = mean(sw), open = series.open, close = series.close
        let c = costs.commission, buyF = 1 + costs.slippageBps / 10_000, sellF = 1 - costs.slippageBps / 10_000
        var above = CrossAbove(), below = CrossAbove()
        var cash = initialCash, q = 0.0, entryPrice = 0.0, entryBar = -1
        var pendingBuy = false, pendingSell = false
        var before = initialCash, peak = initialCash, mdd = 0.0, sum = 0.0, sumSquares = 0.0
        var trades = 0, wins = 0
        var list: [KernelTrade] = []
        for i in 0..<n {
            if pendingBuy {
                let price = open[i] * buyF
                let qty = KernelSizing.quantity(cash: cash, initialCash: initialCash, compound: true, entry: price, commission: c)!
                if qty > 0 {
                    cash = cash - (qty * price + (qty * price) * c)
                    q = qty; entryPrice = price; entryBar = i
                }
                pendingBuy = false
            } else if pendingSell {
                let price = open[i] * sellF
                cash = cash - ((-q) * price + (q * price) * c)
                trades += 1
                if price * (1 - c) > entryPrice * (1 + c) { wins += 1 }
                list.append(KernelTrade(entryBar: entryBar, exitBar: i, entryPrice: entryPrice, exitPrice: price,
                                        quantity: q, reason: .signal))
                q = 0
                pendingSell = false
            }
            let up = above.update(fast[i], slow[i])
            let down = below.update(slow[i], fast[i])
            if up != down && i + 1 < n {
                if up && q == 0 { pendingBuy = true } else if down && q > 0 { pendingSell = true }
            }
            let e = cash + q * close[i]
            let r = e / before - 1
            sum += r
            sumSquares += r * r
            peak = max(peak, e)
            mdd = min(mdd, e / peak - 1)
            before = e
        }
        let m = Reference(finalEquity: before, trades: trades, wins: wins,
                          sharpe: KernelStatistics.sharpe(sum: sum, sumSquares: sumSquares, count: n), maxDrawdown: mdd)
        return (m, list)
    }

    /// Compares every pair bit for bit, with and without recorded trades; returns the number of trades seen.
    static func compare(_ series: BarSeries, _ pairs: [SMACrossKernel.Pair], costs: KernelCosts,
                        initialCash: Double = 100_000) throws -> Int {
        let recorded = try SMACrossKernel.evaluate(series: series, pairs: pairs, initialCash: initialCash, costs: costs,
                                                   recordTrades: true)
        let plain = try SMACrossKernel.evaluate(series: series, pairs: pairs, initialCash: initialCash, costs: costs)
        var trades = 0
        for (k, p) in pairs.enumerated() {
            let (m, list) = referenceRun(series, fast: p.fast, slow: p.slow, initialCash: initialCash, costs: costs)
            let ctx = "\(series.symbol) \(p) \(costs)"
            for result in [recorded, plain] {
                #expect(result.finalEquity[k].bitPattern == m.finalEquity.bitPattern, "\(ctx): final equity")
                #expect(result.sharpe[k].bitPattern == m.sharpe.bitPattern, "\(ctx): sharpe \(result.sharpe[k]) vs \(m.sharpe)")
                #expect(result.maxDrawdown[k].bitPattern == m.maxDrawdown.bitPattern, "\(ctx): max drawdown")
                #expect(Int(result.trades[k]) == m.trades && Int(result.wins[k]) == m.wins, "\(ctx): trades/wins")
            }
            #expect(recorded.tradeLists![k] == list, "\(ctx): trade list")
            trades += m.trades
        }
        return trades
    }

    static func randomPairs(_ rng: inout TestRandom, _ count: Int, maxFast: Int, maxSpan: Int) -> [SMACrossKernel.Pair] {
        (0..<count).map { _ in
            let fast = 1 + Int(rng.next() % UInt64(maxFast))
            return SMACrossKernel.Pair(fast: fast, slow: fast + 1 + Int(rng.next() % UInt64(maxSpan)))
        }
    }

    static let costVariants = [KernelCosts.none, KernelCosts(commission: 0.001), KernelCosts(slippageBps: 5),
                               KernelCosts(commission: 0.0025, slippageBps: 3)]

    @Test func kernelEqualsReferenceBitForBitOnAdjustedIBM() throws {
        let ibm = try DataSource(parsing: "sample:sp500-50").load(symbols: ["IBM"]).series[0].adjusted(.splitAndDividend)
        var rng = TestRandom(seed: 21)
        var trades = 0
        for costs in Self.costVariants {
            trades += try Self.compare(ibm, Self.randomPairs(&rng, 12, maxFast: 60, maxSpan: 200), costs: costs)
        }
        #expect(trades > 500)
    }

    /// Closes with long flat stretches (equal averages: the detectors' equality cases), random walks in between,
    /// series shorter than the slow window, and pairs whose cross comes on the last bar.
    @Test func kernelEqualsReferenceBitForBitOnSyntheticSeriesWithFlatStretches() throws {
        var rng = TestRandom(seed: 22)
        var trades = 0
        for length in [1, 2, 7, 40, 300, 1_200] {
            // One bar in four repeats the price, and a third of the time it is pinned.
            let s = FlatStretchSeries(start: 50, move: 0.06, keepOneIn: 4, pinnedBlock: 25, pinnedCycle: 3, pinnedPhase: 1,
                                      pinnedPrice: 40, openAtCloseOneIn: 3, openSpread: 0.01)
                .series(&rng, symbol: "SYN\(length)", length: length)
            for costs in Self.costVariants {
                let pairs = Self.randomPairs(&rng, 10, maxFast: 15, maxSpan: 30) + [.init(fast: 1, slow: 2), .init(fast: 2, slow: 3)]
                trades += try Self.compare(s, pairs, costs: costs, initialCash: length % 2 == 0 ? 100_000 : 12_345.67)
            }
        }
        #expect(trades > 300)
    }

    /// Close fills: the segment-by-segment pass (`fastCloseRun`, plain percent costs) gives the per-bar pass's
    /// (`closeRun`, taken when costs come as the engine's models) results bit for bit, trades included.
    @Test func closeFillFastPassEqualsThePerBarPassBitForBit() throws {
        let ibm = try DataSource(parsing: "sample:sp500-50").load(symbols: ["IBM"]).series[0].adjusted(.splitAndDividend)
        var rng = TestRandom(seed: 23)
        var trades = 0
        for costs in Self.costVariants {
            let pairs = Self.randomPairs(&rng, 12, maxFast: 60, maxSpan: 200) + [.init(fast: 1, slow: 2)]
            let account = KernelAccount(commission: .percentOfValue(costs.commission),
                                        slippage: costs.slippageBps > 0 ? .basisPoints(costs.slippageBps) : .none)
            let fast = try SMACrossKernel.evaluate(series: ibm, pairs: pairs, costs: costs, fillAtClose: true, recordTrades: true)
            let slow = try SMACrossKernel.evaluate(series: ibm, pairs: pairs, costs: costs, account: account, fillAtClose: true,
                                                   recordTrades: true)
            for k in pairs.indices {
                let a = fast.metrics(at: k), b = slow.metrics(at: k)
                #expect(a == b, "\(pairs[k]) \(costs): \(a) vs \(b)")
                #expect(fast.tradeLists![k] == slow.tradeLists![k], "\(pairs[k]) \(costs): trades")
                trades += a.trades
            }
        }
        #expect(trades > 500)
    }
}
