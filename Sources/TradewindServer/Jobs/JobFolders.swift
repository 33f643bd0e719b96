import Foundation
import TradewindStore

/// The files a job keeps under a home (the server's, or a worker's): `home/jobs/ID/`. An optimize job of an ML
/// strategy saves its fold models in `home/jobs/ID/fold-models/<hash>/universal.json` (content-addressed: any
/// process training a fold writes the same file); a training job keeps its checkpoint in `home/jobs/ID/`. A job's
/// folder goes when the job is deleted (`removeDeleted`).
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

    /// Removes the folder of every job `store` no longer has (deleted jobs); folders of existing jobs stay. Best
    /// effort: an unreachable store removes nothing.
    static func removeDeleted(home: String, store: any TradewindStore) async {
        let root = root(home: home)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: root) else { return }
        for name in names {
            guard let id = Int64(name) else { continue }
            do {
                if try await store.job(id) != nil { continue }
            } catch { return }
            try? FileManager.default.removeItem(atPath: (root as NSString).appendingPathComponent(name))
        }
    }
}

extension JobScheduler {
    /// Removes the folders of deleted jobs under the server's home (their kept fold models, a training checkpoint).
    func removeFoldersOfDeletedJobs() async {
        await JobFolders.removeDeleted(home: loader.home, store: store)
    }
}
