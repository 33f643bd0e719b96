import Foundation
import Testing
@testable import TradewindStore

/// TLS to the test PostgreSQL server, which `Scripts/start-test-postgres.sh` starts with ssl=on and a certificate for
/// the name localhost (not the address 127.0.0.1) signed by a throw-away root (`root.crt` beside the server's
/// certificate).
@Suite("PostgreSQL TLS")
struct PostgreSQLTLSTests {
    /// The test server's URL without query, and its root certificate's path (found through `SHOW ssl_cert_file`).
    static func server() async throws -> (url: String, root: String) {
        let base = try TestPostgres.url()
        let url = String(base.split(separator: "?", maxSplits: 1)[0])
        #expect(url.contains("@127.0.0.1:"), "the TLS tests need the loopback server of Scripts/start-test-postgres.sh")
        let plain = try await PostgreSQLDatabase(url: url)
        let rows = try await plain.read(SQLStatement("SHOW ssl_cert_file"))
        let ssl = try await plain.read(SQLStatement("SHOW ssl"))
        await plain.close()
        #expect(ssl.first?.string(0) == "on", "start the test server with Scripts/start-test-postgres.sh (it turns ssl on)")
        let certificate = try #require(rows.first?.string(0))
        return (url, (certificate as NSString).deletingLastPathComponent + "/root.crt")
    }

    /// Whether the connection that answers is encrypted.
    static func encrypted(_ url: String) async throws -> Bool {
        let db = try await PostgreSQLDatabase(url: url)
        defer { Task { await db.close() } }
        let rows = try await db.read(SQLStatement("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"))
        return rows.first?.bool(0) ?? false
    }

    static func refusal(_ url: String) async -> String? {
        do {
            let db = try await PostgreSQLDatabase(url: url)
            await db.close()
            return nil
        } catch {
            return String(describing: error)
        }
    }

    @Test func withoutSSLModeTheConnectionIsPlainAndRequireEncryptsIt() async throws {
        let (url, _) = try await Self.server()
        #expect(try await !Self.encrypted(url))
        #expect(try await Self.encrypted(url + "?sslmode=require"))
        #expect(try await Self.encrypted(url + "?sslmode=prefer"))
    }

    /// The URL naming the server `localhost`, as its certificate does.
    static func byName(_ url: String) -> String { url.replacingOccurrences(of: "@127.0.0.1:", with: "@localhost:") }

    @Test func verifyFullAcceptsTheServerCertificateOfTheGivenRootForItsName() async throws {
        let (url, root) = try await Self.server()
        #expect(try await Self.encrypted(Self.byName(url) + "?sslmode=verify-full&sslrootcert=\(root)"))
        #expect(try await Self.encrypted(url + "?sslmode=verify-ca&sslrootcert=\(root)"))
        #expect(try await Self.encrypted(url + "?sslmode=require&sslrootcert=\(root)"))
    }

    @Test func verifyFullRefusesAnUntrustedCertificateAndAnotherHost() async throws {
        let (url, root) = try await Self.server()
        // The system's roots do not know the throw-away root.
        let untrusted = try #require(await Self.refusal(Self.byName(url) + "?sslmode=verify-full"))
        #expect(untrusted.contains("cannot reach PostgreSQL"))
        #expect(await Self.refusal(url + "?sslmode=require&sslrootcert=system") != nil)
        // The certificate names localhost, not 127.0.0.1: the host check fails where the chain check passes.
        #expect(await Self.refusal(url + "?sslmode=verify-full&sslrootcert=\(root)") != nil)
    }

    @Test func aStoreOverVerifiedTLSMigratesAndKeepsResults() async throws {
        let (url, root) = try await Self.server()
        let schema = "t_tls_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        let store = try await SQLStore.open(Self.byName(url) + "?sslmode=verify-full&sslrootcert=\(root)&schema=\(schema)")
        let id = try await store.storeResult(NewResult(kind: .backtest, symbol: "SPY", strategy: "sma-cross",
                                                       parameters: [ResultParameter(name: "fast", value: "10")],
                                                       metrics: ResultMetrics(sharpe: 1.5, trades: 3)))
        let back = try await store.result(id)
        await store.close()
        #expect(back?.summary.symbol == "SPY")
        #expect(back?.summary.parameters == [ResultParameter(name: "fast", value: "10")])
    }

    /// Why `PostgreSQLTLS` refuses a URL with `query` (nil: accepted).
    static func message(_ query: String) -> String? {
        do {
            _ = try PostgreSQLTLS(queryItems: URLComponents(string: "postgres://h/db?" + query)?.queryItems)
            return nil
        } catch {
            return String(describing: error)
        }
    }

    @Test func aBadSSLModeOrRootFileIsRefusedNamingIt() {
        let message = Self.message
        #expect(message("sslmode=strict")
            == "database URL sslmode=strict: expected one of disable, allow, prefer, require, verify-ca, verify-full")
        #expect(message("sslmode=verify-full&sslrootcert=/no/such/root.crt")?.contains("sslrootcert=/no/such/root.crt: cannot read") == true)
        #expect(message("sslmode=require&sslrootcert=")?.contains("expected the path of a PEM file") == true)
        #expect(message("sslmode=verify-ca") == nil)
        #expect(message("") == nil)
    }

    @Test func eachModeMeansWhatLibpqMeans() throws {
        func tls(_ query: String) throws -> PostgreSQLTLS {
            try PostgreSQLTLS(queryItems: URLComponents(string: "postgres://h/db?" + query)?.queryItems)
        }
        #expect(try tls("").configuration == nil)
        #expect(try tls("sslmode=disable").configuration == nil)
        #expect(try !tls("sslmode=prefer").required)
        #expect(try tls("sslmode=allow").verification == .none)
        #expect(try tls("sslmode=require").required)
        #expect(try tls("sslmode=require").verification == .none)
        #expect(try tls("sslmode=require&sslrootcert=system").verification == .chain)
        #expect(try tls("sslmode=verify-ca").verification == .chain)
        #expect(try tls("sslmode=verify-full").verification == .chainAndHost)
        #expect(try tls("sslmode=verify-full&sslrootcert=system").rootCertificates == nil)
    }

    /// The URL of the certificate-only role `tw_cert` (`Scripts/start-test-postgres.sh`), verified, with `client`
    /// (a file stem in the test server's tls folder: `client`, `wrong-client`) as its client certificate.
    static func certificateLogin(_ url: String, root: String, client: String?) -> String {
        let folder = (root as NSString).deletingLastPathComponent
        let base = Self.byName(url).replacingOccurrences(of: "://tradewind@", with: "://tw_cert@")
            + "?sslmode=verify-full&sslrootcert=\(root)"
        guard let client else { return base }
        return base + "&sslcert=\(folder)/\(client).crt&sslkey=\(folder)/\(client).key"
    }

    @Test func aClientCertificateSignedByTheServersRootLogsInTheCertificateOnlyRole() async throws {
        let (url, root) = try await Self.server()
        let db = try await PostgreSQLDatabase(url: Self.certificateLogin(url, root: root, client: "client"))
        let user = try await db.read(SQLStatement("SELECT current_user"))
        let ssl = try await db.read(SQLStatement("SELECT ssl, client_dn FROM pg_stat_ssl WHERE pid = pg_backend_pid()"))
        await db.close()
        #expect(user.first?.string(0) == "tw_cert")
        #expect(ssl.first?.bool(0) == true)
        #expect(ssl.first?.string(1) == "/CN=tw_cert")
    }

    @Test func theCertificateOnlyRoleIsRefusedWithoutACertificateOrWithOneOfAnotherRoot() async throws {
        let (url, root) = try await Self.server()
        let without = try #require(await Self.refusal(Self.certificateLogin(url, root: root, client: nil)))
        #expect(without.contains("cannot reach PostgreSQL"))
        let wrong = try #require(await Self.refusal(Self.certificateLogin(url, root: root, client: "wrong-client")))
        #expect(wrong.contains("cannot reach PostgreSQL"))
        // Neither message carries the key file's contents.
        let key = try String(contentsOfFile: (root as NSString).deletingLastPathComponent + "/wrong-client.key", encoding: .utf8)
        let keyLine = try #require(key.split(separator: "\n").dropFirst().first)
        #expect(!wrong.contains(keyLine) && !wrong.contains("PRIVATE KEY"))
    }

    @Test func aClientCertificateNeedsBothFilesAndTLSAndNeverShowsTheKey() async throws {
        let root = "/no/such"
        let message = Self.message
        #expect(message("sslmode=verify-full&sslcert=\(root)/c.crt")?.contains("sslcert= and sslkey= go together") == true)
        #expect(message("sslmode=verify-full&sslkey=\(root)/c.key")?.contains("sslcert= and sslkey= go together") == true)
        #expect(message("sslcert=\(root)/c.crt&sslkey=\(root)/c.key")?.contains("a client certificate needs TLS") == true)
        #expect(message("sslmode=require&sslcert=\(root)/c.crt&sslkey=\(root)/c.key")?.contains("sslcert=\(root)/c.crt: cannot read") == true)
        // A key file that is not a key (here a certificate): the message names the path, not what the file holds.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tw-tls-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (_, serverRoot) = try await Self.server()
        try FileManager.default.copyItem(atPath: (serverRoot as NSString).deletingLastPathComponent + "/client.crt",
                                         toPath: folder + "/c.crt")
        let secret = "-----BEGIN PRIVATE KEY-----\nTWFkZVVwS2V5TWF0ZXJpYWxUaGF0TXVzdE5ldmVyQmVTaG93bg==\n-----END PRIVATE KEY-----\n"
        try secret.write(toFile: folder + "/c.key", atomically: true, encoding: .utf8)
        let shown = try #require(message("sslmode=require&sslcert=\(folder)/c.crt&sslkey=\(folder)/c.key"))
        #expect(shown.contains("sslkey=\(folder)/c.key: cannot read"))
        #expect(!shown.contains("TWFkZVVwS2V5"))
        #expect(!shown.contains("PRIVATE KEY"))
    }

    @Test func theClientCertificateAndKeyAreReadOnceWhenTheURLIsRead() async throws {
        let (_, root) = try await Self.server()
        let server = (root as NSString).deletingLastPathComponent
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tw-tls-once-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.copyItem(atPath: server + "/client.crt", toPath: folder + "/c.crt")
        try FileManager.default.copyItem(atPath: server + "/client.key", toPath: folder + "/c.key")
        let items = URLComponents(string: "postgres://h/db?sslmode=verify-full&sslrootcert=\(root)&sslcert=\(folder)/c.crt&sslkey=\(folder)/c.key")?.queryItems
        let tls = try PostgreSQLTLS(queryItems: items)
        let loaded = try #require(tls.clientCertificate)
        #expect(!loaded.chain.isEmpty)
        // Gone from disk after open: every TLS setting built later still carries the certificate and key read then.
        try FileManager.default.removeItem(atPath: folder + "/c.crt")
        try FileManager.default.removeItem(atPath: folder + "/c.key")
        for _ in 0..<2 {
            let configuration = try #require(tls.configuration)
            #expect(configuration.certificateChain == loaded.chain.map { .certificate($0) })
            #expect(configuration.privateKey == .privateKey(loaded.privateKey))
            _ = try tls.connection()
        }
        // Reading the URL again now fails with a typed error naming the missing file.
        do {
            _ = try PostgreSQLTLS(queryItems: items)
            Issue.record("a missing client certificate was accepted")
        } catch {
            #expect(error.description.hasPrefix("database URL sslcert=\(folder)/c.crt: cannot read"))
        }
    }
}
