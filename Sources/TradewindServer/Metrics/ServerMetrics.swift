import CoreMetrics
import Foundation
import Hummingbird
import Prometheus
import Synchronization
import TradewindStore

/// The server's metrics, in a Prometheus registry of its own (no process-wide bootstrap, so several servers — tests —
/// never share counters), recorded through swift-metrics' API with the registry's factory. Names follow Prometheus
/// conventions: `tradewind_` prefix, base units (seconds, bytes), `_total` for counters.
public final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    let factory: PrometheusMetricsFactory
    let cache = Mutex<[String: (CoreMetrics.Counter, CoreMetrics.Timer)]>([:])
    let storeTimers = Mutex<[String: CoreMetrics.Timer]>([:])
    let evaluations: CoreMetrics.Counter
    let wsClients: CoreMetrics.Gauge
    let wsDropped: CoreMetrics.Counter
    let wsDisconnected: CoreMetrics.Counter
    let jobGauges: [JobStatus: CoreMetrics.Gauge]
    let cpuSeconds: CoreMetrics.Gauge
    let residentBytes: CoreMetrics.Gauge
    let startTime: CoreMetrics.Gauge
    /// Continual learning's counters and gauges by metric name and model (`ContinualMetrics.swift`).
    let modelCounters = Mutex<[String: CoreMetrics.Counter]>([:])
    let modelGauges = Mutex<[String: CoreMetrics.Gauge]>([:])

    public init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        let buckets: [Duration] = [.microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1),
                                   .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
                                   .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
                                   .seconds(1), .seconds(2), .seconds(5), .seconds(10)]
        factory.defaultDurationHistogramBuckets = buckets
        self.factory = factory
        evaluations = CoreMetrics.Counter(label: "tradewind_evaluations_total", factory: factory)
        wsClients = CoreMetrics.Gauge(label: "tradewind_websocket_clients", factory: factory)
        wsDropped = CoreMetrics.Counter(label: "tradewind_websocket_dropped_messages_total", factory: factory)
        wsDisconnected = CoreMetrics.Counter(label: "tradewind_websocket_slow_disconnects_total", factory: factory)
        jobGauges = Dictionary(uniqueKeysWithValues: JobStatus.allCases.map {
            ($0, CoreMetrics.Gauge(label: "tradewind_jobs", dimensions: [("state", $0.rawValue)], factory: factory))
        })
        cpuSeconds = CoreMetrics.Gauge(label: "tradewind_process_cpu_seconds", factory: factory)
        residentBytes = CoreMetrics.Gauge(label: "tradewind_process_resident_memory_bytes", factory: factory)
        startTime = CoreMetrics.Gauge(label: "tradewind_process_start_time_seconds", factory: factory)
        startTime.record(Date().timeIntervalSince1970)
    }

    /// Counts a request and records its latency, by route pattern (not the raw path) and status.
    func request(method: String, route: String, status: Int, duration: Duration) {
        let key = "\(method) \(route) \(status)"
        let (counter, timer) = cache.withLock { c in
            if let hit = c[key] { return hit }
            let dims = [("method", method), ("route", route), ("status", String(status))]
            let made = (CoreMetrics.Counter(label: "tradewind_http_requests_total", dimensions: dims, factory: factory),
                        CoreMetrics.Timer(label: "tradewind_http_request_duration_seconds", dimensions: dims, factory: factory))
            c[key] = made
            return made
        }
        counter.increment()
        timer.recordNanoseconds(Int64(duration.components.seconds) * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }

    /// Records one store call's latency, by area.
    func store(area: String, seconds: Double) {
        let timer = storeTimers.withLock { t in
            if let hit = t[area] { return hit }
            let made = CoreMetrics.Timer(label: "tradewind_store_operation_duration_seconds", dimensions: [("area", area)], factory: factory)
            t[area] = made
            return made
        }
        timer.recordNanoseconds(Int64(seconds * 1e9))
    }

    /// The Prometheus text exposition, with the job counts and process figures read now.
    func exposition(jobs: [JobStatus: Int]) -> String {
        for (status, gauge) in jobGauges { gauge.record(Double(jobs[status] ?? 0)) }
        let process = ProcessFigures.read()
        cpuSeconds.record(process.cpuSeconds)
        residentBytes.record(Double(process.residentBytes))
        return registry.emitToString()
    }
}

/// CPU time and resident memory of this process, from /proc (Linux) or `getrusage`.
struct ProcessFigures: Sendable {
    var cpuSeconds: Double
    var residentBytes: Int

    static func read() -> ProcessFigures {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let cpu = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        var resident = Int(usage.ru_maxrss) * 1024
        if let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) {
            let fields = text.split(separator: " ")
            if fields.count > 1, let pages = Int(fields[1]) { resident = pages * Int(sysconf(Int32(_SC_PAGESIZE))) }
        }
        return ProcessFigures(cpuSeconds: cpu, residentBytes: resident)
    }
}

/// Records every request's route, status and latency.
struct MetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let route = context.endpointPath ?? "unmatched"
        metrics.request(method: request.method.rawValue, route: route, status: response.status.code,
                        duration: ContinuousClock.now - start)
        return response
    }
}
