import Hummingbird
import HummingbirdWebSocket
import NIOCore

/// The request context of every route: the client's address (login rate limits) and the authenticated user.
public struct APIContext: RequestContext, WebSocketRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let webSocket: WebSocketHandlerReference<APIContext>
    /// The client's IP address (`unknown` when the transport has none).
    public let remoteAddress: String
    /// The user the request's token belongs to (nil: none given, or authentication is off).
    public var user: String?
    /// The connection the request came on; after a WebSocket upgrade, the socket's channel (`/ws` writes the hub's
    /// frames straight into it, on its event loop).
    let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        webSocket = .init()
        remoteAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
        channel = source.channel
    }

    /// Bodies above 1 MiB get 413.
    public var maxUploadSize: Int { JSON.maximumBody }
}
