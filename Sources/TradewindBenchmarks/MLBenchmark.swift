import Foundation
import TradewindML

/// The ML benchmark: the universal BiGRU's training samples/s (Adam, batch 64) and inference samples/s
/// (batch 256, no tape) against PyTorch CPU and TensorFlow CPU on the same model shapes and synthetic data,
/// all at one thread count, plus single-precision GEMM GFLOP/s against the machine's estimated peak. The
/// peers run as `python3` subprocesses (`Scripts/bench/ml_universal_bigru_{torch,tensorflow}.py`, from the
/// repository root) one after the other, never beside Tradewind.
public enum MLBenchmark {
    public struct Configuration: Sendable {
        public var threads = 2
        public var trainSteps = 20
        public var inferenceRuns = 10
        public var peers = true
        public var torchScript = "Scripts/bench/ml_universal_bigru_torch.py"
        public var tensorflowScript = "Scripts/bench/ml_universal_bigru_tensorflow.py"
        public init() {}
    }

    /// One system's figures (nil where it could not run).
    public struct Row: Sendable {
        public let name: String
        public let training: Double?
        public let inference: Double?
        public let gemm: Double?
        public let note: String?
    }

    public struct Report: Sendable {
        public let configuration: Configuration
        public let rows: [Row]
        public let peak: (gflops: Double, basis: String)?
    }

    public static func run(_ c: Configuration, log: (String) -> Void = { _ in }) throws -> Report {
        BLASThreads.set(c.threads)
        log("tradewind: \(c.trainSteps) training steps, \(c.inferenceRuns) inference runs, \(c.threads) thread(s)")
        let f = try ThroughputProbe.universalBiGRU(trainSteps: c.trainSteps, inferenceRuns: c.inferenceRuns)
        var rows = [Row(name: "Tradewind (OpenBLAS \(BLASThreads.current) thr)", training: f.trainingSamplesPerSecond,
                        inference: f.inferenceSamplesPerSecond, gemm: ThroughputProbe.gemmGFLOPS(), note: nil)]
        if c.peers {
            for (name, script) in [("PyTorch CPU", c.torchScript), ("TensorFlow CPU", c.tensorflowScript)] {
                log("\(name): running \(script)")
                switch runPython(script: script, arguments: ["\(c.threads)", "\(c.trainSteps)", "\(c.inferenceRuns)"]) {
                case .success(let lines):
                    func value(_ key: String) -> Double? {
                        lines.first { $0.hasPrefix(key + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
                    }
                    let version = lines.first { $0.hasPrefix("version ") }.map { String($0.dropFirst(8)) }
                    rows.append(Row(name: name, training: value("training_samples_per_s"), inference: value("inference_samples_per_s"),
                                    gemm: value("gemm_gflops"), note: version))
                case .failure(let why):
                    rows.append(Row(name: name, training: nil, inference: nil, gemm: nil, note: "unavailable: \(why)"))
                }
            }
        }
        return Report(configuration: c, rows: rows, peak: ThroughputProbe.estimatedPeakGFLOPS(threads: c.threads))
    }

    public static func format(_ r: Report) -> String {
        func cell(_ v: Double?) -> String { v.map { String(format: "%10.1f", $0) } ?? String(repeating: " ", count: 9) + "—" }
        var out = ["Universal BiGRU (60×18 → BiGRU 128 → LN → BiGRU 64 → LN → attention pool + last → 128 → 64 → heads 3 + 1)",
                   "threads \(r.configuration.threads); training: Adam, batch 64, \(r.configuration.trainSteps) steps; inference: batch 256, \(r.configuration.inferenceRuns) runs",
                   "", "system                           train smp/s  infer smp/s   GEMM GFLOP/s  note"]
        for row in r.rows {
            out.append(row.name.padding(toLength: 32, withPad: " ", startingAt: 0) + " " + cell(row.training) + "   " + cell(row.inference)
                       + "     " + cell(row.gemm) + "  " + (row.note ?? ""))
        }
        if let tw = r.rows.first {
            out.append("")
            for peer in r.rows.dropFirst() {
                if let t = peer.training, let tt = tw.training { out.append(String(format: "training vs %@: %.2f×", peer.name, tt / t)) }
                if let i = peer.inference, let ti = tw.inference { out.append(String(format: "inference vs %@: %.2f×", peer.name, ti / i)) }
            }
            if let p = r.peak, let g = tw.gemm {
                out.append(String(format: "GEMM 1024³: %.1f GFLOP/s = %.0f%% of the estimated peak %.1f GFLOP/s (%@)", g, 100 * g / p.gflops, p.gflops, p.basis))
            }
        }
        return out.joined(separator: "\n")
    }
}
