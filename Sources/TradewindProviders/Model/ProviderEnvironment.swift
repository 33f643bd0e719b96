import Foundation

/// The environment variables providers read (keys, base URLs), injectable so that tests and embedders need not touch
/// the process environment.
public struct ProviderEnvironment: Sendable, Equatable {
    public var variables: [String: String]

    public init(_ variables: [String: String]) {
        self.variables = variables
    }

    /// The process's environment.
    public static var process: ProviderEnvironment { ProviderEnvironment(ProcessInfo.processInfo.environment) }

    /// The first of `names` set to a non-blank value, with its name.
    public func first(_ names: [String]) -> (name: String, value: String)? {
        for n in names {
            if let v = variables[n]?.trimmingCharacters(in: .whitespacesAndNewlines), !v.isEmpty { return (n, v) }
        }
        return nil
    }

    /// A base URL from `name`, else `fallback`; without a trailing `/`.
    public func baseURL(_ name: String, default fallback: String) -> String {
        var url = first([name])?.value ?? fallback
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }
}
