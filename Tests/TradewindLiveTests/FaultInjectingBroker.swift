import TradewindCore
import TradewindEngine
import TradewindLive

/// A paper broker behind an unreliable connection, for tests: reports duplicated, reordered within a poll, delayed
/// to later polls, or lost while "disconnected" (the connection epoch changes when it comes back), and submits
/// rejected. Deterministic for a seed.
final class FaultInjectingBroker: Broker, @unchecked Sendable {
    struct Faults {
        var duplicateEvery = 0
        var reorder = false
        /// Hold each report back for 0…maxDelay polls.
        var maxDelay = 0
        /// Lose every report during `disconnectFor` polls, starting every `disconnectEvery` polls.
        var disconnectEvery = 0
        var disconnectFor = 0
        /// Reject every n-th submitted order (at the broker, with a reason).
        var rejectEvery = 0
        /// Quantities added to the account's positions once the connection has come back the first time, with no
        /// report (a trade placed elsewhere, a transfer): what a reconnect's position check must catch.
        var positionsChangedWhileDown: [String: Double] = [:]
    }

    let inner: PaperBroker
    let faults: Faults
    private var rng: UInt64
    private var held: [(due: Int, update: BrokerUpdate)] = []
    private var polls = 0
    private var submits = 0
    private var rejections = 0
    private var scratch: [BrokerUpdate] = []
    private(set) var connectionEpoch = 0
    private var disconnected = false
    private(set) var lost = 0
    private(set) var duplicated = 0
    private(set) var rejected = 0
    var name: String { "faulty-paper" }

    init(_ inner: PaperBroker, faults: Faults, seed: UInt64) {
        self.inner = inner
        self.faults = faults
        rng = seed | 1
    }

    private func random(_ n: Int) -> Int {
        rng ^= rng << 13
        rng ^= rng >> 7
        rng ^= rng << 17
        return Int(rng % UInt64(max(n, 1)))
    }

    func send(_ command: BrokerCommand) {
        if case .submit(let o) = command, faults.rejectEvery > 0 {
            submits += 1
            if submits % faults.rejectEvery == 0 {
                rejected += 1
                rejections += 1
                held.append((polls, BrokerUpdate(eventID: "fault-reject-\(rejections)", brokerID: "fault-\(rejections)",
                                                 .accepted(clientOrderID: o.clientOrderID, symbol: o.symbol, request: o.request,
                                                           status: .rejected, reason: "insufficient buying power (injected)"))))
                return
            }
        }
        inner.send(command)
    }

    func pollUpdates(into updates: inout [BrokerUpdate]) {
        polls += 1
        if faults.disconnectEvery > 0 {
            let phase = polls % faults.disconnectEvery
            let down = phase < faults.disconnectFor
            if disconnected && !down { connectionEpoch += 1 }
            disconnected = down
        }
        scratch.removeAll()
        inner.pollUpdates(into: &scratch)
        if disconnected {
            lost += scratch.count
            return
        }
        for u in scratch { held.append((polls + (faults.maxDelay > 0 ? random(faults.maxDelay + 1) : 0), u)) }
        var out: [BrokerUpdate] = []
        held.removeAll { entry in
            guard entry.due <= polls else { return false }
            out.append(entry.update)
            return true
        }
        if faults.reorder && out.count > 1 {
            for i in stride(from: out.count - 1, to: 0, by: -1) { out.swapAt(i, random(i + 1)) }
        }
        for u in out {
            updates.append(u)
            if faults.duplicateEvery > 0 && random(faults.duplicateEvery) == 0 {
                updates.append(u)
                duplicated += 1
            }
        }
    }

    func updates(after eventID: String?) async throws -> [BrokerUpdate] {
        // The injected rejections are this broker's own reports, in the history too.
        let rejects = held.filter { $0.update.eventID.hasPrefix("fault-reject") }.map(\.update)
        // `after` is a hint: with reports reordered and delayed, an earlier one may still be missing, so give the
        // whole stream (the runtime skips what it has by id).
        return try await inner.updates(after: nil) + rejects
    }

    func account() async throws -> BrokerAccount {
        let account = try await inner.account()
        guard connectionEpoch > 0, !faults.positionsChangedWhileDown.isEmpty else { return account }
        return BrokerAccount(cash: account.cash, equity: account.equity,
                             positions: account.positions.merging(faults.positionsChangedWhileDown, uniquingKeysWith: +))
    }
    func marketOpened(_ step: FeedStep) throws { try inner.marketOpened(step) }
    func barEnded() { inner.barEnded() }
    func sessionClosed() { inner.sessionClosed() }
}
