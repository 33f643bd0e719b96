import AsyncHTTPClient
import Foundation
import NIOCore
import TradewindCore
import TradewindData

/// A worker's data from the server (`GET /api/data/{dataset}/{symbol}`), for workers without a shared path: each
/// symbol arrives in the binary cache format, is verified (the header's `X-Tradewind-Checksum` against the file's
/// payload checksum, then both of the file's checksums), and is kept in a local cache directory — one file per
/// dataset, zone and symbol — that later tasks read (verified again) instead of fetching.
struct DataClient: Sendable {
    /// The server's base URL (`http://host:port`).
    let server: URL
    let token: String?
    /// The local cache's root.
    let directory: String

    /// Why data could not be fetched.
    struct FetchError: Error, CustomStringConvertible {
        var description: String
    }

    /// `symbols` of `dataset` read in `tz`, from the cache or the server.
    func load(_ dataset: String, symbols: [String], tz: String?) async throws -> MarketDataset {
        var series: [BarSeries] = []
        for symbol in symbols {
            series.append(try await self.series(dataset, symbol: symbol, tz: tz))
        }
        return MarketDataset(series)
    }

    /// One symbol, from the cache when a verified copy is there, else from the server.
    func series(_ dataset: String, symbol: String, tz: String?) async throws -> BarSeries {
        let folder = (directory as NSString).appendingPathComponent(Self.folderName(dataset: dataset, tz: tz))
        let path = (folder as NSString).appendingPathComponent(BarCache.fileName(for: symbol))
        if FileManager.default.fileExists(atPath: path), let cached = try? BarCache.read(path: path, verify: true),
           cached.symbol == symbol {
            return cached
        }
        let bytes = try await fetch(dataset, symbol: symbol, tz: tz)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let temporary = path + ".part-\(UUID().uuidString)"
        guard FileManager.default.createFile(atPath: temporary, contents: bytes) else {
            throw FetchError(description: "cannot write the data cache file \(temporary)")
        }
        do {
            let series = try BarCache.read(path: temporary, verify: true)
            guard series.symbol == symbol else {
                throw FetchError(description: "the server sent \(series.symbol) for \(symbol) of \(dataset)")
            }
            _ = try? FileManager.default.removeItem(atPath: path)
            try FileManager.default.moveItem(atPath: temporary, toPath: path)
            return series
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
    }

    func fetch(_ dataset: String, symbol: String, tz: String?) async throws -> Data {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/?#%")
        let path = "/api/data/" + (dataset.addingPercentEncoding(withAllowedCharacters: allowed) ?? dataset) + "/"
            + (symbol.addingPercentEncoding(withAllowedCharacters: allowed) ?? symbol)
        guard var parts = URLComponents(url: server, resolvingAgainstBaseURL: false) else {
            throw FetchError(description: "--server \(server): not a URL")
        }
        parts.percentEncodedPath = parts.percentEncodedPath.trimmingCharacters(in: CharacterSet(charactersIn: "/")).isEmpty
            ? path : parts.percentEncodedPath + path
        if let tz { parts.queryItems = [URLQueryItem(name: "tz", value: tz)] }
        guard let url = parts.url else { throw FetchError(description: "cannot form the data URL for \(dataset)/\(symbol)") }
        // AsyncHTTPClient, not URLSession: FoundationNetworking would load libcurl into every `tradewind` process.
        var request = HTTPClientRequest(url: url.absoluteString)
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        let data = Data(try await response.body.collect(upTo: Int.max).readableBytesView)
        guard response.status.code == 200 else {
            throw FetchError(description: "GET \(path): HTTP \(response.status.code) \(String(decoding: data.prefix(500), as: UTF8.self))")
        }
        let announced = response.headers.first(name: Routes.checksumHeader.rawName)
        guard let announced, announced == Self.payloadChecksum(data) else {
            throw FetchError(description: "GET \(path): the data's checksum does not match the server's (\(announced ?? "none")); the transfer was damaged")
        }
        return data
    }

    /// A cache file's payload checksum (bytes 48..<56, little-endian) as 16 hex digits; nil when too short.
    static func payloadChecksum(_ bytes: Data) -> String? {
        guard bytes.count >= 64 else { return nil }
        var value: UInt64 = 0
        for i in 0..<8 { value |= UInt64(bytes[bytes.startIndex + 48 + i]) << (8 * UInt64(i)) }
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// The cache folder of a dataset read in a zone: readable, and distinct for distinct datasets.
    static func folderName(dataset: String, tz: String?) -> String {
        let readable = String((dataset + "@" + (tz ?? "default")).map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." ? $0 : "_" }.prefix(80))
        let digest = Array((dataset + "\u{0}" + (tz ?? "")).utf8).withUnsafeBytes { Checksum64.hash($0) }
        return readable + "-" + String(digest, radix: 16)
    }
}
