import TradewindCore

/// Deciding whether an intraday file stamps each bar with its start or its end.
///
/// The rule, applied per session (the exchange-local date of each stamp, America/New_York, whose
/// regular hours are 09:30–16:00), on the timestamps **as written** (before any shift):
/// 1. Regular-hours-only sessions (no stamp before 09:30 or after 16:00 local):
///    a stamp at 09:30 and none at 16:00 votes **start**; a stamp at 16:00 and none at 09:30 votes
///    **end**; both or neither: no vote.
/// 2. Sessions with extended-hours stamps: compare the volume of the bars stamped 09:30 and
///    09:30 + interval. The bar that covers the opening auction carries by far the most volume, so if
///    the 09:30 bar has at least twice the volume of the next one the session votes **start**, if the
///    next one has at least twice the volume of the 09:30 bar it votes **end**; otherwise (or if one of
///    the two is missing, or volumes are 0) no vote.
/// 3. The label with more votes wins; a tie (including no votes at all) gives **start**, Tradewind's
///    own convention. Daily and longer bars are always labelled by their date (`notApplicable`).
///
/// Data from other exchanges or 24-hour markets should pass `LoadOptions.label` explicitly.
public enum LabelDetection {
    /// How a series' bar label was decided.
    public struct Verdict: Sendable, Equatable, CustomStringConvertible {
        public enum Source: String, Sendable, Equatable {
            /// Given by `LoadOptions.label`.
            case option
            /// Decided by the vote described on `LabelDetection`.
            case detected
            /// Daily or longer bars: stamps are trading dates.
            case notApplicable = "not applicable"
        }
        public var label: BarLabel
        public var source: Source
        /// Sessions that voted for each label, and sessions examined.
        public var startVotes: Int
        public var endVotes: Int
        public var sessions: Int

        public var description: String {
            switch source {
            case .option: return "\(label) (from options)"
            case .notApplicable: return "start (daily bars are labelled by trading date)"
            case .detected:
                return "\(label) (detected: \(startVotes) sessions vote start, \(endVotes) vote end, of \(sessions))"
            }
        }
    }

    static let rthOpen: Int64 = (9 * 3600 + 30 * 60) * UnixTime.nanosPerSecond
    static let rthClose: Int64 = 16 * 3600 * UnixTime.nanosPerSecond

    /// Runs the vote on ascending UTC stamps `time` (as written in the file) with their volumes.
    public static func detect(time: [UnixNanos], volume: [Double], interval: BarInterval,
                              exchangeZone: ZoneRules = .newYork) -> Verdict {
        guard interval.isIntraday else {
            return Verdict(label: .start, source: .notApplicable, startVotes: 0, endVotes: 0, sessions: 0)
        }
        let step = interval.nominalNanos
        var startVotes = 0, endVotes = 0, sessions = 0
        var i = 0
        let n = time.count
        // Offset cached per UTC day (exact unless the day holds a DST transition).
        var cachedDay = Int64.min, cachedOffset: Int64 = 0, uniform = false
        func local(_ t: Int64) -> Int64 {
            let d = UnixTime.floorDiv(t, UnixTime.nanosPerDay)
            if d != cachedDay {
                cachedDay = d
                let a = exchangeZone.offsetNanos(at: d * UnixTime.nanosPerDay)
                let b = exchangeZone.offsetNanos(at: (d + 1) * UnixTime.nanosPerDay - 1)
                uniform = a == b
                cachedOffset = a
            }
            return uniform ? t + cachedOffset : exchangeZone.localNanos(fromUTC: t)
        }
        while i < n {
            let day = UnixTime.floorDiv(local(time[i]), UnixTime.nanosPerDay)
            var hasOpen = false, hasClose = false, outside = false
            var openVolume = -1.0, nextVolume = -1.0
            var j = i
            while j < n {
                let l = local(time[j])
                let d = UnixTime.floorDiv(l, UnixTime.nanosPerDay)
                if d != day { break }
                let tod = l - d * UnixTime.nanosPerDay
                if tod == rthOpen { hasOpen = true; openVolume = volume[j] }
                if tod == rthOpen + step { nextVolume = volume[j] }
                if tod == rthClose { hasClose = true }
                if tod < rthOpen || tod > rthClose { outside = true }
                j += 1
            }
            sessions += 1
            if !outside {
                if hasOpen && !hasClose { startVotes += 1 } else if hasClose && !hasOpen { endVotes += 1 }
            } else if openVolume >= 0 && nextVolume >= 0 {
                if openVolume > 0 && openVolume >= 2 * nextVolume { startVotes += 1 }
                else if nextVolume > 0 && nextVolume >= 2 * openVolume { endVotes += 1 }
            }
            i = j
        }
        return Verdict(label: endVotes > startVotes ? .end : .start, source: .detected,
                       startVotes: startVotes, endVotes: endVotes, sessions: sessions)
    }
}
