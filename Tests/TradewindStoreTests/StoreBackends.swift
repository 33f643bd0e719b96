import Foundation
import Testing
import TradewindStore

/// The backends every store test runs on. PostgreSQL is required, never skipped: the URL comes from
/// `TRADEWIND_TEST_POSTGRES_URL` (`.ci/run` sets it); when unset, `Scripts/start-test-postgres.sh` starts a local
/// cluster, and when that fails the tests fail saying so.
enum StoreBackend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgresql

    var testDescription: String { rawValue }

    /// A fresh, migrated, empty store on this backend (its own SQLite file, or its own PostgreSQL schema).
    func makeStore() async throws -> SQLStore {
        switch self {
        case .sqlite:
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tw-store-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            return try await SQLStore.open(dir.appendingPathComponent("store.sqlite").path)
        case .postgresql:
            let base = try TestPostgres.url()
            let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
            return try await SQLStore.open(base + (base.contains("?") ? "&" : "?") + "schema=\(schema)")
        }
    }
}

/// Finds the test PostgreSQL server.
enum TestPostgres {
    static let lock = NSLock()
    nonisolated(unsafe) static var cached: String?

    struct Missing: Error, CustomStringConvertible {
        var description: String
    }

    static func url() throws -> String {
        lock.lock()
        defer { lock.unlock() }
        if let cached { return cached }
        if let url = ProcessInfo.processInfo.environment["TRADEWIND_TEST_POSTGRES_URL"], !url.isEmpty {
            cached = url
            return url
        }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Scripts/start-test-postgres.sh").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script]
        let pipe = Pipe()
        process.standardOutput = pipe
        do {
            try process.run()
        } catch {
            throw Missing(description: "TRADEWIND_TEST_POSTGRES_URL is not set and \(script) could not run: \(error)")
        }
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        // Polled, bounded: `waitUntilExit` (a run loop) was seen never to return here, hanging the whole suite.
        let deadline = Date().addingTimeInterval(120)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        guard !process.isRunning else {
            process.terminate()
            throw Missing(description: "TRADEWIND_TEST_POSTGRES_URL is not set and \(script) did not end within 120 s")
        }
        let url = out.split(separator: "\n").last.map(String.init) ?? ""
        guard process.terminationStatus == 0, url.hasPrefix("postgres://") else {
            throw Missing(description: """
                TRADEWIND_TEST_POSTGRES_URL is not set and \(script) failed (status \(process.terminationStatus)): \
                install Debian's postgresql package or set the URL of a PostgreSQL server
                """)
        }
        cached = url
        return url
    }
}
