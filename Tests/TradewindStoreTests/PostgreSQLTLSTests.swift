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

    @Test func aBadSSLModeOrRootFileIsRefusedNamingIt() {
        func message(_ query: String) -> String? {
            do {
                _ = try PostgreSQLTLS(queryItems: URLComponents(string: "postgres://h/db?" + query)?.queryItems)
                return nil
            } catch {
                return String(describing: error)
            }
        }
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
}
