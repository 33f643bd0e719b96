import Foundation

/// Prints an HTML file to PDF, or takes a PNG screenshot of it, with a headless Chromium found on
/// the machine (Debian's `chromium` package, `chromium-browser`, or Google Chrome).
public struct ChromiumRenderer: Sendable {
    /// Executable names looked for on `PATH`, in order.
    public static let candidateNames = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]

    /// The browser binary.
    public let executable: String
    /// How long one run may take before it is stopped.
    public var timeoutSeconds: Double

    public init(executable: String, timeoutSeconds: Double = 90) {
        self.executable = executable
        self.timeoutSeconds = timeoutSeconds
    }

    /// The browser named by `TRADEWIND_CHROMIUM`, else the first candidate on `PATH`; `nil` when none.
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        let fm = FileManager.default
        if let explicit = environment["TRADEWIND_CHROMIUM"], !explicit.isEmpty, fm.isExecutableFile(atPath: explicit) { return explicit }
        let dirs = (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":").map(String.init)
        for name in candidateNames {
            for d in dirs where !d.isEmpty {
                let path = d + "/" + name
                if fm.isExecutableFile(atPath: path) { return path }
            }
        }
        return nil
    }

    /// A renderer for the browser `locate` finds, or `ReportError.chromiumNotFound` saying how to install one.
    public static func find(environment: [String: String] = ProcessInfo.processInfo.environment,
                            timeoutSeconds: Double = 90) throws(ReportError) -> ChromiumRenderer {
        guard let path = locate(environment: environment) else { throw .chromiumNotFound(searched: candidateNames) }
        return ChromiumRenderer(executable: path, timeoutSeconds: timeoutSeconds)
    }

    /// Prints the HTML file at `htmlPath` to `pdfPath` (A4/Letter per the browser default, backgrounds on,
    /// no header or footer).
    public func printPDF(html htmlPath: String, to pdfPath: String) throws(ReportError) {
        try run(htmlPath, output: pdfPath, ["--print-to-pdf=" + absolute(pdfPath), "--no-pdf-header-footer", "--print-to-pdf-no-header"])
        try checkOutput(pdfPath, magic: Array("%PDF".utf8))
    }

    /// Renders the HTML file at `htmlPath` in a `width`×`height` window and saves it as a PNG.
    public func screenshot(html htmlPath: String, to pngPath: String, width: Int = 1280, height: Int = 1600) throws(ReportError) {
        try run(htmlPath, output: pngPath, ["--screenshot=" + absolute(pngPath), "--window-size=\(width),\(height)", "--hide-scrollbars"])
        try checkOutput(pngPath, magic: [0x89, 0x50, 0x4E, 0x47])
    }

    /// The page's DOM after its scripts ran (`--dump-dom`): checks that the inline script works.
    public func renderedDOM(html htmlPath: String) throws(ReportError) -> String {
        try run(htmlPath, output: nil, ["--dump-dom"])
    }

    private func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }

    private func checkOutput(_ path: String, magic: [UInt8]) throws(ReportError) {
        guard let data = FileManager.default.contents(atPath: absolute(path)), data.count > magic.count,
              Array(data.prefix(magic.count)) == magic else {
            throw .chromiumFailed(status: 0, detail: "it exited without writing a valid \(path)")
        }
    }

    /// Runs the browser on the page; returns what it printed on standard output.
    @discardableResult
    private func run(_ htmlPath: String, output: String?, _ extra: [String]) throws(ReportError) -> String {
        let fm = FileManager.default
        let html = absolute(htmlPath)
        guard fm.fileExists(atPath: html) else {
            throw .cannotWrite(path: output ?? htmlPath, reason: "the HTML file \(html) does not exist")
        }
        if let output { try? fm.removeItem(atPath: absolute(output)) }
        let profile = NSTemporaryDirectory() + "tradewind-chromium-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let logPath = profile + ".log", outPath = profile + ".out"
        defer {
            try? fm.removeItem(atPath: profile)
            try? fm.removeItem(atPath: logPath)
            try? fm.removeItem(atPath: outPath)
        }
        _ = fm.createFile(atPath: logPath, contents: nil)
        _ = fm.createFile(atPath: outPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--headless", "--disable-gpu", "--no-sandbox", "--disable-dev-shm-usage", "--no-first-run",
                             "--no-default-browser-check", "--disable-extensions", "--mute-audio", "--user-data-dir=" + profile,
                             "--run-all-compositor-stages-before-draw", "--virtual-time-budget=5000"]
            + extra + [URL(fileURLWithPath: html).absoluteString]
        let log = FileHandle(forWritingAtPath: logPath), out = FileHandle(forWritingAtPath: outPath)
        process.standardOutput = out
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw .chromiumFailed(status: -1, detail: "cannot start \(executable): \(error)")
        }
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while process.isRunning && Date() < deadline { usleep(50_000) }
        if process.isRunning {
            process.terminate()
            let grace = Date().addingTimeInterval(3)
            while process.isRunning && Date() < grace { usleep(50_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            throw .chromiumTimedOut(seconds: timeoutSeconds)
        }
        process.waitUntilExit()
        try? log?.close()
        try? out?.close()
        guard process.terminationStatus == 0 else {
            let text = (fm.contents(atPath: logPath).flatMap { String(data: $0, encoding: .utf8) } ?? "")
            let lastLines = text.split(separator: "\n").suffix(5).joined(separator: " | ")
            throw .chromiumFailed(status: process.terminationStatus, detail: lastLines.isEmpty ? "no output" : lastLines)
        }
        return fm.contents(atPath: outPath).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
}
