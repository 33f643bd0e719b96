import Foundation
import TradewindCore

/// Measures the universal BiGRU's training and inference throughput, and GEMM speed, on synthetic data.
public enum ThroughputProbe {
    /// Samples per second and the figures behind them.
    public struct Figures: Sendable {
        public let trainingSamplesPerSecond: Double
        public let inferenceSamplesPerSecond: Double
        /// Mean training loss of the timed steps (a sanity check that it trains).
        public let trainingLoss: Double
    }

    /// Synthetic batch of `n` samples (seeded).
    public static func syntheticBatch(_ n: Int, steps: Int, features: Int, seed: UInt64) -> UniversalBiGRU.Batch {
        var g = Xoshiro256StarStar(seed: seed)
        let x = (0..<(n * steps * features)).map { _ in Float(g.uniform(-1, 1)) }
        let labels = (0..<n).map { _ in Int(g.next() % 3) }
        let targets = (0..<n).map { _ in Float(g.uniform(-1, 1)) }
        return UniversalBiGRU.Batch(x: try! Tensor(shape: [n, steps, features], scalars: x), labels: labels,
                                    targets: try! Tensor(shape: [n], scalars: targets))
    }

    /// Times `trainSteps` Adam steps at `trainBatch` (after one warm-up step) and `inferenceRuns` forward passes
    /// at `inferenceBatch` without a tape (after one warm-up); rates come from the median step and run, which
    /// a machine shared with other jobs disturbs least.
    public static func universalBiGRU(trainBatch: Int = 64, trainSteps: Int, inferenceBatch: Int = 256, inferenceRuns: Int,
                                      steps: Int = 60, features: Int = 18, seed: UInt64 = 1) throws(MLError) -> Figures {
        let model = UniversalBiGRU(steps: steps, features: features)
        var g = Xoshiro256StarStar(seed: seed)
        var weights = model.initialWeights(generator: &g)
        var adam = Adam<Float>(learningRate: 1e-3)
        let batches = (0..<4).map { syntheticBatch(trainBatch, steps: steps, features: features, seed: seed &+ UInt64($0)) }
        func trainStep(_ i: Int) throws(MLError) -> Double {
            let pass = ForwardPass(weights: weights, differentiable: true, training: true, seed: UInt64(i))
            let batch = batches[i % batches.count]
            let loss = try model.loss(try model.outputs(batch, in: pass), batch)
            try adam.step(&weights, gradients: try pass.gradients(of: loss))
            return Double(loss.value.item)
        }
        _ = try trainStep(0)
        var lossSum = 0.0
        var stepSeconds: [Double] = []
        for i in 0..<trainSteps {
            let t0 = Date()
            lossSum += try trainStep(i + 1)
            stepSeconds.append(Date().timeIntervalSince(t0))
        }
        let inferenceInput = syntheticBatch(inferenceBatch, steps: steps, features: features, seed: seed &+ 99)
        func infer() throws(MLError) { _ = try model.outputs(inferenceInput, in: ForwardPass(weights: weights, differentiable: false, training: false)) }
        try infer()
        var runSeconds: [Double] = []
        for _ in 0..<inferenceRuns {
            let t1 = Date()
            try infer()
            runSeconds.append(Date().timeIntervalSince(t1))
        }
        return Figures(trainingSamplesPerSecond: Double(trainBatch) / median(stepSeconds),
                       inferenceSamplesPerSecond: Double(inferenceBatch) / median(runSeconds),
                       trainingLoss: lossSum / Double(max(trainSteps, 1)))
    }

    static func median(_ v: [Double]) -> Double {
        let s = v.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    /// GFLOP/s of an n×n×n single-precision GEMM through the current backend (best of `runs`).
    public static func gemmGFLOPS(n: Int = 1024, runs: Int = 5) -> Double {
        var g = Xoshiro256StarStar(seed: 3)
        let a = (0..<(n * n)).map { _ in Float(g.uniform(-1, 1)) }, b = a
        var best = Double.infinity
        for _ in 0..<runs {
            let t = Date()
            _ = GEMM.run(a, b, batch: 1, m: n, n: n, k: n, transA: false, transB: false, bBatched: false)
            best = min(best, Date().timeIntervalSince(t))
        }
        return 2 * Double(n) * Double(n) * Double(n) / best / 1e9
    }

    /// The machine's single-precision peak GFLOP/s for `threads` cores, estimated from /proc/cpuinfo: clock ×
    /// FLOPs per cycle (64 with AVX-512 FMA, 32 with AVX2 FMA, 8 otherwise; two FMA units assumed). Nil when
    /// the clock cannot be read.
    public static func estimatedPeakGFLOPS(threads: Int) -> (gflops: Double, basis: String)? {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return nil }
        let lines = info.split(separator: "\n")
        guard let mhzLine = lines.first(where: { $0.hasPrefix("cpu MHz") }),
              let mhz = Double(mhzLine.split(separator: ":").last?.trimmingCharacters(in: .whitespaces) ?? "") else { return nil }
        let flags = lines.first(where: { $0.hasPrefix("flags") }).map(String.init) ?? ""
        let perCycle: Double, isa: String
        if flags.contains(" avx512f") { perCycle = 64; isa = "AVX-512 FMA" }
        else if flags.contains(" avx2") && flags.contains(" fma") { perCycle = 32; isa = "AVX2 FMA" }
        else { perCycle = 8; isa = "SSE" }
        return (mhz / 1000 * perCycle * Double(threads), "\(threads) core(s) × \(String(format: "%.2f", mhz / 1000)) GHz × \(Int(perCycle)) FLOP/cycle (\(isa))")
    }
}
