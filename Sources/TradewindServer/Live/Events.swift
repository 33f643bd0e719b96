/// `job.progress`: the whole job's progress.
struct JobProgressEvent: Encodable, Sendable {
    var jobID: Int64
    /// Fraction of the job done, 0…1.
    var fraction: Double
    var symbolsDone: Int
    var symbolsTotal: Int
    /// The symbol being optimised.
    var symbol: String?
    /// Seconds left at the current pace (nil until measurable).
    var etaSeconds: Double?
    var evaluationsPerSecond: Double?
    /// When the server sent it (ISO 8601 with offset): clients measure delivery latency with it.
    var emittedAt: String
    /// Distributed jobs (PostgreSQL servers) only: the workers computing the job's tasks now, and their symbols.
    var workers: [WorkerTaskView]? = nil

    enum CodingKeys: String, CodingKey {
        case fraction, symbol, workers
        case emittedAt = "emitted_at"
        case jobID = "job_id", symbolsDone = "symbols_done", symbolsTotal = "symbols_total"
        case etaSeconds = "eta_seconds", evaluationsPerSecond = "evaluations_per_second"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(jobID, forKey: .jobID)
        try c.encode(fraction, forKey: .fraction)
        try c.encode(symbolsDone, forKey: .symbolsDone)
        try c.encode(symbolsTotal, forKey: .symbolsTotal)
        try c.encode(symbol, forKey: .symbol)
        try c.encode(etaSeconds, forKey: .etaSeconds)
        try c.encode(evaluationsPerSecond, forKey: .evaluationsPerSecond)
        try c.encode(emittedAt, forKey: .emittedAt)
        try c.encodeIfPresent(workers, forKey: .workers)
    }
}

/// A worker computing one of a distributed job's symbols.
struct WorkerTaskView: Encodable, Sendable, Equatable {
    var worker: String
    var symbol: String
}

/// `job.log`: a line the job logged.
struct JobLogEvent: Encodable, Sendable {
    var jobID: Int64
    var level: String
    var message: String
    var at: String
    enum CodingKeys: String, CodingKey { case level, message, at, jobID = "job_id" }
}

/// `job.finished`, `job.failed`, `job.cancelled`: the job ended.
struct JobEndEvent: Encodable, Sendable {
    var jobID: Int64
    var status: String
    var reason: String?
    var durationSeconds: Double?
    enum CodingKeys: String, CodingKey { case status, reason, jobID = "job_id", durationSeconds = "duration_seconds" }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(jobID, forKey: .jobID)
        try c.encode(status, forKey: .status)
        try c.encode(reason, forKey: .reason)
        try c.encode(durationSeconds, forKey: .durationSeconds)
    }
}

/// `result.stored`: a result entered the history.
struct ResultStoredEvent: Encodable, Sendable {
    var resultID: Int64
    var jobID: Int64?
    var symbol: String
    var strategy: String
    enum CodingKeys: String, CodingKey { case symbol, strategy, resultID = "result_id", jobID = "job_id" }
}

/// `server.status`: sent on connect.
struct ServerStatusEvent: Encodable, Sendable {
    var version: String
    var queued: Int
    var running: Int
    var clients: Int
}
