import Foundation
import TradewindCore
@testable import TradewindData

/// Paths of the repository's bundled samples and test fixtures.
enum LoaderPaths {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()
    static let samples = root + "/Sources/TradewindData/Samples"
    static let fixtures = root + "/Tests/Fixtures/loader"

    /// A fresh temporary directory for one test.
    static func tempDir() -> String {
        let dir = NSTemporaryDirectory() + "tradewind-loader-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }
}

extension CSVBarReader {
    /// Reads CSV text from memory (test helper).
    static func read(text: String, name: String = "TEST.csv", options: LoadOptions = .init()) throws(DataError) -> BarSeries {
        try read(bytes: Array(text.utf8), name: name, options: options)
    }
}

/// The `DataError` a throwing load produced, or nil when it succeeded.
func loadError(_ body: () throws(DataError) -> BarSeries) -> DataError? {
    do throws(DataError) { _ = try body(); return nil } catch { return error }
}

/// Local wall-clock `yyyy-MM-dd HH:mm` of an instant in New York.
func eastern(_ t: UnixNanos) -> String {
    let s = ISO8601.local(t, in: .newYork)
    return String(s.prefix(16)).replacingOccurrences(of: "T", with: " ")
}
