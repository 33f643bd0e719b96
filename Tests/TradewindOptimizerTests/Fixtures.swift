import Foundation

/// Loads `Tests/Fixtures/optimizer/<name>` as a decoded value.
func loadFixture<T: Decodable>(_ name: String, as type: T.Type) throws -> T {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    let url = root.appendingPathComponent("Fixtures/optimizer/\(name)")
    return try JSONDecoder().decode(T.self, from: Data(contentsOf: url))
}

func close(_ a: Double, _ b: Double, rel: Double = 1e-9, abs absTol: Double = 1e-12) -> Bool {
    abs(a - b) <= max(absTol, rel * max(abs(a), abs(b)))
}
