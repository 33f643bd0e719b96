import Foundation

/// One TA-Lib golden fixture file (Tests/Fixtures/indicators/*.txt, written by
/// Scripts/fixtures/gen_indicator_fixtures.py): input columns plus TA-Lib's outputs per function and parameters.
struct GoldenSeries {
    struct Case {
        var function: String
        var parameters: [String: Double]
        var outputs: [(name: String, values: [Double])]
        /// TA-Lib refused the parameters.
        var refused: Bool
    }

    var name: String
    var inputs: [String: [Double]]
    var cases: [Case]

    static let directory: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.lastPathComponent != "Tests" { url.deleteLastPathComponent() }
        return url.appendingPathComponent("Fixtures/indicators")
    }()

    static let all: [GoldenSeries] = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".txt") }.sorted().map { load(directory.appendingPathComponent($0)) }
    }()

    static func parseRow(_ text: Substring) -> [Double] {
        text.split(separator: ",", omittingEmptySubsequences: false).map { $0.isEmpty ? .nan : Double($0)! }
    }

    static func load(_ url: URL) -> GoldenSeries {
        let text = try! String(contentsOf: url, encoding: .utf8)
        var series = GoldenSeries(name: url.deletingPathExtension().lastPathComponent, inputs: [:], cases: [])
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
            switch parts[0] {
            case "input":
                series.inputs[String(parts[1])] = parseRow(parts.count > 2 ? parts[2] : "")
            case "case":
                var params: [String: Double] = [:]
                if parts.count > 2 && parts[2] != "-" {
                    for kv in parts[2].split(separator: ";") {
                        let pair = kv.split(separator: "=")
                        params[String(pair[0])] = Double(pair[1])!
                    }
                }
                series.cases.append(Case(function: String(parts[1]), parameters: params, outputs: [], refused: false))
            case "output":
                series.cases[series.cases.count - 1].outputs.append((String(parts[1]), parseRow(parts.count > 2 ? parts[2] : "")))
            case "error":
                series.cases[series.cases.count - 1].refused = true
            default:
                break
            }
        }
        return series
    }

    var count: Int { inputs["close"]!.count }

    /// The input columns a descriptor reads, from this fixture. `sessions: false` puts every bar in one session
    /// (TA-Lib's VWAP never resets).
    func columns(for inputs: [(name: String, column: String)], sessions: Bool = true) -> [[Double]] {
        inputs.map { input in
            switch input.column {
            case "session": sessions ? self.inputs["session"]! : [Double](repeating: 0, count: count)
            case "periods": (0..<count).map { Double(1 + ($0 * 7) % 35) }
            default: self.inputs[input.column]!
            }
        }
    }
}

/// TA-Lib parity: |ours − TA-Lib| ≤ 1e-9·|TA-Lib| (relative), or, near zero, ≤ 1e-9·scale where scale is the
/// largest |value| of that output over the series (absolute in the output's own units, so it means the same on
/// prices of 1e-9 and of 1e12).
func matches(_ ours: Double, _ expected: Double, scale: Double) -> Bool {
    if expected.isNaN { return ours.isNaN }
    if ours.isNaN { return false }
    if ours == expected { return true }
    let diff = abs(ours - expected)
    return diff <= 1e-9 * abs(expected) || diff <= 1e-9 * scale
}
