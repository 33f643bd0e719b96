import Foundation
import PostgresNIO

/// TLS to PostgreSQL as a `postgres://` URL asks for it, with libpq's `sslmode` meanings:
///
/// | `sslmode` | encrypted | server certificate checked |
/// |---|---|---|
/// | `disable` (the default) | no | — |
/// | `allow`, `prefer` | when the server offers TLS | no |
/// | `require` | yes | no — unless `sslrootcert` is given, then as `verify-ca` |
/// | `verify-ca` | yes | signed by a trusted root |
/// | `verify-full` | yes | signed by a trusted root and issued for the URL's host (name or IP address) |
///
/// `sslrootcert=PATH` names a PEM file of trusted roots (`system`, or no `sslrootcert`: the system's trust store).
/// The file is read when the store opens, so a wrong path fails at start with its name, not at the first query.
///
/// `sslcert=PATH` and `sslkey=PATH` (both or neither, with any mode that encrypts) present a client certificate, for
/// servers whose `pg_hba.conf` asks for one (`hostssl … cert`, or `clientcert=verify-full`). Both files are read at
/// open too; errors name the path only, never the key's contents.
struct PostgreSQLTLS: Equatable {
    enum Mode: String, CaseIterable {
        case disable, allow, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    enum Verification: Equatable { case none, chain, chainAndHost }

    var mode: Mode
    var verification: Verification
    /// Trusted roots' PEM file (nil: the system's trust store).
    var rootCertificates: String?
    /// The client certificate chain's and its private key's PEM files (nil: no client certificate).
    var clientCertificate: (certificate: String, key: String)?

    static func == (a: PostgreSQLTLS, b: PostgreSQLTLS) -> Bool {
        a.mode == b.mode && a.verification == b.verification && a.rootCertificates == b.rootCertificates
            && a.clientCertificate?.certificate == b.clientCertificate?.certificate
            && a.clientCertificate?.key == b.clientCertificate?.key
    }

    /// The URL's `sslmode` and `sslrootcert`; a value outside the valid ones is a `SQLDatabaseError` naming it.
    init(queryItems: [URLQueryItem]?) throws {
        let items = queryItems ?? []
        let modeText = items.last { $0.name == "sslmode" }?.value ?? Mode.disable.rawValue
        guard let mode = Mode(rawValue: modeText) else {
            throw SQLDatabaseError("database URL sslmode=\(modeText): expected one of \(Mode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let root = items.last { $0.name == "sslrootcert" }?.value
        if let root, root.isEmpty {
            throw SQLDatabaseError("database URL sslrootcert=: expected the path of a PEM file of trusted root certificates, or system")
        }
        self.mode = mode
        rootCertificates = root == "system" ? nil : root
        switch mode {
        case .disable, .allow, .prefer: verification = .none
        case .require: verification = root == nil ? .none : .chain
        case .verifyCA: verification = .chain
        case .verifyFull: verification = .chainAndHost
        }
        if let path = rootCertificates, verification != .none { try Self.checkCertificates(path, option: "sslrootcert") }
        clientCertificate = try Self.clientCertificate(items, mode: mode)
    }

    /// Checks that `path` (the URL's `option`) is a readable file of PEM certificates.
    static func checkCertificates(_ path: String, option: String) throws {
        do {
            guard try !NIOSSLCertificate.fromPEMFile(path).isEmpty else {
                throw SQLDatabaseError("database URL \(option)=\(path): the file holds no PEM certificate")
            }
        } catch let error as SQLDatabaseError {
            throw error
        } catch {
            throw SQLDatabaseError("database URL \(option)=\(path): cannot read PEM certificates from it (\(error))")
        }
    }

    /// The URL's `sslcert` and `sslkey`, checked: both or neither, with a mode that encrypts, each a readable PEM file
    /// of its kind.
    static func clientCertificate(_ items: [URLQueryItem], mode: Mode) throws -> (certificate: String, key: String)? {
        let certificate = items.last { $0.name == "sslcert" }?.value
        let key = items.last { $0.name == "sslkey" }?.value
        guard certificate != nil || key != nil else { return nil }
        guard let certificate, !certificate.isEmpty, let key, !key.isEmpty else {
            throw SQLDatabaseError("database URL: sslcert= and sslkey= go together (the client certificate's PEM file and its private key's)")
        }
        guard mode != .disable else {
            throw SQLDatabaseError("database URL sslcert=\(certificate): a client certificate needs TLS; add sslmode=verify-full (or require)")
        }
        try checkCertificates(certificate, option: "sslcert")
        do {
            _ = try NIOSSLPrivateKey(file: key, format: .pem)
        } catch {
            // NIOSSL's error is not repeated: nothing of the key file reaches a message or a log.
            throw SQLDatabaseError("database URL sslkey=\(key): cannot read an unencrypted PEM private key from it")
        }
        return (certificate, key)
    }

    /// NIOSSL's client settings for this mode (nil: no TLS).
    var configuration: TLSConfiguration? {
        guard mode != .disable else { return nil }
        var tls = TLSConfiguration.makeClientConfiguration()
        switch verification {
        case .none: tls.certificateVerification = .none
        case .chain: tls.certificateVerification = .noHostnameVerification
        case .chainAndHost: tls.certificateVerification = .fullVerification
        }
        if let rootCertificates { tls.trustRoots = .file(rootCertificates) }
        if let client = clientCertificate {
            tls.certificateChain = ((try? NIOSSLCertificate.fromPEMFile(client.certificate)) ?? []).map { .certificate($0) }
            // Loaded here as PEM: NIOSSL's `.file` source would read a `.key` file as DER.
            if let key = try? NIOSSLPrivateKey(file: client.key, format: .pem) { tls.privateKey = .privateKey(key) }
        }
        return tls
    }

    /// Whether a server without TLS is refused.
    var required: Bool { mode != .disable && mode != .allow && mode != .prefer }

    /// The pool's setting.
    var client: PostgresClient.Configuration.TLS {
        guard let configuration else { return .disable }
        return required ? .require(configuration) : .prefer(configuration)
    }

    /// A single connection's setting (the `LISTEN` connection); throws when NIOSSL refuses the settings.
    func connection() throws -> PostgresConnection.Configuration.TLS {
        guard let configuration else { return .disable }
        let context: NIOSSLContext
        do {
            context = try NIOSSLContext(configuration: configuration)
        } catch {
            throw SQLDatabaseError("database URL sslmode=\(mode.rawValue): cannot set up TLS (\(error))")
        }
        return required ? .require(context) : .prefer(context)
    }
}
