import Foundation

/// The committed OpenAPI 3.1 document (`Resources/openapi.json`), served at `/api/openapi.json`.
public enum OpenAPIDocument {
    /// The document's text.
    public static let text: String = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json", subdirectory: "Resources"),
              let data = try? Data(contentsOf: url)
        else { return #"{"openapi":"3.1.0","info":{"title":"Tradewind","version":"missing"},"paths":{}}"# }
        return String(decoding: data, as: UTF8.self)
    }()
}
