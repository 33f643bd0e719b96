import Foundation
import TradewindCore

/// Encodes a value holding symbol results with each `SymbolOptimization.objectiveByTrial` (up to 100,000 numbers a
/// symbol) written straight into the JSON bytes (`JSONNumber`) instead of through `JSONEncoder`, whose boxing of every
/// element cost more than a grid search's kernel trials. The bytes are those `encoder.encode` gives for the whole value.
///
/// The value is encoded with those arrays emptied, then the k-th `"objective_by_trial":[]` of the output is filled with
/// the k-th symbol's numbers: the encoder writes the symbols in order, and that text cannot occur inside a JSON string
/// (a quote there is escaped).
enum ObjectiveByTrialJSON {
    /// `encoder`'s JSON of `wrap(symbols)`, where `wrap` places the symbols (in order) in the encoded value.
    static func encode<Value: Encodable>(_ encoder: JSONEncoder, symbols: [SymbolOptimization],
                                         wrap: ([SymbolOptimization]) -> Value) throws -> [UInt8] {
        let emptied = symbols.map { s -> SymbolOptimization in
            var e = s
            e.objectiveByTrial = []
            return e
        }
        let bytes = [UInt8](try encoder.encode(wrap(emptied)))
        if symbols.isEmpty { return bytes }
        // Not one empty member per symbol: the encoder's own output of the whole value, never emptied arrays.
        guard let filled = fill(bytes, with: symbols.map(\.objectiveByTrial)) else { return [UInt8](try encoder.encode(wrap(symbols))) }
        return filled
    }

    static let emptyMember = Array(#""objective_by_trial":[]"#.utf8)

    /// `bytes` with the k-th empty `objective_by_trial` member holding `series[k]`; nil when the output does not hold
    /// exactly one such member per series (the caller then keeps what the encoder wrote).
    static func fill(_ bytes: [UInt8], with series: [[Double?]]) -> [UInt8]? {
        let pattern = emptyMember
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + series.reduce(0) { $0 + $1.count * 20 })
        var k = 0, i = 0, copied = 0
        let last = bytes.count - pattern.count
        while i <= last {
            if bytes[i] == pattern[0], bytes[i..<(i + pattern.count)].elementsEqual(pattern) {
                guard k < series.count else { return nil }
                out.append(contentsOf: bytes[copied..<(i + pattern.count - 1)])
                for (j, v) in series[k].enumerated() {
                    if j > 0 { out.append(UInt8(ascii: ",")) }
                    JSONNumber.write(v, into: &out)
                }
                out.append(UInt8(ascii: "]"))
                k += 1
                i += pattern.count
                copied = i
            } else {
                i += 1
            }
        }
        guard k == series.count else { return nil }
        out.append(contentsOf: bytes[copied...])
        return out
    }
}
