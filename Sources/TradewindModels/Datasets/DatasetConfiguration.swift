/// How samples are divided into training and validation.
public enum SplitMethod: Sendable, Equatable, Codable {
    /// By time (the default): the earliest dates train, the latest validate, and `purgeGap` dates between them
    /// belong to neither; a training sample whose next-day outcome falls in or after the validation period is
    /// dropped too. Nothing of the validation period reaches training.
    case time(purgeGap: Int)
    /// The AI trading server's split: every symbol's samples pooled, shuffled with `seed`, then cut. Windows of
    /// the same dates land on both sides and the scaler sees the future: it leaks, and is here to show by how much.
    case randomPermutation(seed: UInt64)
}

/// The universal dataset's settings; the defaults are the AI trading server's.
public struct DatasetConfiguration: Sendable, Equatable, Codable {
    /// Bars per window (60).
    public var window: Int
    /// The next-day change, in %, beyond which a sample is UP or DOWN (0.4).
    public var labelThreshold: Double
    /// The share of dates (time split) or samples (random split) that validate (0.15).
    public var validationFraction: Double
    public var split: SplitMethod
    /// z-scores are clipped at ±`clip` σ (5).
    public var clip: Double

    public init(window: Int = 60, labelThreshold: Double = 0.4, validationFraction: Double = 0.15,
                split: SplitMethod = .time(purgeGap: 10), clip: Double = 5) {
        self.window = window
        self.labelThreshold = labelThreshold
        self.validationFraction = validationFraction
        self.split = split
        self.clip = clip
    }

    func validate() throws(ModelError) {
        guard (1...1000).contains(window) else { throw .invalidSetting(name: "window", value: "\(window)", expected: "1...1000 bars") }
        guard labelThreshold.isFinite && labelThreshold >= 0 else {
            throw .invalidSetting(name: "labelThreshold", value: "\(labelThreshold)", expected: "a finite percentage ≥ 0")
        }
        guard validationFraction > 0 && validationFraction < 1 else {
            throw .invalidSetting(name: "validationFraction", value: "\(validationFraction)", expected: "strictly between 0 and 1")
        }
        guard clip.isFinite && clip > 0 else { throw .invalidSetting(name: "clip", value: "\(clip)", expected: "a finite σ > 0") }
        if case let .time(gap) = split, gap < 0 {
            throw .invalidSetting(name: "purgeGap", value: "\(gap)", expected: "≥ 0 dates")
        }
    }
}
