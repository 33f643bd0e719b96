import AsyncHTTPClient
import Foundation
import NIOCore

/// Alerts posted to a webhook: Discord's payload (`{"content": …}`) or plain JSON (`{"type", "text", "time"}`).
/// Alerts queue (at most `queueLimit`; the oldest are dropped past it) and are posted one at a time in order on the
/// notifier's own task; a failed post is retried `attempts` times with a growing pause, then logged and dropped —
/// a failing webhook never slows or stops trading. The URL (it holds the webhook's secret token) never appears in
/// logs or errors. Posts go through AsyncHTTPClient's shared client (not `URLSession`: FoundationNetworking would load
/// libcurl and its two dozen libraries into every process that links this module, `tradewind backtest` included).
public final class WebhookNotifier: TradingNotifier, @unchecked Sendable {
    public enum Format: String, Sendable, CaseIterable { case discord, json }

    let url: URL
    let format: Format
    let attempts: Int
    let timeout: TimeInterval
    let queueLimit: Int
    let log: @Sendable (String) -> Void
    private let lock = NSLock()
    private var queue: [TradingAlert] = []
    private var worker: Task<Void, Never>?
    private var _delivered = 0
    private var _failed = 0
    private var _dropped = 0

    /// `log` receives one line per alert given up on (default: standard error).
    public init(url: URL, format: Format = .discord, attempts: Int = 3, timeout: TimeInterval = 5, queueLimit: Int = 1000,
                log: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }) {
        self.url = url
        self.format = format
        self.attempts = max(attempts, 1)
        self.timeout = timeout
        self.queueLimit = max(queueLimit, 1)
        self.log = log
    }

    /// Alerts posted, given up on after every attempt, and dropped from a full queue.
    public var counts: (delivered: Int, failed: Int, dropped: Int) {
        lock.lock()
        defer { lock.unlock() }
        return (_delivered, _failed, _dropped)
    }

    public func send(_ alert: TradingAlert) {
        lock.lock()
        if queue.count >= queueLimit {
            queue.removeFirst()
            _dropped += 1
        }
        queue.append(alert)
        if worker == nil { worker = Task { [weak self] in await self?.drain() } }
        lock.unlock()
    }

    /// Waits until every queued alert was posted or given up on.
    public func flush() async {
        while true {
            guard let w = lock.withLock({ worker }) else { return }
            await w.value
        }
    }

    private func next() -> TradingAlert? {
        lock.lock()
        defer { lock.unlock() }
        guard !queue.isEmpty else {
            worker = nil
            return nil
        }
        return queue.removeFirst()
    }

    private func drain() async {
        while let alert = next() {
            let body = payload(alert)
            var ok = false
            var lastProblem = ""
            for attempt in 0..<attempts {
                if attempt > 0 { try? await Task.sleep(for: .milliseconds(200 * (1 << min(attempt - 1, 5)))) }
                var request = HTTPClientRequest(url: url.absoluteString)
                request.method = .POST
                request.headers.add(name: "Content-Type", value: "application/json")
                request.body = .bytes(body)
                do {
                    let response = try await HTTPClient.shared.execute(request, timeout: .milliseconds(Int64(timeout * 1000)))
                    _ = try? await response.body.collect(upTo: 1 << 16)
                    let status = Int(response.status.code)
                    if (200..<300).contains(status) {
                        ok = true
                        break
                    }
                    lastProblem = "HTTP status \(status)"
                } catch {
                    // The error's own words, without the URL's path (the webhook's secret token) should it quote it.
                    lastProblem = url.path.count > 1 ? "\(error)".replacingOccurrences(of: url.path, with: "/…") : "\(error)"
                }
            }
            lock.withLock {
                if ok { _delivered += 1 } else { _failed += 1 }
            }
            if !ok {
                log("alert not delivered to the \(format.rawValue) webhook at \(url.host ?? "its host") after \(attempts) attempts (\(lastProblem)): \(alert.kind)")
            }
        }
    }

    func payload(_ alert: TradingAlert) -> Data {
        let object: [String: Any]
        switch format {
        case .discord: object = ["content": alert.text]
        case .json: object = ["type": alert.kind, "text": alert.text]
        }
        return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
    }
}
