import Testing
import Foundation
@testable import TradewindOptimizer

struct ParzenFixture: Decodable {
    struct Case: Decodable {
        let observations: [String: [Double]]
        let points: [String: [Double]]
        let joint: [Double]
        let marginal: [String: [Double]]
    }
    let cases: [Case]
}

@Suite struct ParzenEstimatorTests {
    /// Working scale: n as a level index (n − 2), x as is, lr as its logarithm, kind as an index.
    static let dims: [TPEDimension] = [
        .numeric(low: -0.5, high: 98.5, discrete: true, levels: 99),
        .numeric(low: -5, high: 5, discrete: false, levels: 0),
        .numeric(low: log(1e-4), high: log(1.0), discrete: false, levels: 0),
        .categorical(count: 3),
    ]

    static func working(_ m: [String: [Double]], _ i: Int) -> [Double] {
        [m["n"]![i] - 2, m["x"]![i], log(m["lr"]![i]), m["kind"]![i]]
    }

    @Test func densitiesMatchOptunasParzenEstimator() throws {
        let fx = try loadFixture("tpe_parzen.json", as: ParzenFixture.self)
        for c in fx.cases {
            let obs = (0..<c.observations["n"]!.count).map { Self.working(c.observations, $0) }
            let pe = ParzenEstimator(observations: obs, dims: Self.dims, priorWeight: 1, considerMagicClip: true, considerEndpoints: false)
            let pts = (0..<c.points["n"]!.count).map { Self.working(c.points, $0) }
            let fast = pe.jointLogDensities(pts)
            for (j, p) in pts.enumerated() {
                #expect(close(pe.jointLogPdf(p), c.joint[j], rel: 1e-9), "joint \(j) with \(obs.count) observations")
                #expect(close(fast[j], c.joint[j], rel: 1e-9), "joint (linear) \(j) with \(obs.count) observations")
            }
            for (d, name) in ["n", "x", "lr", "kind"].enumerated() {
                let m = pe.marginalLogDensities(dimension: d, values: pts.map { $0[d] })
                for j in pts.indices {
                    #expect(close(m[j], c.marginal[name]![j], rel: 1e-9), "\(name) \(j) with \(obs.count) observations")
                    #expect(close(pe.marginalLogPdf(dimension: d, pts[j][d]), c.marginal[name]![j], rel: 1e-9))
                }
            }
        }
    }

    /// The fused density loops must give exactly the sums of `kernelTable`'s entries, with or without cached tables.
    @Test func fusedDensitiesEqualKernelTableProductsBitForBit() throws {
        let fx = try loadFixture("tpe_parzen.json", as: ParzenFixture.self)
        var cache = TailCache()
        for c in fx.cases {
            let obs = (0..<c.observations["n"]!.count).map { Self.working(c.observations, $0) }
            for seeded in [false, true] {
                let pe = ParzenEstimator(observations: obs, dims: Self.dims, priorWeight: 1, considerMagicClip: true,
                                         considerEndpoints: false, tailCache: seeded ? cache : nil)
                cache.absorb(pe)
                let pts = (0..<c.points["n"]!.count).map { Self.working(c.points, $0) }
                let tables = Self.dims.indices.map { d in pe.kernelTable(dimension: d, values: pts.map { $0[d] }) }
                let K = pe.kernelCount
                let joint = pe.jointLogDensities(pts)
                for j in pts.indices {
                    var prod = pe.logWeights.map { exp($0) }
                    for d in Self.dims.indices { for k in 0..<K { prod[k] *= tables[d][j * K + k] } }
                    #expect(joint[j] == log(prod.reduce(0, +)), "joint \(j), seeded \(seeded)")
                }
                for d in Self.dims.indices {
                    let m = pe.marginalLogDensities(dimension: d, values: pts.map { $0[d] })
                    for j in pts.indices {
                        var s = 0.0
                        for k in 0..<K { s += exp(pe.logWeights[k]) * tables[d][j * K + k] }
                        #expect(m[j] == log(s), "marginal \(d) \(j), seeded \(seeded)")
                    }
                }
            }
        }
        #expect(!cache.entries.isEmpty)
    }

    @Test func levelOrderIsAscendingWithTiesByIndex() {
        var state: UInt64 = 12345
        func next(_ bound: Int) -> Int {  // deterministic LCG draws in 0...bound
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound + 1))
        }
        for trial in 0..<200 {
            let n = next(300)
            let top = [3, 50, 5000][trial % 3]
            let values = (0..<n).map { _ in Double(next(top)) }
            let expected = values.indices.sorted { values[$0] < values[$1] || (values[$0] == values[$1] && $0 < $1) }
            #expect(ParzenEstimator.ascendingOrder(values, integral: true) == expected)
        }
    }

    @Test func samplesStayInsideTheirDomains() {
        var rng = SamplerRandom(seed: 5)
        let obs = (0..<40).map { _ in [Double(rng.index(99)), rng.unitInterval() * 10 - 5, log(1e-4) * rng.unitInterval(), Double(rng.index(3))] }
        let pe = ParzenEstimator(observations: obs, dims: Self.dims, priorWeight: 1, considerMagicClip: true, considerEndpoints: false)
        for _ in 0..<2000 {
            let k = pe.drawKernel(&rng)
            #expect(k >= 0 && k < 41)
            let n = pe.sample(dimension: 0, kernel: k, &rng)
            #expect(n == n.rounded() && n >= 0 && n <= 98)
            let x = pe.sample(dimension: 1, kernel: k, &rng)
            #expect(x >= -5 && x <= 5)
            let c = pe.sample(dimension: 3, kernel: k, &rng)
            #expect([0, 1, 2].contains(c))
        }
    }

    @Test func weightsFollowOptunasDefault() {
        #expect(ParzenEstimator.defaultWeights(0).isEmpty)
        #expect(ParzenEstimator.defaultWeights(24) == [Double](repeating: 1, count: 24))
        let w = ParzenEstimator.defaultWeights(30)
        #expect(w.count == 30)
        #expect(close(w[0], 1.0 / 30) && close(w[4], 1) && w[5...].allSatisfy { $0 == 1 })
        #expect(close(w[2], 1.0 / 30 + (1 - 1.0 / 30) * 0.5))
        #expect(TPEConfiguration().goodCount(200) == 20)
        #expect(TPEConfiguration().goodCount(1000) == 25)
        #expect(TPEConfiguration().goodCount(11) == 2)
    }
}
