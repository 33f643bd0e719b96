import Foundation
import Synchronization
import Testing
import TradewindCore
#if canImport(Glibc)
import Glibc
#endif

/// Watches the pieces of a parallel run: which threads ran them and how many ran at once.
final class WorkerWatch: Sendable {
    private let active = Atomic<Int>(0)
    private let peakCount = Atomic<Int>(0)
    private let seen = Mutex<(threads: Set<UInt>, pieces: [Int])>(([], []))

    /// The identity of the calling thread.
    static func thread() -> UInt { UInt(bitPattern: Int(bitPattern: UnsafeRawPointer(bitPattern: UInt(pthread_self())))) }

    /// Records piece `i` and keeps it running for `spin` so that workers overlap.
    func piece(_ i: Int, spin: Duration = .microseconds(200)) {
        let now = active.wrappingAdd(1, ordering: .acquiringAndReleasing).newValue
        var peak = peakCount.load(ordering: .relaxed)
        while now > peak {
            let (exchanged, original) = peakCount.compareExchange(expected: peak, desired: now, ordering: .relaxed)
            if exchanged { break }
            peak = original
        }
        seen.withLock {
            $0.threads.insert(Self.thread())
            $0.pieces.append(i)
        }
        let end = ContinuousClock.now + spin
        while ContinuousClock.now < end {}
        active.wrappingSubtract(1, ordering: .acquiringAndReleasing)
    }

    var peak: Int { peakCount.load(ordering: .relaxed) }
    var threads: Set<UInt> { seen.withLock { $0.threads } }
    var pieces: [Int] { seen.withLock { $0.pieces } }
}

struct ThreadBudgetTests {
    @Test func aBudgetOfOneRunsEveryPieceOnTheCallingThreadInOrder() {
        let watch = WorkerWatch()
        ThreadBudget.single.forEach(50) { watch.piece($0, spin: .microseconds(20)) }
        #expect(watch.threads == [WorkerWatch.thread()])
        #expect(watch.peak == 1)
        #expect(watch.pieces == Array(0..<50))
    }

    @Test(arguments: [2, 3])
    func noMoreThreadsRunThanTheBudgetAllows(threads: Int) {
        let watch = WorkerWatch()
        ThreadBudget(threads).forEach(64) { watch.piece($0) }
        #expect(watch.peak <= threads)
        #expect(watch.threads.count <= threads)
        #expect(watch.pieces.sorted() == Array(0..<64))
    }

    @Test func aSinglePieceRunsOnTheCallingThreadWhateverTheBudget() {
        let watch = WorkerWatch()
        ThreadBudget(8).forEach(1) { watch.piece($0) }
        #expect(watch.threads == [WorkerWatch.thread()])
    }

    @Test func mapGivesTheSameValuesInIndexOrderOnEveryBudget() {
        var rng = SplitMix64(seed: 17)
        for _ in 0..<20 {
            let count = Int(rng.next() % 300)
            let salt = rng.next()
            let expected = (0..<count).map { i -> UInt64 in
                var g = SplitMix64(seed: salt &+ UInt64(i))
                return g.next()
            }
            for threads in [1, 2, 3, 8] {
                let got = ThreadBudget(threads).map(count) { i -> UInt64 in
                    var g = SplitMix64(seed: salt &+ UInt64(i))
                    return g.next()
                }
                #expect(got == expected, "\(count) pieces on \(threads) threads")
            }
        }
    }

    struct PieceFailed: Error, Equatable { let index: Int }

    @Test func mapThrowsTheErrorOfTheLowestFailingIndexOnEveryBudget() {
        for threads in [1, 2, 4] {
            #expect(throws: PieceFailed(index: 7)) {
                try ThreadBudget(threads).map(40) { (i) throws(PieceFailed) -> Int in
                    if i == 7 || i == 31 { throw PieceFailed(index: i) }
                    return i
                }
            }
        }
    }

    @Test func budgetsAreAtLeastOneThreadAndSharesStayWithinThem() {
        #expect(ThreadBudget(0).threads == 1)
        #expect(ThreadBudget(-3) == .single)
        let literal: ThreadBudget = 6
        #expect(literal.threads == 6)
        #expect(ThreadBudget.all.threads == KernelThreads.cores)
        #expect(literal.workers(for: 4) == 4)
        #expect(literal.workers(for: 100) == 6)
        #expect(literal.workers(for: 0) == 1)
        #expect(literal.share(among: 4) == ThreadBudget(1))
        #expect(literal.share(among: 2) == ThreadBudget(3))
        #expect(ThreadBudget(2).share(among: 5) == .single)
    }
}

struct DedicatedThreadTests {
    struct Refused: Error, Equatable {}

    @Test func workRunsOnAThreadOfItsOwnAndItsResultComesBack() async throws {
        // The kernel's name of the thread that ran the work (Linux; the name a new thread gets from its creator
        // otherwise).
        let (name, value) = await DedicatedThread.run(name: "budget-test") { () -> (String, Int) in
            let comm = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? ""
            return (comm.trimmingCharacters(in: .newlines), (1...100).reduce(0, +))
        }
        #expect(name == "budget-test")
        #expect(value == 5050)
    }

    @Test func aTypedErrorComesBackAsThrown() async {
        await #expect(throws: Refused()) {
            try await DedicatedThread.run { () throws(Refused) -> Int in throw Refused() }
        }
    }
}

struct AtomicFileTests {
    @Test func aWriteReplacesTheFileAndAFailureNamesTheDestination() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomic-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/out.bin"
        try AtomicFile.write([1, 2, 3], to: path)
        try AtomicFile.write([4, 5], to: path)
        #expect(FileManager.default.contents(atPath: path) == Data([4, 5]))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["out.bin"])
        let missing = dir + "/no-such-directory/out.bin"
        #expect(throws: AtomicFileError.self) { try AtomicFile.write([1], to: missing) }
        do {
            try AtomicFile.write([1], to: missing)
        } catch {
            #expect(error.path == missing)
            #expect(error.message.contains("cannot create a temporary file"))
        }
    }
}
