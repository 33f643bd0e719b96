/// The class a sample's next-day return falls in, as the class head's index.
public enum Direction: Int, CaseIterable, Sendable, Codable {
    case down = 0, neutral = 1, up = 2

    /// The class of a next-day change of `percent` %: UP above `threshold`, DOWN below −`threshold`, NEUTRAL
    /// otherwise (the AI trading server's ±0.4 %).
    public init(change percent: Double, threshold: Double) {
        self = percent > threshold ? .up : (percent < -threshold ? .down : .neutral)
    }

    public var name: String {
        switch self {
        case .down: "DOWN"
        case .neutral: "NEUTRAL"
        case .up: "UP"
        }
    }

    /// Keras's "balanced" class weights, n / (classes · countᵢ), from the training labels; a class absent from
    /// them gets 0 (it never appears in the loss).
    public static func balancedWeights(_ labels: [Int]) -> [Float] {
        var counts = [Int](repeating: 0, count: allCases.count)
        for y in labels { counts[y] += 1 }
        return counts.map { $0 == 0 ? 0 : Float(Double(labels.count) / Double(allCases.count * $0)) }
    }
}
