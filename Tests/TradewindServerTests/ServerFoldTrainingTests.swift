import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TradewindModels
@testable import TradewindServer

/// Optimize jobs of an ML strategy on the server retrain the universal model on each in-sample window, as
/// `tradewind optimize` does: the same fold models (the same weights' hash), chosen parameters and out-of-sample
/// figures, in-process and on a `tradewind worker`; the command's training options, checks and messages; the fold
/// models kept in the job's folder until the job is deleted; a cancel stopping a fold's training. A tiny network
/// (widths 4,2,2,4,2, 20-bar windows, one epoch) on the bundled SPY sample keeps each run to seconds.
@Suite("Server optimize jobs retrain ML models per fold")
struct ServerFoldTrainingTests {
    static let walkForward = "folds=2,train=300,test=60"

    /// The job's request fields beyond the strategy: `training` are the `train_*` fields.
    static func job(training: String = #""train_epochs":1,"train_widths":"4,2,2,4,2","train_window":20"#) -> String {
        """
        {"kind":"optimize","request":{"strategy":"ml-signal","data":"sample:spy-daily","grids":["threshold=0.1:0.2:0.1"],
         "walk_forward":"\(walkForward)","objective":"total_return","robustness":false,\(training)}}
        """
    }

    /// `tradewind optimize` with the same options, run by the real binary; its `--json` output.
    static func command(foldModels: String) async throws -> [String: Any] {
        let run = try await Self.run(["optimize", "--strategy", "ml-signal", "--data", "sample:spy-daily", "--grid", "threshold=0.1:0.2:0.1",
                                "--walk-forward", walkForward, "--objective", "total_return", "--no-robustness", "--train-epochs", "1",
                                "--train-widths", "4,2,2,4,2", "--train-window", "20", "--fold-models", foldModels, "--json"])
        guard run.status == 0, let json = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any] else {
            throw KillAndResumeTests.Failure(description: "optimize failed (\(run.status)): \(run.stderr)")
        }
        return json
    }

    /// Runs the `tradewind` binary to its end (bounded: 300 s), waiting without blocking a thread of the
    /// cooperative pool (the other suites' async tests share its few threads).
    static func run(_ arguments: [String]) async throws -> (status: Int32, stdout: String, stderr: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try KillAndResumeTests.binary())
        p.arguments = arguments
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("tw-cli-\(UUID().uuidString)").path
        let err = out + ".err"
        FileManager.default.createFile(atPath: out, contents: nil)
        FileManager.default.createFile(atPath: err, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: out); try? FileManager.default.removeItem(atPath: err) }
        p.standardOutput = FileHandle(forWritingAtPath: out)
        p.standardError = FileHandle(forWritingAtPath: err)
        try p.run()
        let deadline = Date().addingTimeInterval(300)
        while p.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        if p.isRunning { p.terminate(); p.waitUntilExit() }
        p.waitUntilExit()
        return (p.terminationStatus, (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
                (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
    }

    /// What must not depend on where the job ran: the walk-forward figures (folds with their chosen parameters,
    /// in- and out-of-sample figures, stitched equity) and the best parameters, every model path reduced to its
    /// content hash (`<hash>/universal.json`: the directory differs, the weights must not).
    static func comparable(validation: Any?, best: Any?) -> String {
        func normalized(_ value: Any) -> Any {
            switch value {
            case let s as String where s.hasSuffix("/universal.json"):
                return s.split(separator: "/").suffix(2).joined(separator: "/")
            case let d as [String: Any]: return d.mapValues(normalized)
            case let a as [Any]: return a.map(normalized)
            default: return value
            }
        }
        let kept: [String: Any] = ["validation": normalized(validation ?? NSNull()),
                                   "best_params": normalized((best as? [String: Any])?["params"] ?? NSNull())]
        let data = (try? JSONSerialization.data(withJSONObject: kept, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// The models a fold-model folder holds.
    static func models(in folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    /// A server whose catalog has the ML strategies, as `tradewind serve`'s has.
    static func server() async throws -> TradewindServer {
        var c = ServerConfiguration(port: 0, home: try TestServer.home(), workers: 2)
        c.jobPriority = .normal
        c.bcryptCost = 4
        return try await TradewindServer.make(c, environment: [:], catalog: ModelStrategies.catalog)
    }

    /// Polls a job until it ends (at most 300 s: the whole suite may load the machine).
    static func finished(_ id: Int, client: any TestClientProtocol) async throws -> [String: Any] {
        for _ in 0..<3000 {
            let job = try await client.send(.get, "/api/jobs/\(id)").json
            if ["succeeded", "failed", "cancelled"].contains(job["status"] as? String ?? "") { return job }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw KillAndResumeTests.Failure(description: "job \(id) did not end within 300 s")
    }

    @Test func anOptimizeJobRetrainsEachFoldAsTheCommandDoesAndKeepsItsModelsUntilDeleted() async throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("tw-folds-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let command = try await Self.command(foldModels: scratch)
        let expected = Self.comparable(validation: command["validation"], best: command["best"])
        let expectedModels = Self.models(in: scratch)
        // The searched range's model and one per fold.
        #expect(expectedModels.count == 3)

        let server = try await Self.server()
        let home = server.state.configuration.home
        try await server.application().test(.live) { client in
            let created = try await client.send(.post, "/api/jobs", body: Self.job())
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(created.json["id"] as? Int)
            let job = try await Self.finished(id, client: client)
            #expect(job["status"] as? String == "succeeded", "\(job)")
            let items = try await client.send(.get, "/api/history?limit=10").json["items"] as? [[String: Any]] ?? []
            let resultID = try #require(items.first { $0["job_id"] as? Int == id }?["id"] as? Int)
            let detail = try await client.send(.get, "/api/history/\(resultID)").json["detail"] as? [String: Any]
            let optimization = try #require(detail?["optimization"] as? [String: Any])
            let folds = (optimization["validation"] as? [String: Any])?["folds"] as? [[String: Any]] ?? []
            #expect(folds.count == 2)
            #expect(Self.comparable(validation: optimization["validation"], best: optimization["best"]) == expected)

            // Kept in the job's folder (the default), the same files the command wrote; gone with the job.
            let folder = JobFolders.foldModels(Int64(id), home: home)
            #expect(Self.models(in: folder) == expectedModels)
            // The result's report re-runs its best point with the kept model.
            let report = try await client.send(.get, "/api/reports/\(resultID).html")
            #expect(report.status == .ok, "\(report.text.prefix(300))")
            let log = try await client.send(.get, "/api/jobs/\(id)/log").text
            #expect(log.contains("retraining the model on each in-sample window"))
            #expect(try await client.send(.delete, "/api/jobs/\(id)").status == .ok)
            #expect(!FileManager.default.fileExists(atPath: JobFolders.root(home: home) + "/\(id)"))
        }
    }

    @Test func foldModelsAreRemovedAtTheEndWhenNotKept() async throws {
        let server = try await Self.server()
        let home = server.state.configuration.home
        try await server.application().test(.live) { client in
            let body = Self.job(training: #""train_epochs":1,"train_widths":"4,2,2,4,2","train_window":20,"keep_fold_models":false"#)
            let id = try #require(try await client.send(.post, "/api/jobs", body: body).json["id"] as? Int)
            #expect(try await Self.finished(id, client: client)["status"] as? String == "succeeded")
            #expect(!FileManager.default.fileExists(atPath: JobFolders.foldModels(Int64(id), home: home)))
            // The stored request says how the job trained (a restart resumes with the same settings).
            let stored = try await client.send(.get, "/api/jobs/\(id)").text
            #expect(stored.contains(#""train_epochs":1"#) && stored.contains(#""keep_fold_models":false"#), "\(stored)")
        }
    }

    @Test func anInvalidTrainingOptionIsA400WithTheCommandsMessage() async throws {
        let cases: [(json: String, flag: [String], field: String, message: String)] = [
            (#""train_epochs":0"#, ["--train-epochs", "0"], "train_epochs", "train_epochs 0: expected 1...10000"),
            (#""train_batch_size":0"#, ["--train-batch-size", "0"], "train_batch_size", "train_batch_size 0: expected 1...65536"),
            (#""train_widths":"4,2""#, ["--train-widths", "4,2"], "train_widths",
             "train_widths 4,2: expected five comma-separated layer widths of 1...4096 units"),
            (#""train_window":0"#, ["--train-window", "0"], "train_window", "train_window 0: expected 1...1000 bars"),
        ]
        let server = try await Self.server()
        try await server.application().test(.live) { client in
            for c in cases {
                let reply = try await client.send(.post, "/api/jobs", body: Self.job(training: c.json))
                #expect(reply.status == .badRequest, "\(c.json): \(reply.text)")
                #expect(reply.json["field"] as? String == c.field)
                #expect((reply.json["message"] as? String)?.hasSuffix(c.message) == true, "\(reply.text)")
                // The command refuses it with the same words, its flag for the field.
                let cli = try await Self.run(["optimize", "--strategy", "ml-signal", "--data", "sample:spy-daily", "--quiet"] + c.flag)
                let flagged = "--" + c.message.replacingOccurrences(of: "_", with: "-")
                #expect(cli.status != 0 && cli.stderr.contains(flagged), "\(cli.stderr)")
            }
            let unknown = try await client.send(.post, "/api/jobs", body: Self.job(training: #""train_epoch":1"#))
            #expect(unknown.status == .badRequest && unknown.text.contains("train_epochs"), "\(unknown.text)")
            #expect(try await client.send(.get, "/api/jobs").json["total"] as? Int == 0)
        }
    }

    @Test func cancellingAJobStopsItsFoldTrainingPromptly() async throws {
        let server = try await Self.server()
        let home = server.state.configuration.home
        try await server.application().test(.live) { client in
            // 10,000 epochs of a wider network would train for hours; a stop within 120 s (a loaded machine: the
            // whole suite runs beside) is the cancel reaching the training.
            let body = Self.job(training: #""train_epochs":10000,"train_widths":"32,16,16,32,16","train_window":20"#)
            let id = try #require(try await client.send(.post, "/api/jobs", body: body).json["id"] as? Int)
            var log = ""
            for _ in 0..<1200 where !log.contains("retraining") {
                try await Task.sleep(for: .milliseconds(100))
                log = try await client.send(.get, "/api/jobs/\(id)/log").text
            }
            #expect(log.contains("retraining"), "\(log)")
            try await Task.sleep(for: .milliseconds(300))
            let asked = ContinuousClock.now
            #expect(try await client.send(.post, "/api/jobs/\(id)/cancel").status == .accepted)
            let job = try await Self.finished(id, client: client)
            #expect(job["status"] as? String == "cancelled", "\(job)")
            #expect(ContinuousClock.now - asked < .seconds(120))
            // A fit cut short keeps no model.
            #expect(Self.models(in: JobFolders.foldModels(Int64(id), home: home)).isEmpty)
        }
    }

    @Test func aTaskOnAWorkerRetrainsEachFoldAsTheCommandDoes() async throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("tw-folds-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let command = try await Self.command(foldModels: scratch)
        let expected = Self.comparable(validation: command["validation"], best: command["best"])
        let database = Distributed.freshDatabase(try Distributed.baseURL())
        let home = try Distributed.home()
        let workerHome = try Distributed.home()
        let server = try await Distributed.Server.start(database: database, home: home)
        // The worker's matrix products get 1 thread either way: a fold trains on the optimising thread.
        let worker = try Distributed.worker("fold-trainer", database: database, home: workerHome, lease: 6)
        // Bounds for a loaded machine (the whole suite runs beside): a worker process starting, a job training.
        try await server.waitForWorkers(within: 180) { $0.count == 1 }
        let id = try #require(try await server.json("POST", "/api/jobs", body: Self.job())["id"] as? Int)
        let job = try await server.finished(id, within: 300)
        #expect(job["status"] as? String == "succeeded", "\(job) \(worker.output)")
        let result = try #require(try await server.results(job: id)["SPY"], "\(worker.output)")
        let optimization = try #require((result["detail"] as? [String: Any])?["optimization"] as? [String: Any])
        #expect(Self.comparable(validation: optimization["validation"], best: optimization["best"]) == expected)
        // The worker kept the models in its own home, the same files as the command's.
        #expect(Self.models(in: JobFolders.foldModels(Int64(id), home: workerHome)) == Self.models(in: scratch))
        #expect(await worker.terminate(within: 15))
        server.child.kill9()
    }
}
