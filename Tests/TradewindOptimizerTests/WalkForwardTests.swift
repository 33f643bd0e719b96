import Testing
@testable import TradewindOptimizer

@Suite struct WalkForwardTests {
    func checkNoPeeking(_ folds: [WalkForwardFold], barCount n: Int, gap: Int) {
        for (i, f) in folds.enumerated() {
            #expect(f.index == i)
            #expect(!f.train.isEmpty && !f.test.isEmpty)
            #expect(f.train.lowerBound >= 0 && f.test.upperBound <= n)
            // Training ends before testing starts (with the gap): no overlap, no look-ahead.
            #expect(f.train.upperBound + gap == f.test.lowerBound)
            #expect(!f.train.overlaps(f.test))
            // No later fold's test window overlaps an earlier one, and tests are consecutive.
            if i > 0 { #expect(folds[i - 1].test.upperBound == f.test.lowerBound) }
            // A training window never includes a bar of its own or any later test window.
            for later in folds[i...] { #expect(f.train.upperBound <= later.test.lowerBound) }
        }
        #expect(folds.last?.test.upperBound == n)
    }

    @Test func rollingWindowsSlideWithFixedTrainingLength() throws {
        let spec = try WalkForwardSpec.parse("folds=5,train=252,test=63")
        let folds = try spec.windows(barCount: 1000)
        #expect(folds.count == 5)
        #expect(folds.allSatisfy { $0.train.count == 252 && $0.test.count == 63 })
        #expect(folds[0].train == 433..<685)
        #expect(folds[0].test == 685..<748)
        checkNoPeeking(folds, barCount: 1000, gap: 0)
    }

    @Test func anchoredWindowsGrowFromTheFirstUsedBar() throws {
        let spec = try WalkForwardSpec.parse("folds=4,mode=anchored,gap=5")
        let folds = try spec.windows(barCount: 1003)
        // test = (1003 - 5) / 5 = 199; train = 1003 - 5 - 4·199 = 202.
        #expect(folds.map(\.test.count) == [199, 199, 199, 199])
        #expect(folds[0].train == 0..<202)
        #expect(folds[3].train == 0..<(202 + 3 * 199))
        checkNoPeeking(folds, barCount: 1003, gap: 5)
    }

    @Test func everyCombinationOfLengthsCoversTheDataWithoutPeeking() throws {
        for n in [50, 97, 500] {
            for f in 1...6 {
                for mode in WalkForwardMode.allCases {
                    for gap in [0, 3] {
                        let specs = [WalkForwardSpec(folds: f, mode: mode, gap: gap),
                                     WalkForwardSpec(folds: f, test: n / (f + 2), mode: mode, gap: gap),
                                     WalkForwardSpec(folds: f, train: n / 3, mode: mode, gap: gap),
                                     WalkForwardSpec(train: n / 4, test: n / 10, mode: mode, gap: gap)]
                        for s in specs {
                            guard let folds = try? s.windows(barCount: n) else { continue }
                            checkNoPeeking(folds, barCount: n, gap: gap)
                        }
                    }
                }
            }
        }
    }

    @Test func impossibleRequestsAreErrors() {
        #expect(throws: OptimizerError.self) { try WalkForwardSpec.parse("folds=5,train=252,test=63").windows(barCount: 500) }
        #expect(throws: OptimizerError.self) { try WalkForwardSpec.parse("train=252").windows(barCount: 500) }
        #expect(throws: OptimizerError.self) { try WalkForwardSpec.parse("folds=0") }
        #expect(throws: OptimizerError.self) { try WalkForwardSpec.parse("folds=3,folds=4") }
        #expect(throws: OptimizerError.self) { try WalkForwardSpec.parse("folds=3,mode=sideways") }
        #expect(throws: OptimizerError.self) { try WalkForwardSpec.parse("fold=3") }
        #expect(throws: OptimizerError.self) { try WalkForwardSpec(folds: 10).windows(barCount: 10) }
    }

    @Test func inSampleSplitByDateAndFraction() throws {
        let times: [Int64] = [100, 200, 300, 400, 500]
        let s = try SampleSplit.at(300, times: times)
        #expect(s.inSample == 0..<2 && s.outOfSample == 2..<5)
        let t = try SampleSplit.at(250, times: times)
        #expect(t.inSample == 0..<2)
        #expect(throws: OptimizerError.self) { try SampleSplit.at(50, times: times) }
        #expect(throws: OptimizerError.self) { try SampleSplit.at(600, times: times) }
        let f = try SampleSplit.fraction(0.7, barCount: 10)
        #expect(f.inSample == 0..<7 && f.outOfSample == 7..<10)
        #expect(throws: OptimizerError.self) { try SampleSplit.fraction(1, barCount: 10) }
    }
}
