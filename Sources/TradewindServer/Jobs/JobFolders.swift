import Foundation
import TradewindStore

/// The files a job keeps under a home (the server's, or a worker's): `home/jobs/ID/`. An optimize job of an ML
/// strategy saves its fold models in `home/jobs/ID/fold-models/<hash>/universal.json` (content-addressed: any
/// process training a fold writes the same file); a training job keeps its checkpoint in `home/jobs/ID/`. Kept fold
/// models go when their job is deleted (`removeDeleted`).
enum JobFolders {
    /// `home/jobs`.
    static func root(home: String) -> String {
        (home as NSString).appendingPathComponent("jobs")
    }

    /// The fold models of job `id` that are kept: `home/jobs/ID/fold-models`.
    static func foldModels(_ id: Int64, home: String) -> String {
        (root(home: home) as NSString).appendingPathComponent("\(id)/fold-models")
    }

    /// A folder of one computation's fold models, removed when it ends: `home/jobs/ID/fold-models-<unique>`.
    static func scratchFoldModels(_ id: Int64, home: String) -> String {
        (root(home: home) as NSString).appendingPathComponent("\(id)/fold-models-" + UUID().uuidString.lowercased())
    }

    /// Removes the kept fold models of every job `store` no longer has (deleted jobs) — of the jobs `among` when
    /// given, else of every job folder under `home` — and a job's folder left empty by that. Nothing else in a job's
    /// folder is touched (a training checkpoint goes with its job's end). Best effort: an unreachable store removes
    /// nothing.
    static func removeDeleted(home: String, store: any TradewindStore, among ids: Set<Int64>? = nil) async {
        let root = root(home: home)
        let candidates = ids.map { Array($0) }
            ?? ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).compactMap { Int64($0) }
        for id in candidates.sorted() {
            do {
                if try await store.job(id) != nil { continue }
            } catch { return }
            try? FileManager.default.removeItem(atPath: foldModels(id, home: home))
            let folder = (root as NSString).appendingPathComponent("\(id)")
            if (try? FileManager.default.contentsOfDirectory(atPath: folder))?.isEmpty == true {
                try? FileManager.default.removeItem(atPath: folder)
            }
        }
    }
}

extension JobScheduler {
    /// Removes the kept fold models of deleted jobs under the server's home.
    func removeFoldersOfDeletedJobs() async {
        await JobFolders.removeDeleted(home: loader.home, store: store)
    }
}
