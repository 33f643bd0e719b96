import Testing
@testable import TradewindModels

/// `ml-topk`'s and `ml-signal`'s rules on their own, with chosen scores and probabilities.
@Suite struct MLStrategyRulesTests {
    static let topK = MLTopKRules(k: 2, maxPositions: 2, minProbability: 0.4, minHold: 5, cooldown: 10)

    static func candidates(_ scores: [Double], pUp: Double = 0.5) -> [MLTopKRules.Candidate] {
        scores.enumerated().map { MLTopKRules.Candidate(symbol: $0.offset, pUp: pUp, score: $0.element) }
    }

    @Test func topKMinimumHoldKeepsANameThatFellOutOfTheTopK() {
        var holdings = Array(repeating: MLTopKRules.Holding(), count: 4)
        holdings[3] = .init(held: true, enteredAt: 8)
        // Symbol 3 ranks last; held 2 bars of 5, it is kept, and the cap of 2 leaves room for one entry.
        let young = Self.topK.decide(bar: 10, candidates: Self.candidates([0.3, 0.2, 0.1, -0.2]), holdings: holdings)
        #expect(young.ranked == [0, 1, 2, 3])
        #expect(young.exits.isEmpty && young.kept == [3] && young.entries == [0])
        // Held 5 bars: sold, and the target is bought in full.
        let old = Self.topK.decide(bar: 13, candidates: Self.candidates([0.3, 0.2, 0.1, -0.2]), holdings: holdings)
        #expect(old.exits == [3] && old.kept.isEmpty && old.entries == [0, 1])
        // max_positions above k: the kept name and the whole target.
        var wider = Self.topK
        wider.maxPositions = 3
        #expect(wider.decide(bar: 10, candidates: Self.candidates([0.3, 0.2, 0.1, -0.2]), holdings: holdings).held == [3, 0, 1])
    }

    @Test func topKCooldownForbidsReentryForItsBars() {
        // Decisions every 5 bars; sold at bar 10 with a cooldown of 10 bars (2 intervals).
        var holdings = Array(repeating: MLTopKRules.Holding(), count: 3)
        holdings[0].exitedAt = 10
        let scores = Self.candidates([0.9, 0.2, 0.1])
        for bar in [10, 15] {
            let d = Self.topK.decide(bar: bar, candidates: scores, holdings: holdings)
            #expect(!d.ranked.contains(0) && d.entries == [1, 2], "bar \(bar)")
        }
        #expect(Self.topK.decide(bar: 20, candidates: scores, holdings: holdings).entries == [0, 1])
        // A held name is never barred by its own earlier sale.
        holdings[0] = .init(held: true, enteredAt: 12, exitedAt: 10)
        #expect(Self.topK.decide(bar: 15, candidates: scores, holdings: holdings).held == [0, 1])
    }

    @Test func topKNamesBelowTheMinimumProbabilityAreNotBoughtAndHeldOnesAreSold() {
        var holdings = Array(repeating: MLTopKRules.Holding(), count: 3)
        let low = [MLTopKRules.Candidate(symbol: 0, pUp: 0.39, score: 0.9), .init(symbol: 1, pUp: 0.4, score: 0.1),
                   .init(symbol: 2, pUp: 0.2, score: 0.5)]
        let d = Self.topK.decide(bar: 0, candidates: low, holdings: holdings)
        #expect(d.ranked == [1] && d.entries == [1])
        holdings[0] = .init(held: true, enteredAt: 0)
        #expect(Self.topK.decide(bar: 5, candidates: low, holdings: holdings).exits == [0])
    }

    @Test func topKTiesRankTheEarlierSymbolFirst() {
        let d = Self.topK.decide(bar: 0, candidates: Array(Self.candidates([0.1, 0.3, 0.3]).reversed()),
                                 holdings: Array(repeating: .init(), count: 3))
        #expect(d.ranked == [1, 2, 0])
    }

    @Test func topKHoldingsAreEqualWeightAfterARebalance() {
        let gaps = MLTopKRules.rebalance(equity: 90, values: [60, 20, 0], priced: [true, true, true], tolerance: 0.05)
        let after = zip([60.0, 20, 0], gaps).map { $0 + $1 }
        #expect(after.allSatisfy { abs($0 - 30) < 1e-12 })
        // Within the tolerance (|value − 30| ≤ 1.5): left alone; a name to buy is always bought.
        #expect(MLTopKRules.rebalance(equity: 90, values: [31.5, 28.6, 0], priced: [true, true, true], tolerance: 0.05) == [0, 0, 30])
        #expect(MLTopKRules.rebalance(equity: 90, values: [31.6, 28.4, 0], priced: [true, true, true], tolerance: 0.05).map { $0 == 0 } == [false, false, false])
        // A position without a bar now is neither valued nor traded.
        #expect(MLTopKRules.rebalance(equity: 90, values: [60, 20, 0], priced: [false, true, true], tolerance: 0)[0] == 0)
    }

    @Test func topKANameKeptOnlyByItsMinimumHoldIsTrimmedButNeverToppedUp() {
        var holdings = Array(repeating: MLTopKRules.Holding(), count: 4)
        holdings[3] = .init(held: true, enteredAt: 8)
        var rules = Self.topK
        rules.maxPositions = 3
        // Symbol 3 fell out of the target (0, 1) at bar 10 but is kept by its minimum hold.
        let d = rules.decide(bar: 10, candidates: Self.candidates([0.3, 0.2, 0.1, -0.2]), holdings: holdings)
        #expect(d.target == [0, 1] && d.held == [3, 0, 1] && d.mayAdd == [false, true, true])
        // Below its equal weight (10 of 30): left as it is, while the target names are bought to 30.
        #expect(MLTopKRules.rebalance(equity: 90, values: [10, 0, 0], priced: [true, true, true], mayAdd: d.mayAdd, tolerance: 0)
            == [0, 30, 30])
        // Above it (50 of 30): sold down to it, like any held name.
        #expect(MLTopKRules.rebalance(equity: 90, values: [50, 0, 0], priced: [true, true, true], mayAdd: d.mayAdd, tolerance: 0)
            == [-20, 30, 30])
    }

    static let signal = MLSignalRules(threshold: 0.6, exitThreshold: 0.5, stop: 0.1, expiry: 3)

    @Test func signalExpiresAfterItsExpiryBars() {
        // It fires while P(DOWN) bars the entry; valid on its bar and the next two.
        var (age, action) = Self.signal.decide(pUp: 0.6, pDown: 0.5, age: nil, held: false, close: 10, entry: 0)
        #expect(age == 0 && action == .hold)
        (age, action) = Self.signal.decide(pUp: 0.3, pDown: 0.5, age: age, held: false, close: 10, entry: 0)
        #expect(age == 1 && action == .hold)
        let third = Self.signal.decide(pUp: 0.3, pDown: 0.2, age: age, held: false, close: 10, entry: 0)
        #expect(third.age == nil && third.action == .buy, "the third bar acts on it, and spends it")
        (age, action) = Self.signal.decide(pUp: 0.3, pDown: 0.5, age: age, held: false, close: 10, entry: 0)
        #expect(age == 2 && action == .hold)
        let fourth = Self.signal.decide(pUp: 0.3, pDown: 0.2, age: age, held: false, close: 10, entry: 0)
        #expect(fourth.age == nil && fourth.action == .hold, "expired after 3 bars")
        // expiry 1: only the bar it fired on.
        var once = Self.signal
        once.expiry = 1
        let expired = once.decide(pUp: 0.3, pDown: 0.2, age: 0, held: false, close: 10, entry: 0)
        #expect(expired.age == nil && expired.action == .hold)
    }

    @Test func signalStopExitsAPositionAtTheStopBelowItsEntry() {
        #expect(Self.signal.decide(pUp: 0.9, pDown: 0, age: nil, held: true, close: 90, entry: 100).action == .stop)
        #expect(Self.signal.decide(pUp: 0.9, pDown: 0, age: nil, held: true, close: 90.01, entry: 100).action == .hold)
        var none = Self.signal
        none.stop = 0
        #expect(none.decide(pUp: 0.9, pDown: 0, age: nil, held: true, close: 1, entry: 100).action == .hold)
    }

    @Test func signalExitsOnPDown() {
        #expect(Self.signal.decide(pUp: 0.1, pDown: 0.5, age: nil, held: true, close: 100, entry: 100).action == .exit)
        #expect(Self.signal.decide(pUp: 0.1, pDown: 0.49, age: nil, held: true, close: 100, entry: 100).action == .hold)
        // P(DOWN) at the exit threshold also bars an entry on a fresh signal.
        #expect(Self.signal.decide(pUp: 0.7, pDown: 0.5, age: nil, held: false, close: 100, entry: 100).action == .hold)
        #expect(Self.signal.decide(pUp: 0.7, pDown: 0.2, age: nil, held: false, close: 100, entry: 100).action == .buy)
    }
}
