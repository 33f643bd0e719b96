import Foundation
import TradewindCore
import TradewindData
import TradewindML
import TradewindModels

/// `tradewind bench ml-train`: full universal-model training — the AI trading server's architecture, loss (weighted
/// cross-entropy + 0.3 × Huber), Adam 5e-4, batch 64, a validation pass per epoch — on the windows of 62 symbols
/// (the bundled sp500-50 plus synthetic symbols to make 62), for a fixed number of epochs, against the same model in
/// PyTorch CPU and TensorFlow CPU trained on the same windows (written to a scratch directory as raw float32 and read
/// by `Scripts/bench/ml_train_{torch,tensorflow}.py`), one after the other at the same thread count.
public enum MLTrainBenchmark {
    public struct Configuration: Sendable {
        public var threads = 2
        public var epochs = 1
        /// The newest decision dates per symbol whose windows train and validate (the bundled data has ~20 years).
        public var days = 250
        public var symbols = 62
        public var peers = true
        public var torchScript = "Scripts/bench/ml_train_torch.py"
        public var tensorflowScript = "Scripts/bench/ml_train_tensorflow.py"
        public var directory = NSTemporaryDirectory() + "tradewind-bench-ml-train"
        public init() {}
    }

    /// One system's run (nil figures where it could not run).
    public struct Row: Sendable {
        public let name: String
        public let seconds: Double?
        public let samplesPerSecond: Double?
        /// The last epoch's mean training loss (same objective on every side).
        public let loss: Double?
        public let note: String?
    }

    public struct Report: Sendable {
        public let configuration: Configuration
        public let symbols: Int
        public let trainingWindows: Int
        public let validationWindows: Int
        public let rows: [Row]
    }

    public static func run(_ c: Configuration, log: (String) -> Void = { _ in }) throws -> Report {
        guard c.threads >= 1, c.epochs >= 1, c.days >= 100, (1...1000).contains(c.symbols) else {
            throw ModelError.invalidSetting(name: "bench ml-train", value: "threads \(c.threads), epochs \(c.epochs), days \(c.days), symbols \(c.symbols)",
                                            expected: "threads ≥ 1, epochs ≥ 1, days ≥ 100 (a training period, a 10-date purge gap and a validation period), symbols 1...1000")
        }
        BLASThreads.set(c.threads)
        let data = try market(symbols: c.symbols, days: c.days)
        let prepared = try UniversalDataset.prepare(UniversalFeatures.compute(data))
        log("tradewind: \(data.series.count) symbols, \(prepared.training.count) training and \(prepared.validation.count) validation windows, "
            + "\(c.epochs) epoch(s), \(c.threads) thread(s)")
        var settings = UniversalTrainingSettings(epochs: c.epochs)
        settings.earlyStoppingPatience = c.epochs + 1
        let start = ContinuousClock.now
        let run = try UniversalTraining.train(prepared, settings: settings)
        let seconds = seconds(since: start)
        var rows = [Row(name: "Tradewind (OpenBLAS \(BLASThreads.current) thr)", seconds: seconds,
                        samplesPerSecond: Double(c.epochs * prepared.training.count) / seconds,
                        loss: run.history.last?.trainingLoss, note: nil)]
        if c.peers {
            try FileManager.default.createDirectory(atPath: c.directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: c.directory) }
            try write(prepared, epochs: c.epochs, to: c.directory)
            for (name, script) in [("PyTorch CPU", c.torchScript), ("TensorFlow CPU", c.tensorflowScript)] {
                log("\(name): running \(script)")
                switch runPython(script: script, arguments: [c.directory, "\(c.threads)"]) {
                case .success(let lines):
                    func value(_ key: String) -> Double? {
                        lines.first { $0.hasPrefix(key + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
                    }
                    let version = lines.first { $0.hasPrefix("version ") }.map { String($0.dropFirst(8)) }
                    let s = value("seconds")
                    rows.append(Row(name: name, seconds: s, samplesPerSecond: s.map { Double(c.epochs * prepared.training.count) / $0 },
                                    loss: value("loss"), note: version))
                case .failure(let why):
                    rows.append(Row(name: name, seconds: nil, samplesPerSecond: nil, loss: nil, note: "unavailable: \(why)"))
                }
            }
        }
        return Report(configuration: c, symbols: data.series.count, trainingWindows: prepared.training.count,
                      validationWindows: prepared.validation.count, rows: rows)
    }

    /// The bundled sp500-50 plus synthetic daily symbols (seed 62) over the same dates, to `symbols` in all, each cut
    /// to the bars its newest `days` windows need.
    static func market(symbols: Int, days: Int) throws -> MarketDataset {
        var series = try DataSource(parsing: "sample:sp500-50").load(LoadOptions(zone: .newYork)).series
        series = Array(series.prefix(symbols))
        if series.count < symbols, let first = series.compactMap({ $0.time.first }).min(), let last = series.compactMap({ $0.time.last }).max() {
            let synthetic = try SyntheticMarket(seed: 62).generate(
                symbols: symbols - series.count, from: UnixTime.utcDate(of: first), to: UnixTime.utcDate(of: last), interval: .daily)
            series += synthetic.series
        }
        let keep = days + UniversalFeature.warmUp + DatasetConfiguration().window + 1
        return MarketDataset(series.map { $0.slice(max(0, $0.count - keep)..<$0.count) })
    }

    /// The training and validation windows as the peers read them: `meta.json`, and `{train,valid}_{x,y,t}.bin`
    /// (x: float32 [n, 60, 18] little-endian; y: int32 classes; t: float32 next-day % changes).
    static func write(_ p: PreparedDataset, epochs: Int, to directory: String) throws {
        func dump(_ set: WindowSet, _ name: String) throws {
            var x: [Float] = [], y: [Int32] = [], t: [Float] = []
            x.reserveCapacity(set.count * set.window * FeatureTable.width)
            for i in 0..<set.count { x.append(contentsOf: set.features(of: i)) }
            y = set.labels.map { Int32($0) }
            t = set.targets
            for (suffix, bytes) in [("x", x.withUnsafeBytes { Data($0) }), ("y", y.withUnsafeBytes { Data($0) }), ("t", t.withUnsafeBytes { Data($0) })] {
                try bytes.write(to: URL(fileURLWithPath: "\(directory)/\(name)_\(suffix).bin"))
            }
        }
        try dump(p.training, "train")
        try dump(p.validation, "valid")
        let meta: [String: Any] = ["train": p.training.count, "valid": p.validation.count, "window": p.training.window,
                                   "features": FeatureTable.width, "class_weights": p.classWeights.map(Double.init), "epochs": epochs,
                                   "batch_size": 64, "learning_rate": 5e-4, "huber_weight": 0.3]
        try JSONSerialization.data(withJSONObject: meta, options: [.sortedKeys]).write(to: URL(fileURLWithPath: directory + "/meta.json"))
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    public static func format(_ r: Report) -> String {
        func cell(_ v: Double?, _ f: String) -> String { v.map { String(format: f, $0) } ?? "—" }
        var out = ["Universal BiGRU, full training: \(r.symbols) symbols, \(r.trainingWindows) training + \(r.validationWindows) validation windows "
                   + "(60×18), \(r.configuration.epochs) epoch(s), batch 64, Adam 5e-4, CE (class-weighted) + 0.3·Huber, \(r.configuration.threads) thread(s)",
                   "", "system                           seconds   samples/s   last loss  note"]
        for row in r.rows {
            out.append(row.name.padding(toLength: 32, withPad: " ", startingAt: 0) + " "
                       + cell(row.seconds, "%7.1f").leftPadded(7) + "   " + cell(row.samplesPerSecond, "%9.1f").leftPadded(9) + "   "
                       + cell(row.loss, "%9.4f").leftPadded(9) + "  " + (row.note ?? ""))
        }
        if let tw = r.rows.first?.samplesPerSecond {
            out.append("")
            for peer in r.rows.dropFirst() { if let s = peer.samplesPerSecond { out.append(String(format: "training vs %@: %.2f×", peer.name, tw / s)) } }
        }
        return out.joined(separator: "\n")
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
