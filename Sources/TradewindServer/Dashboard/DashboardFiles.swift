import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import TradewindCharts

/// The web dashboard's static files (`Resources/dashboard`: HTML, CSS and JavaScript written here, no build step),
/// read once into memory and served at `/` (every view's URL answers the page; the script shows the view) and
/// `/assets/…`. The chart hover script and style come from TradewindCharts (`/assets/charts.js`, `/assets/charts.css`),
/// the same ones the HTML reports inline.
struct DashboardFiles: Sendable {
    struct File: Sendable {
        var contentType: String
        var bytes: ByteBuffer
    }

    /// The first path segment of each view's URL (`/history`, `/results/12`, …).
    static let views: Set<String> = ["console", "history", "results", "logs", "journal", "strategies", "status", "login"]

    /// The page's policy: everything from this origin only (no CDN, no third-party request), no inline script.
    static let contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        + "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

    /// Asset path under `/assets/` → file.
    let assets: [String: File]
    let index: File

    /// The files bundled with the server.
    static let bundled: DashboardFiles = {
        let root = Bundle.module.url(forResource: "dashboard", withExtension: nil, subdirectory: "Resources")
        return DashboardFiles(root: root)
    }()

    init(root: URL?) {
        var assets: [String: File] = [:]
        var index = File(contentType: "text/html; charset=utf-8",
                         bytes: ByteBuffer(string: "<!doctype html><title>Tradewind</title><p>The dashboard's files are missing from this build.</p>"))
        if let root, let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) {
            for case let url as URL in walker {
                guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true,
                      let data = try? Data(contentsOf: url) else { continue }
                let relative = String(url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1))
                let file = File(contentType: Self.contentType(of: relative), bytes: ByteBuffer(bytes: data))
                if relative == "index.html" { index = file } else { assets[relative] = file }
            }
        }
        assets["charts.js"] = File(contentType: Self.contentType(of: "charts.js"), bytes: ByteBuffer(string: ChartScript.javascript))
        assets["charts.css"] = File(contentType: Self.contentType(of: "charts.css"), bytes: ByteBuffer(string: ChartScript.css))
        self.assets = assets
        self.index = index
    }

    static func contentType(of name: String) -> String {
        switch (name as NSString).pathExtension.lowercased() {
        case "html": return "text/html; charset=utf-8"
        case "css": return "text/css; charset=utf-8"
        case "js": return "text/javascript; charset=utf-8"
        case "svg": return "image/svg+xml"
        case "png": return "image/png"
        case "ico": return "image/x-icon"
        case "json", "webmanifest": return "application/json"
        default: return "application/octet-stream"
        }
    }

    /// The file a dashboard URL names, or nil when `path` is not the dashboard's (the API's routes take it).
    func file(for path: String) -> File? {
        if path == "/" { return index }
        if path.hasPrefix("/assets/") { return assets[String(path.dropFirst("/assets/".count))] }
        let first = path.split(separator: "/", maxSplits: 1).first.map(String.init) ?? ""
        return Self.views.contains(first) ? index : nil
    }
}

/// Answers GET and HEAD requests for the dashboard's URLs before the API's routes; every other request passes on.
struct DashboardMiddleware: RouterMiddleware {
    typealias Context = APIContext
    let files: DashboardFiles

    func handle(_ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response) async throws -> Response {
        guard request.method == .get || request.method == .head, let file = files.file(for: request.uri.path) else {
            return try await next(request, context)
        }
        var headers: HTTPFields = [.contentType: file.contentType, .cacheControl: "no-cache"]
        headers[.xContentTypeOptions] = "nosniff"
        headers[.contentSecurityPolicy] = DashboardFiles.contentSecurityPolicy
        headers[.contentLength] = String(file.bytes.readableBytes)
        return Response(status: .ok, headers: headers,
                        body: request.method == .head ? ResponseBody() : ResponseBody(byteBuffer: file.bytes))
    }
}
