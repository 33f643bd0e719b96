import Foundation
import Testing
import TradewindStore

/// Two real `tradewind serve` processes with different homes on one PostgreSQL database: the one running a training
/// job is killed with SIGKILL after two stored checkpoints; the other takes the job over once its lease expired and
/// resumes it from the epoch stored in the database (it has no file of the dead server's), registering the model an
/// uninterrupted run registers, bit for bit.
@Suite("Training job handed over between servers on PostgreSQL", .serialized)
struct TrainingHandoverTests {
    /// `TrainingKillResumeTests`' tiny network, for six epochs: the kill lands after two, the survivor trains the rest.
    static let request = #"{"kind":"training","request":{"symbols":["KO"],"epochs":6,"widths":[4,2,2,4,2],"performance_threshold":0}}"#

    @Test func aTrainingJobWhoseServerIsKilledIsResumedByAnotherServerFromItsStoredEpoch() async throws {
        let database = Distributed.freshDatabase(try Distributed.baseURL())
        let homes = [try Distributed.home(), try Distributed.home()]
        defer { for h in homes { try? FileManager.default.removeItem(atPath: h) } }
        // A short lease, so the survivor claims the job a few seconds after the kill.
        let servers = [try await Distributed.Server.start(database: database, home: homes[0], extra: ["--job-lease", "5"]),
                       try await Distributed.Server.start(database: database, home: homes[1], extra: ["--job-lease", "5"])]
        defer { for s in servers { s.child.kill9() } }

        // Whichever server claimed the job is killed.
        let watch = await TrainingJobWatch.postAndKillHolder(port: servers[0].port, request: Self.request,
                                                             after: 2, within: 420)
        let id = try #require(watch.jobID)
        #expect(watch.killed, "the kill must land after two checkpoints (\(watch.checkpoints) seen; log: \(watch.log))")
        let holder = try #require(watch.holder)
        let dead = try #require(servers.firstIndex { $0.child.process.processIdentifier == holder }, "holder pid \(holder)")
        servers[dead].child.kill9()
        let survivor = servers[1 - dead]

        let store = try await SQLStore.open(database)
        let saved = try #require(try await store.jobCheckpoint(Int64(id)), "the kill must land mid-training")
        #expect(saved.epoch >= 2 && saved.epoch < 6)

        let job = try await survivor.finished(id, within: 300)
        #expect(job["status"] as? String == "succeeded", "\(job)")
        let log = try await store.jobLog(Int64(id), page: PageRequest(limit: 1000)).items
        // The survivor's last start, then its resume from a stored epoch (not from scratch). On a loaded machine the
        // holder can be starved past its lease before the kill: the survivor then claimed the job while the holder
        // still lived (the holder stopped on its next renewal) and resumed from the checkpoint stored at its claim.
        // A claim after the kill resumes at least from the newest checkpoint the log reported stored at the kill.
        // `saved` was read after the kill, and the survivor may already have stored its own next epoch by then, so
        // it bounds the resume from above only (stored epochs only grow).
        let pid = survivor.child.process.processIdentifier
        let takeover = try #require(log.lastIndex { $0.message.hasPrefix("started on ") && TrainingJobWatch.pid($0.message) == pid },
                                    "log: \(log.map(\.message))")
        let resumed = try #require(log[takeover...].first { $0.message.hasPrefix("resuming training after epoch ") },
                                   "log: \(log.map(\.message))")
        let after = TrainingKillResumeTests.resumedEpoch(resumed.message) ?? 0
        let claimedAfterTheKill = resumed.at > watch.killedAt
        #expect(after >= (claimedAfterTheKill ? watch.storedEpochAtKill : 1) && after <= saved.epoch,
                "\(resumed.message) (claimed \(claimedAfterTheKill ? "after" : "before") the kill; stored at the kill: epoch \(watch.storedEpochAtKill), read after it: \(saved.epoch))")
        #expect(try await store.jobCheckpoint(Int64(id)) == nil, "the stored checkpoint is removed once the job ends")
        await store.close()
        let resumedModel = try await survivor.json("GET", "/api/models/universal/hash?version=1")["sha256"] as? String
        #expect(resumedModel != nil)

        // The same job, never interrupted, registers the same archive.
        let again = try #require(try await survivor.json("POST", "/api/jobs", body: Self.request)["id"] as? Int)
        #expect(try await survivor.finished(again, within: 300)["status"] as? String == "succeeded")
        #expect(try await survivor.json("GET", "/api/models/universal/hash?version=2")["sha256"] as? String == resumedModel)
    }
}
