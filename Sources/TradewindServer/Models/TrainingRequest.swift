import Foundation
import TradewindModels
import TradewindStore

/// A training job as `POST /api/jobs` (`"kind": "training"`) and `POST /api/train-all` take it: the `ml train`
/// and `ml update` options, same defaults (the AI trading server's) and checks. Fields are snake_case; unknown
/// fields are refused.
public struct TrainingRequest: Sendable, Codable, Equatable {
    /// `full` trains from fresh weights (`ml train`); `incremental` fine-tunes the active version on the newest
    /// dates (`ml update`).
    public enum Mode: String, Sendable, Codable { case full, incremental }

    /// The registry name of the model (default `universal`).
    public var name: String = "universal"
    /// Market data: `sample:NAME` or a path under the server's home (default `sample:sp500-50`).
    public var data: String = "sample:sp500-50"
    /// Symbols (default: every symbol of the data).
    public var symbols: [String]?
    public var mode: Mode = .full
    public var epochs: Int = 80
    public var batchSize: Int = 64
    public var seed: UInt64 = 42
    /// Layer widths: BiGRU 1, BiGRU 2, attention, dense 1, dense 2.
    public var widths: [Int] = [128, 64, 64, 128, 64]
    /// Dates left out between training and validation.
    public var purgeGap: Int = 10
    /// Newest dates an incremental update fine-tunes on.
    public var updateWindow: Int = 60
    /// The validation gate: deploy when the candidate's validation accuracy ≥ this × the active version's.
    public var performanceThreshold: Double = 0.95
    /// Versions kept (the GPU trading system's `max_versions`).
    public var keep: Int = 7
    /// Before training, score the active version against the one it replaced on the data after both training
    /// ranges and roll back when it is worse than `performance_threshold` × the older one (`AutomaticRollback`);
    /// what the server's continual-learning schedule asks for.
    public var automaticRollback = false
    /// When the server's continual-learning schedule planned this step (nanoseconds since 1970, UTC); nil for a
    /// job a client asked for (the routes drop a client's value). After a restart, the schedule reads it to tell which
    /// steps already ran.
    public var scheduledFor: Int64?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, data, symbols, mode, epochs, seed, widths, keep
        case batchSize = "batch_size", purgeGap = "purge_gap", updateWindow = "update_window"
        case performanceThreshold = "performance_threshold", automaticRollback = "automatic_rollback"
        case scheduledFor = "scheduled_for"
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        try rejectUnknownKeys(decoder, allowed: CodingKeys.allCases.map(\.rawValue))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? name
        data = try c.decodeIfPresent(String.self, forKey: .data) ?? data
        symbols = try c.decodeIfPresent([String].self, forKey: .symbols)
        if let text = try c.decodeIfPresent(String.self, forKey: .mode) {
            guard let m = Mode(rawValue: text) else { throw APIError.badRequest("mode '\(text)': expected full or incremental", field: "mode") }
            mode = m
        }
        epochs = try c.decodeIfPresent(Int.self, forKey: .epochs) ?? epochs
        batchSize = try c.decodeIfPresent(Int.self, forKey: .batchSize) ?? batchSize
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? seed
        widths = try c.decodeIfPresent([Int].self, forKey: .widths) ?? widths
        purgeGap = try c.decodeIfPresent(Int.self, forKey: .purgeGap) ?? purgeGap
        updateWindow = try c.decodeIfPresent(Int.self, forKey: .updateWindow) ?? updateWindow
        performanceThreshold = try c.decodeIfPresent(Double.self, forKey: .performanceThreshold) ?? performanceThreshold
        keep = try c.decodeIfPresent(Int.self, forKey: .keep) ?? keep
        automaticRollback = try c.decodeIfPresent(Bool.self, forKey: .automaticRollback) ?? automaticRollback
        scheduledFor = try c.decodeIfPresent(Int64.self, forKey: .scheduledFor)
        try validate()
    }

    /// Checks every field, naming the first one out of range.
    public func validate() throws {
        func bad(_ field: String, _ value: String, _ valid: String) -> APIError {
            APIError.badRequest("\(field) \(value): expected \(valid)", field: field)
        }
        guard StoredModelVersion.isValidName(name) else { throw bad("name", "'\(name)'", StoredModelVersion.nameRule) }
        if let symbols, symbols.isEmpty || symbols.count > 10_000 || symbols.contains(where: { $0.isEmpty || $0.count > 32 }) {
            throw bad("symbols", "\(symbols.count) symbols", "1 to 10,000 symbols of 1 to 32 characters, or omitted for all")
        }
        let limits = UniversalTrainingSettings.self
        guard limits.epochRange.contains(epochs) else { throw bad("epochs", "\(epochs)", "\(limits.epochRange)") }
        guard limits.batchSizeRange.contains(batchSize) else { throw bad("batch_size", "\(batchSize)", "\(limits.batchSizeRange)") }
        guard widths.count == 5, widths.allSatisfy({ limits.layerWidthRange.contains($0) }) else {
            throw bad("widths", "\(widths)", "five layer widths of \(limits.layerWidthRange) units")
        }
        guard (0...1000).contains(purgeGap) else { throw bad("purge_gap", "\(purgeGap)", "0...1000 dates") }
        guard (1...100_000).contains(updateWindow) else { throw bad("update_window", "\(updateWindow)", "1...100000 dates") }
        guard performanceThreshold.isFinite, (0...2).contains(performanceThreshold) else {
            throw bad("performance_threshold", "\(performanceThreshold)", "0...2")
        }
        guard (1...1000).contains(keep) else { throw bad("keep", "\(keep)", "1...1000 versions") }
    }

    /// The training settings these options describe.
    var settings: UniversalTrainingSettings {
        UniversalTrainingSettings(
            epochs: epochs, batchSize: batchSize, seed: seed,
            architecture: .init(firstRecurrent: widths[0], secondRecurrent: widths[1], attentionUnits: widths[2],
                                firstDense: widths[3], secondDense: widths[4]))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(data, forKey: .data)
        try c.encodeIfPresent(symbols, forKey: .symbols)
        try c.encode(mode, forKey: .mode)
        try c.encode(epochs, forKey: .epochs)
        try c.encode(batchSize, forKey: .batchSize)
        try c.encode(seed, forKey: .seed)
        try c.encode(widths, forKey: .widths)
        try c.encode(purgeGap, forKey: .purgeGap)
        try c.encode(updateWindow, forKey: .updateWindow)
        try c.encode(performanceThreshold, forKey: .performanceThreshold)
        try c.encode(keep, forKey: .keep)
        // Written only when set, so a client's request reads back as it always has.
        if automaticRollback { try c.encode(automaticRollback, forKey: .automaticRollback) }
        try c.encodeIfPresent(scheduledFor, forKey: .scheduledFor)
    }
}
