import Foundation
#if canImport(Glibc)
import Glibc
#endif
import CTradewindSystem
import Testing
import TradewindStore

/// `tradewind user add` and `tradewind token create`, run as the real binary.
@Suite("Server commands")
struct ServerCommandTests {
    static func run(_ arguments: [String], stdin: String? = nil) throws -> (status: Int32, out: String, err: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try KillAndResumeTests.binary())
        p.arguments = arguments
        let input = Pipe(), out = Pipe(), err = Pipe()
        p.standardInput = input
        p.standardOutput = out
        p.standardError = err
        try p.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let o = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let e = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return (p.terminationStatus, o, e)
    }

    @Test func aUserIsAddedWithAPasswordFromStdinAndGetsAnAPIToken() async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("tw-cmd-\(UUID().uuidString)").path
        let added = try Self.run(["user", "add", "ada", "--home", home], stdin: "a long password\n")
        #expect(added.status == 0)
        #expect(added.out.contains("added user ada"))
        let again = try Self.run(["user", "add", "ada", "--home", home], stdin: "another password\n")
        #expect(again.status != 0)
        #expect(again.err.contains("exists already"))
        let short = try Self.run(["user", "add", "bob", "--home", home], stdin: "short\n")
        #expect(short.err.contains("at least 8 characters"))
        let token = try Self.run(["token", "create", "--user", "ada", "--home", home])
        #expect(token.status == 0)
        let secret = token.out.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(secret.hasPrefix("tw_") && secret.count > 40)

        let store = try await SQLStore.open((home as NSString).appendingPathComponent("tradewind.sqlite"))
        let user = try #require(try await store.user("ada"))
        #expect(user.passwordHash.hasPrefix("$2"))
        #expect(!user.passwordHash.contains("a long password"))
        await store.close()
    }

    /// At a terminal the password is asked for on standard error and typed without echo: the terminal (a pseudo-terminal
    /// here, as a user's shell would give) shows nothing of it.
    @Test func aPasswordTypedAtATerminalIsNotEchoed() async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("tw-cmd-\(UUID().uuidString)").path
        var path = [CChar](repeating: 0, count: 64)
        let master = tradewind_open_pseudo_terminal(&path, Int32(path.count))
        try #require(master >= 0)
        let slave = open(String(cString: path), O_RDWR | O_NOCTTY)
        #expect(slave >= 0)
        defer { close(master) }

        let p = Process()
        p.executableURL = URL(fileURLWithPath: try KillAndResumeTests.binary())
        p.arguments = ["user", "add", "grace", "--home", home]
        p.standardInput = FileHandle(fileDescriptor: slave, closeOnDealloc: true)
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        // The prompt comes after echo is off: wait for it (bounded), then type.
        var prompt = Data()
        let deadline = Date().addingTimeInterval(20)
        while !String(decoding: prompt, as: UTF8.self).contains("Password for grace: "), Date() < deadline {
            prompt.append(err.fileHandleForReading.availableData)
        }
        #expect(String(decoding: prompt, as: UTF8.self).contains("Password for grace: "))
        let typed = "correct horse battery\n"
        _ = typed.withCString { write(master, $0, strlen($0)) }
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        #expect(String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).contains("added user grace"))

        // What the terminal displayed: everything the pseudo-terminal sent back (non-blocking, until drained).
        _ = fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK)
        var shown = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(master, &buffer, buffer.count)
            if n <= 0 { break }
            shown.append(contentsOf: buffer[0..<n])
        }
        #expect(!String(decoding: shown, as: UTF8.self).contains("correct horse"))

        let store = try await SQLStore.open((home as NSString).appendingPathComponent("tradewind.sqlite"))
        #expect(try await store.user("grace") != nil)
        await store.close()
    }
}
