import Foundation
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
}
