import Foundation
import Hummingbird
import TradewindStore

extension Routes {
    static func addJobs(to router: Router<APIContext>, _ state: ServerState) {
        router.post("/api/jobs") { request, _ -> Response in
            var submission = try await JSON.decode(JobSubmission.self, from: request)
            if let name = submission.keyword {
                guard let keyword = try await state.store.keyword(name) else {
                    throw APIError.badRequest("keyword \(name): no such keyword (GET /api/keywords lists them)", field: "keyword")
                }
                switch submission.request {
                case var .optimize(r):
                    r.optimization.symbols = keyword.symbols
                    submission.request = .optimize(r)
                case var .backtest(r):
                    r.symbols = keyword.symbols
                    submission.request = .backtest(r)
                case var .training(r):
                    r.symbols = keyword.symbols
                    submission.request = .training(r)
                case var .dataFetch(r):
                    r.symbols = keyword.symbols
                    submission.request = .dataFetch(r)
                }
            }
            // Only the server's continual-learning schedule plans steps: a client's `scheduled_for` is dropped (one far
            // in the future would otherwise stop the schedule after the next restart).
            if case var .training(r) = submission.request, r.scheduledFor != nil {
                r.scheduledFor = nil
                submission.request = .training(r)
            }
            // The command line's checks, before anything is queued.
            let zone = try MarketLoader.zone(submission.tz)
            switch submission.request {
            case let .optimize(r):
                // A given model is refused with validation (each in-sample window trains its own).
                _ = try r.retraining(directory: "").attach(to: try r.optimization.plan(catalog: state.catalog, zone: zone, threads: .single).job)
                try state.loader.check(r.optimization.data)
            case let .backtest(r):
                try state.backtests.check(r)
            case let .training(r):
                try state.loader.check(r.data)
            case let .dataFetch(r):
                _ = try DataFetchJob.check(r, environment: state.scheduler.providers)
            }
            let job = try await state.store.createJob(kind: submission.kind, request: try JSON.string(submission))
            state.scheduler.wake()
            return try JSON.response(JobBody(job, times: state.times), status: .created)
        }
        router.get("/api/jobs") { request, _ -> Response in
            let q = Query(request)
            var statuses: [JobStatus]?
            if let text = q.string("status") {
                statuses = try text.split(separator: ",").map { part in
                    guard let s = JobStatus(rawValue: String(part)) else {
                        throw APIError.badRequest("status \(text): expected one or more of \(JobStatus.allCases.map(\.rawValue).joined(separator: ", ")), comma-separated", field: "status")
                    }
                    return s
                }
            }
            let page = try await state.store.jobs(statuses: statuses, page: try q.page())
            return try JSON.response(PageBody(page) { JobBody($0, times: state.times) })
        }
        router.get("/api/jobs/{id}") { _, context -> Response in
            let id = try pathID(context)
            guard let job = try await state.store.job(id) else { throw APIError.notFound("no job \(id)") }
            return try JSON.response(JobBody(job, times: state.times, symbols: try await state.store.jobSymbols(id)))
        }
        router.get("/api/jobs/{id}/log") { request, context -> Response in
            let id = try pathID(context)
            guard try await state.store.job(id) != nil else { throw APIError.notFound("no job \(id)") }
            let page = try await state.store.jobLog(id, page: try Query(request).page(defaultLimit: 200))
            return try JSON.response(PageBody(page) { JobLogBody(at: state.times.string($0.at), level: $0.level, message: $0.message) })
        }
        router.post("/api/jobs/{id}/cancel") { _, context -> Response in
            let id = try pathID(context)
            let job = try await state.store.cancelJob(id)
            if job.status == .running { state.scheduler.cancel(id) }
            return try JSON.response(JobBody(job, times: state.times), status: .accepted)
        }
        router.delete("/api/jobs") { _, _ -> Response in
            let n = try await state.store.deleteFinishedJobs()
            await state.scheduler.removeFoldersOfDeletedJobs()
            return JSON.response(#"{"deleted":\#(n)}"#)
        }
        router.delete("/api/jobs/{id}") { _, context -> Response in
            let id = try pathID(context)
            try await state.store.deleteJob(id)
            await state.scheduler.removeFoldersOfDeletedJobs()
            return JSON.response(#"{"deleted":1}"#)
        }
    }
}
