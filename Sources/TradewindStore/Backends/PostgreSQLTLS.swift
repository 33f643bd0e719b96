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
/// servers whose `pg_hba.conf` asks for one (`hostssl … cert`, or `clientcert=verify-full`). Both files are read once,
/// at open, and the loaded certificate chain and key are what every TLS setting built later uses; errors name the path
/// only, never the key's contents.
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
    /// The client certificate chain's and its private key's PEM files, as loaded when the URL was read (nil: no client
    /// certificate).
    var clientCertificate: ClientCertificate?

    /// A client certificate chain and its private key, read from their PEM files.
    struct ClientCertificate {
        var certificate: String
        var key: String
        var chain: [NIOSSLCertificate]
        var privateKey: NIOSSLPrivateKey
    }

    static func == (a: PostgreSQLTLS, b: PostgreSQLTLS) -> Bool {
        a.mode == b.mode && a.verification == b.verification && a.rootCertificates == b.rootCertificates
            && a.clientCertificate?.certificate == b.clientCertificate?.certificate
            && a.clientCertificate?.key == b.clientCertificate?.key
    }

    /// The URL's `sslmode` and `sslrootcert`; a value outside the valid ones is a `SQLDatabaseError` naming it.
    init(queryItems: [URLQueryItem]?) throws(SQLDatabaseError) {
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
    static func checkCertificates(_ path: String, option: String) throws(SQLDatabaseError) {
        _ = try certificates(path, option: option)
    }

    /// The PEM certificates of `path` (the URL's `option`); an unreadable or empty file is an error naming it.
    static func certificates(_ path: String, option: String) throws(SQLDatabaseError) -> [NIOSSLCertificate] {
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(path)
        } catch {
            throw SQLDatabaseError("database URL \(option)=\(path): cannot read PEM certificates from it (\(error))")
        }
        guard !chain.isEmpty else { throw SQLDatabaseError("database URL \(option)=\(path): the file holds no PEM certificate") }
        return chain
    }

    /// The URL's `sslcert` and `sslkey`, checked: both or neither, with a mode that encrypts, each a readable PEM file
    /// of its kind.
    static func clientCertificate(_ items: [URLQueryItem], mode: Mode) throws(SQLDatabaseError) -> ClientCertificate? {
        let certificate = items.last { $0.name == "sslcert" }?.value
        let key = items.last { $0.name == "sslkey" }?.value
        guard certificate != nil || key != nil else { return nil }
        guard let certificate, !certificate.isEmpty, let key, !key.isEmpty else {
            throw SQLDatabaseError("database URL: sslcert= and sslkey= go together (the client certificate's PEM file and its private key's)")
        }
        guard mode != .disable else {
            throw SQLDatabaseError("database URL sslcert=\(certificate): a client certificate needs TLS; add sslmode=verify-full (or require)")
        }
        let chain = try certificates(certificate, option: "sslcert")
        let privateKey: NIOSSLPrivateKey
        do {
            privateKey = try NIOSSLPrivateKey(file: key, format: .pem)
        } catch {
            // NIOSSL's error is not repeated: nothing of the key file reaches a message or a log.
            throw SQLDatabaseError("database URL sslkey=\(key): cannot read an unencrypted PEM private key from it")
        }
        return ClientCertificate(certificate: certificate, key: key, chain: chain, privateKey: privateKey)
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
            // Loaded at open as PEM (NIOSSL's `.file` source would read a `.key` file as DER), never read again.
            tls.certificateChain = client.chain.map { .certificate($0) }
            tls.privateKey = .privateKey(client.privateKey)
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
