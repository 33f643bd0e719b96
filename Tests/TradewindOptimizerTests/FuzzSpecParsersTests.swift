import Foundation
import Testing
import TradewindTestSupport
import TradewindCore
import TradewindData
@testable import TradewindOptimizer

/// The optimizer's text parsers (grid specs, constraints, walk-forward specs, objectives, resume files) given
/// random and mutated input return a value or throw a typed error with a message: never a trap, never a hang.
/// Seeded, so a failure reproduces.
@Suite(.timeLimit(.minutes(1))) struct FuzzSpecParsersTests {
    static let validSpecs = [
        "fast=5:50:5", "slow=20:200:10", "x=0:1:0.1", "x=-0.25:0.25:0.05", "n=1:10", "r=0.5:2.5", "p=log:1:1000",
        "p=log:2:200:12", "q=log:0.01:1:5", "mode=worst,path", "k=1,2,3", "v=1.5", "name=text", "big=1e3:2e3:1e2",
        "z=-9007199254740991:9007199254740991:9007199254740991", "t=0.000000000000001:0.00000000000001:0.000000000000001",
    ]

    @Test func gridSpecsParseOrThrowAndRoundTrip() {
        var fuzz = FuzzInput(seed: 0x5EC5)
        var parsed = 0
        for i in 0..<6000 {
            let text: String
            switch i % 3 {
            case 0: text = fuzz.mutate(fuzz.pick(Self.validSpecs))
            case 1: text = "p=" + fuzz.text(maxCount: 24, alphabet: "0123456789.:,-+eElog")
            default: text = fuzz.text(maxCount: 40, alphabet: "abcxyz_=0123456789.:,-+eE ")
            }
            do throws(OptimizerError) {
                let d = try ParameterSpecParser.parse(text)
                parsed += 1
                // Stepped ranges, choices and fixed values print a spec that parses back to the same levels (a
                // stepped range's stop prints as its last level, so its scale may shrink: `5:50.1:5` → `5.0:50.0:5.0`).
                switch d.domain {
                case .stepped:
                    let again = try? ParameterSpecParser.parse(d.spec)
                    #expect(again?.levelCount == d.levelCount, "\(text) → \(d.spec)")
                    if let again, let n = d.levelCount {
                        for k in [0, n / 3, n - 1] { #expect(again.value(Double(k)) == d.value(Double(k)), "\(text) → \(d.spec)") }
                    }
                case .choices, .fixed:
                    #expect((try? ParameterSpecParser.parse(d.spec)) == d, "\(text) → \(d.spec)")
                case .continuous, .levels: break
                }
                if let n = d.levelCount, n > 0 {
                    // Every level's value is readable, and a level's value maps back to its coordinate.
                    for k in [0, n / 2, n - 1] {
                        let v = d.value(Double(k))
                        _ = d.numericValue(Double(k))
                        if case .stepped = d.domain { #expect(d.coordinate(of: v) == Double(k), "\(text) level \(k)") }
                    }
                }
            } catch {
                #expect(!error.description.isEmpty)
            }
        }
        #expect(parsed > 300)
    }

    @Test func exactDecimalsRoundTripThroughTheirDescription() {
        var fuzz = FuzzInput(seed: 0xDEC1)
        var parsed = 0
        for i in 0..<8000 {
            let text = i % 2 == 0 ? fuzz.text(maxCount: 30, alphabet: "0123456789.-+eE")
                                  : fuzz.mutate(fuzz.pick(["0.1", "-12.5e-3", "9007199254740991", "1e15", "123.456"]))
            guard let d = ExactDecimal(text) else { continue }
            parsed += 1
            #expect(ExactDecimal(d.description) == d, "\(text) → \(d.description)")
            #expect(d.doubleValue.isFinite)
            _ = d.rescaled(to: ExactDecimal.maxScale)
        }
        #expect(parsed > 500)
        for x in [Double.nan, .infinity, -.infinity, .greatestFiniteMagnitude, .leastNonzeroMagnitude, 1e300, -0.0] {
            _ = ExactDecimal(x)
        }
    }

    @Test func constraintExpressionsParseOrThrowAndEvaluate() throws {
        let space = try ParameterSpecParser.parse(["fast=2:100:1", "slow=log:2:400:9", "w=0.5:3:0.5", "c=1,2.5,4", "mode=a,b", "fixed=3"])
        let valid = ["fast<slow", "slow >= 2*fast", "(fast + 2) * 2 <= slow - -1 and fast != 3 || slow == 100",
                     "w >= c/2", "((fast < 10) or (slow > 50)) && fast*3 < slow", "-(-(fast)) < fixed + 1e3"]
        var fuzz = FuzzInput(seed: 0xC0C0)
        var compiled = 0
        var coordinates = [Double](repeating: 0, count: space.count)
        for i in 0..<3000 {
            let text: String
            switch i % 10 {
            case 0: text = String(repeating: fuzz.pick(["(", "-", "((", "(-"]), count: fuzz.below(2000)) + "fast" +
                String(repeating: fuzz.pick([")", "+1", "*fast", ""]), count: fuzz.below(2000)) + fuzz.pick(["<slow", "", ")<1"])
            case 1...4: text = fuzz.text(maxCount: 40, alphabet: "fastslowwcmode ()<>=!&|+-*/0123456789.e")
            default: text = fuzz.mutate(fuzz.pick(valid))
            }
            do throws(OptimizerError) {
                let c = try ConstraintExpression(text, space: space)
                compiled += 1
                for k in 0..<20 {
                    space.gridCoordinatesAllowingContinuous(k &* 7919, into: &coordinates)
                    _ = c.isSatisfied(ParameterPoint(coordinates: coordinates))
                }
            } catch {
                #expect(!error.description.isEmpty)
            }
        }
        #expect(compiled > 100)
    }

    @Test func walkForwardSpecsParseOrThrowAndWindowsStayInsideTheData() {
        let valid = ["folds=5,train=252,test=63", "folds=4,mode=anchored,gap=5", "train=100,test=10,mode=rolling", "folds=1"]
        var fuzz = FuzzInput(seed: 0x3A1C)
        var windows = 0
        for i in 0..<6000 {
            let text = i % 2 == 0 ? fuzz.mutate(fuzz.pick(valid))
                                  : fuzz.text(maxCount: 40, alphabet: "foldstrainestmodegap=,0123456789-")
            let spec: WalkForwardSpec
            do throws(OptimizerError) { spec = try WalkForwardSpec.parse(text) } catch {
                #expect(!error.description.isEmpty)
                continue
            }
            for n in [0, 2, 97, 1000, fuzz.below(100_000)] {
                do throws(OptimizerError) {
                    let folds = try spec.windows(barCount: n)
                    windows += 1
                    for f in folds {
                        #expect(f.train.lowerBound >= 0 && f.test.upperBound <= n && !f.train.isEmpty && !f.test.isEmpty)
                        #expect(f.train.upperBound + spec.gap == f.test.lowerBound)
                    }
                } catch {
                    #expect(!error.description.isEmpty)
                }
            }
        }
        #expect(windows > 50)
        // Extreme lengths given directly (not through text) are errors too, not overflows.
        for (f, tr, te, gap) in [(Int.max, nil, nil, 0), (Int.max, Int.max, nil, Int.max), (nil, Int.max, Int.max, Int.max),
                                 (Int.max, nil, Int.max, 0), (2, Int.max / 2, Int.max / 2, 5)] as [(Int?, Int?, Int?, Int)] {
            for n in [2, 1000, Int.max] {
                _ = try? WalkForwardSpec(folds: f, train: tr, test: te, gap: gap).windows(barCount: n)
            }
        }
    }

    @Test func objectivesParseOrThrowAndRoundTrip() {
        var fuzz = FuzzInput(seed: 0x0B1E)
        for i in 0..<3000 {
            let text = i % 2 == 0 ? fuzz.mutate(fuzz.pick(OptimizationMetric.allCases.map(\.rawValue) + ["-max_drawdown"]))
                                  : fuzz.text(maxCount: 16, alphabet: "-_sharpemaxdrowntcg")
            do throws(OptimizerError) {
                let o = try Objective.parse(text)
                #expect(try Objective.parse(o.description) == o)
            } catch {
                #expect(!error.description.isEmpty)
            }
        }
    }

    @Test func resumeFilesLoadOrThrowAndKeepTheirShape() throws {
        // A real job file (one symbol, walk-forward validation, so every section is present), then mutations of it.
        let job = try smaJob(["fast=2:10:4", "slow=20:40:20"], settings: SearchSettings(method: .grid, topK: 2),
                             validation: .walkForward(WalkForwardSpec(folds: 2)))
        let path = scratchFile("fuzz-job.jsonl")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let file = JobFile(path: path, key: "fuzz job")
        _ = try JobRunner.run(job, series: [try spy(300)], jobFile: file)
        let valid = try String(contentsOfFile: path, encoding: .utf8)
        #expect(try file.load(parameterOrder: job.space.names).count == 1)
        var fuzz = FuzzInput(seed: 0x70B5)
        var loaded = 0
        for i in 0..<400 {
            let text: [UInt8]
            switch i % 4 {
            case 0: text = fuzz.bytes(maxCount: 300)
            case 1: text = Array(valid.utf8.prefix(fuzz.below(valid.utf8.count + 1)))
            default: text = fuzz.mutate(Array(valid.utf8))
            }
            _ = FileManager.default.createFile(atPath: path, contents: Data(text))
            do {
                let symbols = try file.load(parameterOrder: job.space.names)
                loaded += 1
                for s in symbols {
                    if let v = s.validation { #expect(v.stitchedEquity.count == v.stitchedTimes.count) }
                }
            } catch {
                #expect(!"\(error)".isEmpty)
            }
        }
        #expect(loaded > 10)
    }

    @Test func inputsThatUsedToTrapAreErrors() throws {
        // abs(Int.min) in the exponent check.
        #expect(ExactDecimal("1e-9223372036854775808") == nil)
        #expect(throws: OptimizerError.self) { try ParameterSpecParser.parse("x=1e-9223372036854775808:1:1") }
        #expect(ExactDecimal("25e-1") == ExactDecimal("2.50"))
        // Walk-forward lengths whose sums and products overflowed.
        for text in ["folds=9223372036854775807", "folds=9223372036854775807,test=9223372036854775807",
                     "train=9223372036854775807,test=9223372036854775807,gap=9223372036854775807",
                     "folds=2,train=4611686018427387903,test=4611686018427387903"] {
            #expect(throws: OptimizerError.self) { try WalkForwardSpec.parse(text).windows(barCount: 1000) }
        }
        // Constraints deep or long enough to exhaust the stack when parsed or evaluated.
        let space = try ParameterSpecParser.parse(["fast=2:100:1", "slow=2:100:1"])
        #expect(throws: OptimizerError.self) { try ConstraintExpression(String(repeating: "(", count: 100_000) + "fast<slow", space: space) }
        #expect(throws: OptimizerError.self) { try ConstraintExpression(String(repeating: "-", count: 100_000) + "fast<slow", space: space) }
        #expect(throws: OptimizerError.self) {
            try ConstraintExpression(Array(repeating: "fast", count: 100_000).joined(separator: "+") + "<slow", space: space)
        }
        // --auto-bounds on prices that never move (zero width: log10(0) → Int(-inf)) or that jump by 10^300 (a step
        // of 10^300 overflowed Int64).
        let day = UnixTime.nanosPerDay
        for (low, high) in [(100.0, 100.0), (1e-300, 1e300)] {
            let n = 40
            let flat = BarSeries(symbol: "FLAT", interval: .daily, time: (0..<n).map { Int64($0) * day },
                                 open: Array(repeating: low, count: n), high: (0..<n).map { $0 % 2 == 0 ? low : high },
                                 low: Array(repeating: low, count: n), close: Array(repeating: low, count: n),
                                 volume: Array(repeating: 1, count: n))
            #expect(throws: OptimizerError.self) { try VolatilityBounds(series: flat, parameter: "trigger") }
        }
        #expect(VolatilityBounds.niceStep(0) == nil && VolatilityBounds.niceStep(.infinity) == nil && VolatilityBounds.niceStep(1e300) == nil)
        #expect(try ConstraintExpression(String(repeating: "(", count: 60) + "fast" + String(repeating: ")", count: 60) + "<slow",
                                         space: space).isSatisfied(ParameterPoint(coordinates: [0, 1])))
    }

    @Test func aResumeFileWhoseStitchedListsDisagreeIsRefused() throws {
        let job = try smaJob(["fast=2:10:4", "slow=20:40:20"], settings: SearchSettings(method: .grid, topK: 2),
                             validation: .walkForward(WalkForwardSpec(folds: 2)))
        let path = scratchFile("stitched-job.jsonl")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let file = JobFile(path: path, key: "stitched job")
        _ = try JobRunner.run(job, series: [try spy(300)], jobFile: file)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        var symbol = try #require(try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as? [String: Any])
        var validation = try #require(symbol["validation"] as? [String: Any])
        validation["stitched_times"] = (validation["stitched_times"] as? [String] ?? []) + ["9999-12-31T00:00:00Z"]
        symbol["validation"] = validation
        let edited = String(decoding: try JSONSerialization.data(withJSONObject: symbol), as: UTF8.self)
        try (lines[0] + "\n" + edited + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: OptimizerError.self) { try file.load(parameterOrder: job.space.names) }
        // A symbol given twice (results are keyed by symbol).
        let s = try spy(100)
        #expect(throws: OptimizerError.invalidArgument(name: "series", value: s.symbol, valid: "each symbol once")) {
            try JobRunner.run(job, series: [s, s])
        }
    }

    @Test func searchValuesParseToTheirDescription() {
        var fuzz = FuzzInput(seed: 0x5EA7)
        for _ in 0..<4000 {
            let v = SearchValue.parse(fuzz.text(maxCount: 30, alphabet: "0123456789.-+eEab"))
            if case .string = v { continue }
            #expect(SearchValue.parse(v.description).numeric == v.numeric)
        }
    }
}

extension ParameterSpace {
    /// Coordinates of grid point `index` (wrapped to the grid's size), continuous dimensions at their middle.
    func gridCoordinatesAllowingContinuous(_ index: Int, into coordinates: inout [Double]) {
        var rest = index.magnitude
        for (i, d) in dimensions.enumerated().reversed() {
            if let n = d.levelCount {
                coordinates[i] = Double(rest % UInt(n))
                rest /= UInt(n)
            } else if case let .continuous(low, high, _) = d.domain {
                coordinates[i] = (low + high) / 2
            }
        }
    }
}
