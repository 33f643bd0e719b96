import Foundation
import HummingbirdTesting
import Testing
import TradewindCore
import TradewindModels
import TradewindStore
@testable import TradewindServer

/// Continual learning's schedule inside the server (`ContinualRunner`), driven by explicit times: nothing waits
/// for a real clock.
@Suite("Server continual-learning schedule")
struct ContinualRunnerTests {
    static let zone = ZoneRules.newYork

    static func at(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int) -> UnixNanos {
        zone.instant(CivilDate(year: year, month: month, day: day)!, hour: hour, minute: minute)
    }

    static func configuration() throws -> ContinualConfiguration {
        var request = TrainingRequest()
        request.symbols = ["KO"]
        request.epochs = 2
        request.widths = [4, 2, 2, 4, 2]
        return ContinualConfiguration(schedule: try ContinualSchedule(dailyUpdateTime: "16:30", fullRetrainTime: "02:00", fullRetrainWeekday: 6),
                                      request: request, updateEpochs: 1)
    }

    static func store() async throws -> SQLStore {
        try await SQLStore.open((try TestServer.home() as NSString).appendingPathComponent("tradewind.sqlite"))
    }

    static func training(_ job: JobRecord) throws -> TrainingRequest {
        let submission = try JSONDecoder().decode(JobSubmission.self, from: Data(job.request.utf8))
        guard case let .training(request) = submission.request else { throw CancellationError() }
        return request
    }

    /// Ends a queued job as succeeded, as a server that ran it would.
    static func finish(_ job: JobRecord, in store: SQLStore) async throws {
        let claimed = try #require(try await store.claimNextJob(owner: "test", lease: 30))
        #expect(claimed.id == job.id)
        try await store.finishJob(job.id, owner: "test", status: .succeeded, failure: nil)
    }

    @Test func aDueStepIsEnqueuedOnceAsATrainingJobAndAFullRetrainWhileNoVersionIsActive() async throws {
        let store = try await Self.store()
        defer { Task { await store.close() } }
        let runner = ContinualRunner(configuration: try Self.configuration(), store: store, wake: {})
        // First start, Monday 2024-03-04 12:00: nothing ran before, nothing is due yet.
        #expect(try await runner.tick(now: Self.at(2024, 3, 4, 12, 0)) == nil)
        let job = try #require(try await runner.tick(now: Self.at(2024, 3, 4, 16, 31)))
        #expect(job.kind == .training && job.status == .queued)
        let request = try Self.training(job)
        #expect(request.mode == .full && request.epochs == 2 && request.scheduledFor == Self.at(2024, 3, 4, 16, 30))
        #expect(request.automaticRollback == false && request.symbols == ["KO"])
        #expect(try await runner.tick(now: Self.at(2024, 3, 4, 16, 45)) == nil)
        #expect(try await store.jobs(statuses: nil, page: PageRequest(limit: 10)).total == 1)
    }

    @Test func aStepDueWhileTheModelsJobRunsWaitsForIt() async throws {
        let store = try await Self.store()
        defer { Task { await store.close() } }
        let runner = ContinualRunner(configuration: try Self.configuration(), store: store, wake: {})
        _ = try await runner.tick(now: Self.at(2024, 3, 4, 12, 0))
        let first = try #require(try await runner.tick(now: Self.at(2024, 3, 4, 16, 31)))
        // Tuesday's update is due, but Monday's job is still queued: nothing more.
        #expect(try await runner.tick(now: Self.at(2024, 3, 5, 16, 31)) == nil)
        try await Self.finish(first, in: store)
        let second = try #require(try await runner.tick(now: Self.at(2024, 3, 5, 16, 32)))
        #expect(try Self.training(second).scheduledFor == Self.at(2024, 3, 5, 16, 30))
    }

    @Test func aRestartedServerRunsTheStepsItMissedOnceNotOncePerDay() async throws {
        let store = try await Self.store()
        defer { Task { await store.close() } }
        let before = ContinualRunner(configuration: try Self.configuration(), store: store, wake: {})
        _ = try await before.tick(now: Self.at(2024, 3, 4, 12, 0))
        try await Self.finish(try #require(try await before.tick(now: Self.at(2024, 3, 4, 16, 31))), in: store)
        // Down from Monday evening to Thursday noon: Tuesday's and Wednesday's updates were missed.
        let after = ContinualRunner(configuration: try Self.configuration(), store: store, wake: {})
        let caughtUp = try #require(try await after.tick(now: Self.at(2024, 3, 7, 12, 0)))
        #expect(try Self.training(caughtUp).scheduledFor == Self.at(2024, 3, 6, 16, 30))
        try await Self.finish(caughtUp, in: store)
        #expect(try await after.tick(now: Self.at(2024, 3, 7, 12, 1)) == nil)
        // A second restart the same morning runs nothing again.
        let again = ContinualRunner(configuration: try Self.configuration(), store: store, wake: {})
        #expect(try await again.tick(now: Self.at(2024, 3, 7, 12, 2)) == nil)
        #expect(try await store.jobs(statuses: nil, page: PageRequest(limit: 10)).total == 2)
    }

    @Test func withAnActiveVersionTheUpdateIsIncrementalAndChecksForRollbackAndSaturdayRetrainsInFull() async throws {
        let store = try await Self.store()
        defer { Task { await store.close() } }
        let scenario = try StoreAutomaticRollbackTests.scenario()
        _ = try await StoreModelRegistry(store: store).register(scenario.majority, name: "universal", datasetHash: scenario.hash, activate: true)
        let runner = ContinualRunner(configuration: try Self.configuration(), store: store, wake: {})
        _ = try await runner.tick(now: Self.at(2024, 3, 8, 12, 0))
        let update = try Self.training(try #require(try await runner.tick(now: Self.at(2024, 3, 8, 16, 31))))
        #expect(update.mode == .incremental && update.epochs == 1 && update.automaticRollback)
        let jobs = try await store.jobs(statuses: nil, page: PageRequest(limit: 10)).items
        try await Self.finish(try #require(jobs.first), in: store)
        let retrain = try Self.training(try #require(try await runner.tick(now: Self.at(2024, 3, 9, 3, 0))))
        #expect(retrain.mode == .full && retrain.epochs == 2 && retrain.automaticRollback)
        #expect(retrain.scheduledFor == Self.at(2024, 3, 9, 2, 0))
    }

    @Test func aWeeklyRetrainMissedWhileDownIsMadeUpAsAFullRetrainOnce() async throws {
        let store = try await Self.store()
        defer { Task { await store.close() } }
        let scenario = try StoreAutomaticRollbackTests.scenario()
        _ = try await StoreModelRegistry(store: store).register(scenario.majority, name: "universal", datasetHash: scenario.hash, activate: true)
        let before = ContinualRunner(configuration: try Self.configuration(), store: store, wake: {})
        _ = try await before.tick(now: Self.at(2024, 3, 8, 12, 0))
        try await Self.finish(try #require(try await before.tick(now: Self.at(2024, 3, 8, 16, 31))), in: store)
        // Down from Friday evening to Monday 17:00: Saturday's full retrain and Monday's update were missed. The
        // newest step runs once, as a full retrain, with the epochs of one.
        let after = ContinualRunner(configuration: try Self.configuration(), store: store, wake: {})
        let job = try #require(try await after.tick(now: Self.at(2024, 3, 11, 17, 0)))
        let caughtUp = try Self.training(job)
        #expect(caughtUp.scheduledFor == Self.at(2024, 3, 11, 16, 30) && caughtUp.mode == .full && caughtUp.epochs == 2)
        #expect(caughtUp.automaticRollback)
        // The job reads its data as train-all's jobs do (no tz of its own), whatever zone the schedule fires in.
        let submission = try JSONDecoder().decode(JobSubmission.self, from: Data(job.request.utf8))
        #expect(submission.tz == nil)
        try await Self.finish(job, in: store)
        // Tuesday's update is incremental again.
        let next = try Self.training(try #require(try await after.tick(now: Self.at(2024, 3, 12, 16, 31))))
        #expect(next.mode == .incremental && next.scheduledFor == Self.at(2024, 3, 12, 16, 30))
    }

    @Test func catchingUpRunsTheNewestMissedStepAsAFullRetrainWhenTheRetrainWasMissed() throws {
        let schedule = try ContinualSchedule(dailyUpdateTime: "16:30", fullRetrainTime: "02:00", fullRetrainWeekday: 6)
        let friday = Self.at(2024, 3, 8, 16, 30)
        // Nothing new since Friday's update, until Saturday 02:00.
        #expect(schedule.catchUp(since: friday, atOrBefore: Self.at(2024, 3, 9, 1, 59), calendar: NYSECalendar.shared) == nil)
        let saturday = try #require(schedule.catchUp(since: friday, atOrBefore: Self.at(2024, 3, 9, 2, 0), calendar: NYSECalendar.shared))
        #expect(saturday.time == Self.at(2024, 3, 9, 2, 0) && saturday.action == .fullRetrain)
        // Missed Saturday's retrain: Monday's and Tuesday's newest update is run as a full retrain.
        for day in [11, 12] {
            let late = try #require(schedule.catchUp(since: friday, atOrBefore: Self.at(2024, 3, day, 17, 0), calendar: NYSECalendar.shared))
            #expect(late.time == Self.at(2024, 3, day, 16, 30) && late.action == .fullRetrain, "\(day)")
        }
        // Ran Saturday's retrain: Tuesday's catch-up after a missed Monday is an update.
        let update = try #require(schedule.catchUp(since: Self.at(2024, 3, 9, 2, 0), atOrBefore: Self.at(2024, 3, 12, 17, 0),
                                                   calendar: NYSECalendar.shared))
        #expect(update.time == Self.at(2024, 3, 12, 16, 30) && update.action == .incrementalUpdate)
        // More than a week down: one full retrain at the newest step.
        let long = try #require(schedule.catchUp(since: friday, atOrBefore: Self.at(2024, 3, 21, 17, 0), calendar: NYSECalendar.shared))
        #expect(long.time == Self.at(2024, 3, 21, 16, 30) && long.action == .fullRetrain)
    }

    @Test func theScheduleRunsTheUpdateOnlyOnTheExchangesSessions() throws {
        let schedule = try ContinualSchedule(dailyUpdateTime: "16:30", fullRetrainTime: "02:00", fullRetrainWeekday: 6)
        // Thursday 2024-07-04 is a NYSE holiday: after Wednesday's update comes Friday's.
        let next = schedule.next(after: Self.at(2024, 7, 3, 17, 0), calendar: NYSECalendar.shared)
        #expect(next.time == Self.at(2024, 7, 5, 16, 30) && next.action == .incrementalUpdate)
        #expect(schedule.next(after: Self.at(2024, 7, 3, 17, 0)).time == Self.at(2024, 7, 4, 16, 30))
        let last = schedule.last(atOrBefore: Self.at(2024, 7, 5, 12, 0), calendar: NYSECalendar.shared)
        #expect(last.time == Self.at(2024, 7, 3, 16, 30))
    }

    /// A clock stopped at one instant: the schedule's sleeps last until the server stops.
    struct StoppedClock: ContinualClock {
        let instant: UnixNanos
        func now() -> UnixNanos { instant }
        func sleep(until: UnixNanos) async throws { try await Task.sleep(for: .seconds(3600)) }
    }

    @Test func aServerWithContinualLearningQueuesTheStepItMissedAsATrainingJob() async throws {
        let home = try TestServer.home()
        // A server before this one ran Monday's step, then was down until Thursday noon.
        let store = try await SQLStore.open((home as NSString).appendingPathComponent("tradewind.sqlite"))
        let earlier = ContinualRunner(configuration: try Self.configuration(), store: store, wake: {})
        _ = try await earlier.tick(now: Self.at(2024, 3, 4, 12, 0))
        try await Self.finish(try #require(try await earlier.tick(now: Self.at(2024, 3, 4, 16, 31))), in: store)
        await store.close()

        var c = ServerConfiguration(port: 0, home: home, workers: 1)
        c.jobPriority = .normal
        c.bcryptCost = 4
        c.continual = try Self.configuration()
        c.continualClock = StoppedClock(instant: Self.at(2024, 3, 7, 12, 0))
        let server = try await TradewindServer.make(c, environment: [:])
        try await server.application().test(.live) { client in
            var items: [[String: Any]] = []
            for _ in 0..<300 where items.count < 2 {
                items = try await client.send(.get, "/api/jobs").json["items"] as? [[String: Any]] ?? []
                if items.count < 2 { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(items.count == 2 && items.first?["kind"] as? String == "training")
            // The job's request is the stored submission: {"kind": "training", "request": {…}}.
            let submission = try #require(items.first?["request"] as? [String: Any])
            let request = try #require(submission["request"] as? [String: Any])
            #expect((request["scheduled_for"] as? NSNumber)?.int64Value == Self.at(2024, 3, 6, 16, 30) && request["mode"] as? String == "full")
        }
    }
}
