import Foundation
import TradewindCore

/// What the hand-written JSON writers' tests compare against: JSONEncoder's text, and numbers of every magnitude.
public enum EncoderFixtures {
    /// JSONEncoder's text of `value` with sorted keys (the writers promise these bytes).
    public static func sortedKeysText<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Prices, quantities and returns of every magnitude the engine gives: integral, tiny, huge, negative.
    public static func number(_ rng: inout SplitMix64) -> Double {
        let base = Double(rng.next() % 2_000_001) / 1000 - 1000
        switch rng.next() % 6 {
        case 0: return base.rounded()
        case 1: return base * 1e-9
        case 2: return base * 1e12
        case 3: return Double(rng.next() % 1_000_000) / 7
        case 4: return -0.0
        default: return base
        }
    }
}
