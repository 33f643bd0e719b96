import Foundation
import TradewindCore

/// Continual learning's automatic rollback: the active version of a model is scored against the version it
/// replaced (its parent) on the newest data — the windows whose decision date is after every window either
/// version was trained or validated on (`UniversalModelConfig.seenThrough`), out of sample for both — with the
/// validation gate's metric and threshold; when the active version scores below `threshold` × its parent's, the
/// registry activates the parent, only if the active version is still the one scored (a compare-and-set:
/// a deploy or rollback that landed during the check wins, and the check changes nothing).
///
/// Nothing happens when the active version has no parent, when the parent is no longer kept (the registry's
/// retention window: a rollback never reaches past it) or was refused, or when the windows after both training
/// ranges span fewer than `minimumDates` decision dates (dates, not windows: one date of 62 symbols is still one
/// day of evidence).
public enum AutomaticRollback {
    /// What a check found and did.
    public struct Check: Sendable, Equatable {
        public enum Verdict: String, Sendable, Codable {
            /// The active version scored below the threshold: the parent is active now.
            case rolledBack = "rolled-back"
            /// The active version held up: it stays.
            case kept
            /// Nothing to compare (no active version, no kept parent, too little new data).
            case skipped
        }

        public let name: String
        public let verdict: Verdict
        /// The version active when the check began.
        public let active: Int?
        /// The version it was compared with (its parent), when kept.
        public let previous: Int?
        /// The comparison: `candidateAccuracy` is the active version's, `currentAccuracy` the parent's.
        public let decision: ValidationGate.Decision?
        /// Windows scored (decision dates after both training ranges, every symbol's).
        public let samples: Int
        /// The distinct decision dates of those windows.
        public let dates: Int
        /// The check in words, with both scores: the line to log.
        public let message: String
    }

    /// Windows of `tables` whose next bar is known and whose decision date is after `after`.
    public static func samples(_ tables: [FeatureTable], window: Int, after: UnixNanos) -> [WindowSample] {
        UniversalDataset.samples(tables, window: window, outcomeRequired: true).filter { tables[$0.symbol].time[$0.row] > after }
    }

    /// What `compare` found: the decision (nil when there was too little new data), and the windows and distinct
    /// decision dates it was judged on.
    public struct Comparison: Sendable, Equatable {
        public let decision: ValidationGate.Decision?
        public let samples: Int
        public let dates: Int
        public init(decision: ValidationGate.Decision?, samples: Int, dates: Int) {
            (self.decision, self.samples, self.dates) = (decision, samples, dates)
        }
    }

    /// Scores `active` against `previous` on the windows after both training ranges with `gate` (the active
    /// version in the candidate's place); no decision when those windows span fewer than `minimumDates` distinct
    /// decision dates.
    public static func compare(active: UniversalModel, previous: UniversalModel, tables: [FeatureTable], gate: ValidationGate,
                               minimumDates: Int) throws(ModelError) -> Comparison {
        let after = max(active.config.seenThrough, previous.config.seenThrough)
        let window = max(active.config.dataset.window, previous.config.dataset.window)
        let chosen = samples(tables, window: window, after: after)
        // Calendar days (UTC) of the decision times: daily bars count one a bar, intraday ones one a day.
        let dates = Set(chosen.map { tables[$0.symbol].time[$0.row] / UnixTime.nanosPerDay }).count
        guard dates >= max(1, minimumDates) else { return Comparison(decision: nil, samples: chosen.count, dates: dates) }
        return Comparison(decision: try gate.judge(candidate: active, current: previous, tables: tables, samples: chosen),
                          samples: chosen.count, dates: dates)
    }
}

extension ModelRegistry {
    /// Continual learning's automatic rollback of `name` (`AutomaticRollback`): scores the active version against
    /// its parent on `tables`' windows after both training ranges, and rolls back to the parent when the active
    /// version scores below `gate.threshold` × the parent's. The check's `message` names both versions and both
    /// scores (the caller logs it).
    /// - Parameter minimumDates: the fewest decision dates worth judging on (default 20: about four weeks of
    ///   sessions); with fewer, nothing happens.
    public func checkRollback(_ name: String, tables: [FeatureTable], gate: ValidationGate,
                              minimumDates: Int = 20) async throws -> AutomaticRollback.Check {
        try await checkRollback(name, gate: gate, minimumDates: minimumDates) { active, previous in
            try AutomaticRollback.compare(active: active, previous: previous, tables: tables, gate: gate, minimumDates: minimumDates)
        }
    }

    /// `checkRollback(_:tables:gate:minimumDates:)` with the scoring handed to `compare` (the active model, the
    /// previous one), for a caller that loads the data and scores where it likes (the server: on a thread of
    /// the job's own); `compare` returns `AutomaticRollback.compare`'s answer.
    public func checkRollback(_ name: String, gate: ValidationGate, minimumDates: Int,
                              compare: (UniversalModel, UniversalModel) async throws -> AutomaticRollback.Comparison)
        async throws -> AutomaticRollback.Check {
        typealias Check = AutomaticRollback.Check
        let versions = try await versions(of: name)
        guard let active = versions.first(where: \.active) else {
            return Check(name: name, verdict: .skipped, active: nil, previous: nil, decision: nil, samples: 0, dates: 0,
                         message: "automatic rollback of \(name): no active version")
        }
        guard let parent = active.parentVersion else {
            return Check(name: name, verdict: .skipped, active: active.version, previous: nil, decision: nil, samples: 0, dates: 0,
                         message: "automatic rollback of \(name): v\(active.version) has no previous version; it stays")
        }
        // Rollback passes over refused candidates, so the steps count deployable versions only.
        let deployable = versions.filter { $0.refusal == nil }
        guard let here = deployable.firstIndex(where: \.active), let there = deployable.firstIndex(where: { $0.version == parent }),
              there > here else {
            return Check(name: name, verdict: .skipped, active: active.version, previous: nil, decision: nil, samples: 0, dates: 0,
                         message: "automatic rollback of \(name): v\(active.version)'s previous version v\(parent) is no longer kept "
                             + "(retention \(keep) versions); v\(active.version) stays")
        }
        let current = try await model(name, version: active.version).model
        let previous = try await model(name, version: parent).model
        let comparison = try await compare(current, previous)
        let (count, dates) = (comparison.samples, comparison.dates)
        guard let decision = comparison.decision else {
            return Check(name: name, verdict: .skipped, active: active.version, previous: parent, decision: nil, samples: count, dates: dates,
                         message: "automatic rollback of \(name): \(count) windows on \(dates) dates after both training ranges, "
                             + "fewer than \(max(1, minimumDates)) dates; v\(active.version) stays")
        }
        let scores = String(format: "v%ld accuracy %.4f, v%ld accuracy %.4f, required %.4f (threshold %.2f) on %ld windows of %ld dates",
                            active.version, decision.candidateAccuracy, parent, decision.currentAccuracy, decision.required,
                            gate.threshold, count, dates)
        if decision.deploy {
            return Check(name: name, verdict: .kept, active: active.version, previous: parent, decision: decision, samples: count, dates: dates,
                         message: "automatic rollback of \(name): kept v\(active.version): " + scores)
        }
        guard try await activate(name, version: parent, ifActive: active.version) != nil else {
            return Check(name: name, verdict: .skipped, active: active.version, previous: parent, decision: decision, samples: count, dates: dates,
                         message: "automatic rollback of \(name): v\(active.version) scored below the threshold but is no longer "
                             + "the active version (a deploy or rollback landed during the check); nothing rolled back: " + scores)
        }
        return Check(name: name, verdict: .rolledBack, active: active.version, previous: parent, decision: decision, samples: count, dates: dates,
                     message: "automatic rollback of \(name): rolled back from v\(active.version) to v\(parent): " + scores)
    }
}
