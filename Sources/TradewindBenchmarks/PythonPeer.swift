import Foundation

/// Why a peer measurement could not be taken.
public enum PeerUnavailable: Error, CustomStringConvertible {
    case noPython, scriptMissing(String), failed(String)
    public var description: String {
        switch self {
        case .noPython: return "python3 is not on PATH"
        case .scriptMissing(let p): return "peer script \(p) not found (run from the repository root)"
        case .failed(let msg): return msg
        }
    }
}

/// Runs a peer's Python script and returns its standard output lines, or why it could not.
public func runPython(script: String, arguments: [String]) -> Result<[String], PeerUnavailable> {
    guard FileManager.default.fileExists(atPath: script) else { return .failure(.scriptMissing(script)) }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", script] + arguments
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    do { try p.run() } catch { return .failure(.noPython) }
    let data = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    guard p.terminationStatus == 0 else {
        let msg = String(decoding: errData, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? "exit \(p.terminationStatus)"
        return .failure(.failed(msg))
    }
    return .success(String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init))
}
