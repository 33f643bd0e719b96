import Foundation
import Hummingbird
import TradewindModels
import TradewindStore

/// A model version as the API returns it.
struct ModelVersionBody: Encodable, Sendable {
    var name: String
    var version: Int
    var sha256: String
    var parentVersion: Int?
    var datasetHash: String
    var metrics: [String: Double]
    var trainingFrom: String
    var trainingThrough: String
    var bytes: Int
    var active: Bool
    var createdAt: String
    /// Why the validation gate refused this candidate; null when it was not refused.
    var refusal: String?
    enum CodingKeys: String, CodingKey {
        case name, version, sha256, metrics, bytes, active, refusal
        case parentVersion = "parent_version", datasetHash = "dataset_hash", trainingFrom = "training_from"
        case trainingThrough = "training_through", createdAt = "created_at"
    }

    init(_ r: ModelVersionRecord, times: Timestamps) {
        (name, version, sha256, parentVersion, datasetHash, metrics) = (r.name, r.version, r.sha256, r.parentVersion, r.datasetHash, r.metrics)
        (trainingFrom, trainingThrough, bytes, active) = (times.string(r.trainingFrom), times.string(r.trainingThrough), r.bytes, r.active)
        createdAt = times.string(r.createdAt)
        refusal = r.refusal
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(version, forKey: .version)
        try c.encode(sha256, forKey: .sha256)
        try c.encode(parentVersion, forKey: .parentVersion)
        try c.encode(datasetHash, forKey: .datasetHash)
        try c.encode(metrics, forKey: .metrics)
        try c.encode(trainingFrom, forKey: .trainingFrom)
        try c.encode(trainingThrough, forKey: .trainingThrough)
        try c.encode(bytes, forKey: .bytes)
        try c.encode(active, forKey: .active)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(refusal, forKey: .refusal)
    }
}

/// `GET /api/models/{name}/hash`: what a client compares to detect an update (the AI trading server's hash endpoint).
struct ModelHashBody: Encodable, Sendable {
    var name: String
    var version: Int
    var sha256: String
    var createdAt: String
    enum CodingKeys: String, CodingKey {
        case name, version, sha256
        case createdAt = "created_at"
    }
}

/// `POST /api/models/{name}/rollback`: `{"steps": N}` (default 1).
struct RollbackBody: Decodable {
    var steps: Int
    init(from decoder: any Decoder) throws {
        try rejectUnknownKeys(decoder, allowed: ["steps"])
        steps = try decoder.container(keyedBy: AnyCodingKey.self).decodeIfPresent(Int.self, forKey: AnyCodingKey(stringValue: "steps")) ?? 1
    }
}

extension Routes {
    /// The model registry and training (the AI trading server's endpoints): versions, download and hash per name
    /// (`universal` is the universal model), rollback, `POST /api/train-all` and the training status.
    static func addModels(to router: Router<APIContext>, _ state: ServerState) {
        let registry = StoreModelRegistry(store: state.store)
        router.get("/api/models") { request, _ -> Response in
            let page = try Query(request).page()
            let names = try await state.store.modelNames()
            var items: [ModelVersionBody] = []
            for name in names.dropFirst(page.offset).prefix(page.limit) {
                if let v = try await state.store.modelVersion(name, version: nil) {
                    items.append(ModelVersionBody(StoreModelRegistry.record(v), times: state.times))
                }
            }
            return try JSON.response(PageBody(Page(items: items, total: names.count, limit: page.limit, offset: page.offset)) { $0 })
        }
        router.get("/api/models/{name}") { _, context -> Response in
            let name = try modelName(context)
            guard let v = try await state.store.modelVersion(name, version: nil) else {
                throw APIError.from(StoreModelRegistry.missing(name, version: nil))
            }
            return try JSON.response(ModelVersionBody(StoreModelRegistry.record(v), times: state.times))
        }
        router.get("/api/models/{name}/versions") { request, context -> Response in
            let page = try await state.store.modelVersions(try modelName(context), page: try Query(request).page())
            return try JSON.response(PageBody(page) { ModelVersionBody(StoreModelRegistry.record($0), times: state.times) })
        }
        router.get("/api/models/{name}/hash") { request, context -> Response in
            let name = try modelName(context)
            guard let v = try await state.store.modelVersion(name, version: try version(request)) else {
                throw APIError.from(StoreModelRegistry.missing(name, version: try version(request)))
            }
            return try JSON.response(ModelHashBody(name: name, version: v.version, sha256: v.sha256, createdAt: state.times.string(v.createdAt)))
        }
        router.get("/api/models/{name}/download") { request, context -> Response in
            let name = try modelName(context)
            let (record, archive) = try await registry.archive(of: name, version: try version(request))
            return Response(status: .ok, headers: [
                .contentType: "application/zip",
                .contentDisposition: "attachment; filename=\"\(name)-v\(record.version).zip\"",
                .eTag: "\"\(record.sha256)\"",
            ], body: ResponseBody(byteBuffer: ByteBuffer(bytes: archive)))
        }
        router.post("/api/models/{name}/rollback") { request, context -> Response in
            let name = try modelName(context)
            let steps = try await JSON.decodeIfPresent(RollbackBody.self, from: request)?.steps ?? 1
            let record = try await registry.rollback(name, steps: steps)
            state.metrics.activeVersion(record)
            return try JSON.response(ModelVersionBody(record, times: state.times))
        }
        router.post("/api/train-all") { request, _ -> Response in
            var training = try await JSON.decodeIfPresent(TrainingRequest.self, from: request) ?? TrainingRequest()
            // Only the server's continual-learning schedule plans steps (`POST /api/jobs` drops it too).
            training.scheduledFor = nil
            try state.loader.check(training.data)
            let submission = JobSubmission(request: .training(training))
            let job = try await state.store.createJob(kind: .training, request: try JSON.string(submission))
            state.scheduler.wake()
            return try JSON.response(JobBody(job, times: state.times), status: .created)
        }
        router.get("/api/training-status/{name}") { _, context -> Response in
            let name = try modelName(context)
            var status = state.scheduler.training.status(name)
            if status.status == "idle" { status.version = try await state.store.modelVersion(name, version: nil)?.version }
            return try JSON.response(status)
        }
    }

    static func modelName(_ context: APIContext) throws -> String {
        let name = context.parameters.get("name") ?? ""
        guard StoredModelVersion.isValidName(name) else {
            throw APIError.badRequest("name '\(name)': expected \(StoredModelVersion.nameRule)", field: "name")
        }
        return name
    }

    /// `?version=N` (nil: the active version).
    static func version(_ request: Request) throws -> Int? {
        guard Query(request).string("version") != nil else { return nil }
        return try Query(request).int("version", default: 1, range: 1...Int(Int32.max))
    }
}
