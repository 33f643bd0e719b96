import TradewindCore

/// A dataset ready to train on: the two sides of the split, the scaler fit on the training side's period, and
/// the class weights of the training labels.
public struct PreparedDataset: Sendable {
    public let training: WindowSet
    public let validation: WindowSet
    public let scaler: FeatureScaler
    public let classWeights: [Float]
    public let configuration: DatasetConfiguration
    /// The last date the scaler and the training samples read.
    public let trainingEnd: UnixNanos
}

/// Builds the universal model's windows across any number of symbols.
public enum UniversalDataset {
    /// Labels every window that has a next bar, splits them as `configuration.split` says, fits the scaler on
    /// the training period only and computes balanced class weights from the training labels.
    public static func prepare(_ tables: [FeatureTable], configuration: DatasetConfiguration = DatasetConfiguration()) throws(ModelError) -> PreparedDataset {
        try configuration.validate()
        let c = configuration
        let candidates = samples(tables, window: c.window, outcomeRequired: true)
        guard candidates.count >= 2 else {
            throw .notEnoughData(detail: "\(candidates.count) labelled windows; each symbol needs more than \(UniversalFeature.warmUp + c.window) bars")
        }
        func time(_ s: WindowSample) -> UnixNanos { tables[s.symbol].time[s.row] }
        let trainingSamples: [WindowSample], validationSamples: [WindowSample]
        switch c.split {
        case let .time(gap):
            let dates = Array(Set(candidates.map(time))).sorted()
            let cut = Int(Double(dates.count) * (1 - c.validationFraction))
            guard cut >= 1, cut + gap < dates.count else {
                throw .notEnoughData(detail: "\(dates.count) dates cannot hold a training period, a \(gap)-date purge gap and a validation period")
            }
            let lastTraining = dates[cut - 1], validationStart = dates[cut + gap]
            trainingSamples = candidates.filter { s in
                time(s) <= lastTraining && tables[s.symbol].time[s.row + 1] < validationStart
            }
            validationSamples = candidates.filter { time($0) >= validationStart }
        case let .randomPermutation(seed):
            var generator = Xoshiro256StarStar(seed: seed)
            let shuffled = candidates.shuffled(using: &generator)
            let cut = Int(Double(shuffled.count) * (1 - c.validationFraction))
            guard cut >= 1, cut < shuffled.count else { throw .notEnoughData(detail: "\(shuffled.count) samples cannot be split") }
            trainingSamples = Array(shuffled[..<cut])
            validationSamples = Array(shuffled[cut...])
        }
        guard let trainingEnd = trainingSamples.map(time).max() else { throw .notEnoughData(detail: "no training samples") }
        let scaler = try FeatureScaler.fit(tables, through: trainingEnd, clip: c.clip)
        let training = windowSet(tables, scaler: scaler, samples: trainingSamples, configuration: c)
        return PreparedDataset(training: training, validation: windowSet(tables, scaler: scaler, samples: validationSamples, configuration: c),
                               scaler: scaler, classWeights: Direction.balancedWeights(training.labels), configuration: c,
                               trainingEnd: trainingEnd)
    }

    /// Every window of `tables` ending at or after `from` (all when nil), scaled by a fitted `scaler`, with
    /// outcomes where the next bar is known (only those windows with `outcomeRequired`): what `ml predict`,
    /// `ml evaluate` and the strategies feed the model.
    public static func windows(_ tables: [FeatureTable], scaler: FeatureScaler, configuration: DatasetConfiguration = DatasetConfiguration(),
                               from: UnixNanos? = nil, outcomeRequired: Bool = false) -> WindowSet {
        let all = samples(tables, window: configuration.window, outcomeRequired: outcomeRequired)
        let chosen = from.map { start in all.filter { tables[$0.symbol].time[$0.row] >= start } } ?? all
        return windowSet(tables, scaler: scaler, samples: chosen, configuration: configuration)
    }

    /// Windows whose bars all have features, in symbol then time order; with `outcomeRequired`, only those with a
    /// next bar.
    static func samples(_ tables: [FeatureTable], window: Int, outcomeRequired: Bool) -> [WindowSample] {
        var out: [WindowSample] = []
        for (s, t) in tables.enumerated() {
            let first = UniversalFeature.warmUp + window - 1
            let end = outcomeRequired ? t.count - 1 : t.count
            if first < end { out += (first..<end).map { WindowSample(symbol: s, row: $0) } }
        }
        return out
    }

    static func windowSet(_ tables: [FeatureTable], scaler: FeatureScaler, samples: [WindowSample], configuration c: DatasetConfiguration) -> WindowSet {
        // Scale only the symbols the samples use, up to the last bar a sample reads.
        var lastRow = [Int](repeating: -1, count: tables.count)
        for s in samples { lastRow[s.symbol] = max(lastRow[s.symbol], s.row) }
        let scaled = tables.enumerated().map { (i, t) -> [Float] in
            lastRow[i] < 0 ? [] : scaler.transform(t, rows: lastRow[i] + 1)
        }
        var labels: [Int] = [], targets: [Float] = []
        labels.reserveCapacity(samples.count)
        targets.reserveCapacity(samples.count)
        for s in samples {
            let close = tables[s.symbol].close
            if s.row + 1 < close.count {
                let change = (close[s.row + 1] / close[s.row] - 1) * 100
                labels.append(Direction(change: change, threshold: c.labelThreshold).rawValue)
                targets.append(Float(change))
            } else {
                labels.append(Direction.neutral.rawValue)
                targets.append(0)
            }
        }
        return WindowSet(symbols: tables.map(\.symbol), times: tables.map(\.time), scaled: scaled, window: c.window,
                         samples: samples, labels: labels, targets: targets)
    }
}
