import TradewindCore

/// When a scheduled event fires: instants within each trading session, in the exchange's zone, from the
/// session calendar (holidays and early closes honoured). Events fire on the clock whether or not a bar starts
/// at that instant.
///
/// A session's instants are those in `[open, close]` of its regular hours; an instant outside them (a
/// `timeOfDay` after an early close, an offset longer than the session) does not fire that session.
public enum EventSchedule: Sendable, Hashable, CustomStringConvertible {
    /// Each session at a local time of day, as minutes after midnight in the exchange's zone (600 = 10:00).
    case timeOfDay(Int)
    /// Each session at its open plus `minutes` (0 = the open itself).
    case afterOpen(minutes: Int)
    /// Each session at its close minus `minutes` (0 = the close itself; `close − 10 min` is `beforeClose(minutes: 10)`).
    case beforeClose(minutes: Int)
    /// Every `minutes` within each session, counted from the open: open + N, open + 2N, … up to the close.
    case every(minutes: Int)

    public var description: String {
        switch self {
        case .timeOfDay(let m): return "at \(Self.clock(m)) each session"
        case .afterOpen(let m): return "open + \(m) min each session"
        case .beforeClose(let m): return "close − \(m) min each session"
        case .every(let m): return "every \(m) min within each session"
        }
    }

    /// Checks the schedule's numbers; nil when valid, else what is wrong and the valid range.
    public var problem: String? {
        switch self {
        case .timeOfDay(let m) where !(0..<1440).contains(m):
            return "time of day \(m) is outside 0..<1440 minutes after midnight"
        case .afterOpen(let m) where !(0...1440).contains(m), .beforeClose(let m) where !(0...1440).contains(m):
            return "offset \(m) minutes is outside 0...1440"
        case .every(let m) where !(1...1440).contains(m):
            return "interval \(m) minutes is outside 1...1440"
        default:
            return nil
        }
    }

    /// The instants of this schedule within one session `[open, close]`, ascending. `zone` and `date` place
    /// times of day.
    public func instants(in session: TradingSession, zone: ZoneRules) -> [UnixNanos] {
        let minute = UnixTime.nanosPerMinute
        switch self {
        case .timeOfDay(let m):
            let t = zone.instant(session.date, hour: m / 60, minute: m % 60)
            return t >= session.open && t <= session.close ? [t] : []
        case .afterOpen(let m):
            let t = session.open + Int64(m) * minute
            return t <= session.close ? [t] : []
        case .beforeClose(let m):
            let t = session.close - Int64(m) * minute
            return t >= session.open ? [t] : []
        case .every(let m):
            var out: [UnixNanos] = []
            var t = session.open + Int64(m) * minute
            while t <= session.close {
                out.append(t)
                t += Int64(m) * minute
            }
            return out
        }
    }

    static func clock(_ minutes: Int) -> String {
        let h = minutes / 60, m = minutes % 60
        return (h < 10 ? "0" : "") + "\(h):" + (m < 10 ? "0" : "") + "\(m)"
    }
}

/// Identifies one `schedule` call of a run; passed to `Strategy.onEvent`.
public struct ScheduledEventID: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public var description: String { "event \(rawValue)" }
}

/// A schedule the context cannot honour.
public enum ScheduleError: Error, Equatable, CustomStringConvertible {
    /// The schedule's numbers are out of range.
    case invalid(EventSchedule, String)
    /// The run has no trading sessions to place events in: no exchange calendar and no regular hours.
    case noSessions
    /// Events within the day need intraday bars; daily bars carry each session's close from its open.
    case needsIntradayBars

    public var description: String { description(naming: \.rawValue) }

    /// The message with the backtest setting that gives a run sessions called `setting(field)` (the command line
    /// passes its flags).
    public func description(naming setting: (BacktestSettings.Field) -> String) -> String {
        switch self {
        case .invalid(let s, let why): return "cannot schedule '\(s)': \(why)"
        case .noSessions:
            return "scheduled events need trading sessions: run with an exchange calendar (\(setting(.session)) nyse) or regular hours"
        case .needsIntradayBars:
            return "scheduled events within the session need intraday bars (e.g. 1-minute); daily bars have one step per session"
        }
    }
}
