/// When market orders execute.
public enum FillTiming: String, Sendable, Hashable, CaseIterable, Codable {
    /// At the open of the bar after the signal bar (default; no look-ahead).
    case nextOpen = "next-open"
    /// At the close of the signal bar (the bar the strategy was looking at when it submitted the order).
    case signalClose = "close"
}

/// Which order of prices inside an OHLC bar is assumed when deciding what an order touched first.
///
/// Only the four prices of a bar are known, so when a bar touches two orders' prices (a bracket's
/// take-profit and stop-loss, a stop and a limit) the simulator must assume a path:
///
/// * `worst` (default): the extreme that is adverse to the symbol's position is visited first: for a long
///   position O→L→H→C, for a short position O→H→L→C (flat: as `path`). A bracket whose take-profit and
///   stop-loss are both inside the bar therefore exits at the stop.
/// * `path`: O→H→L→C when close ≥ open, else O→L→H→C, whatever the position.
///
/// Prices that the bar gaps through at the open are hit at the open, before anything else, under both policies.
public enum IntrabarPolicy: String, Sendable, Hashable, CaseIterable, Codable {
    case worst, path
}

/// The assumed intrabar price path of one bar: open → first extreme → second extreme → close.
/// Positions along it run from 0 (the open) to 3 (the close); leg k spans `[k, k+1]`.
struct BarPath: Sendable {
    let points: (Double, Double, Double, Double)

    init(open: Double, high: Double, low: Double, close: Double, highFirst: Bool) {
        points = highFirst ? (open, high, low, close) : (open, low, high, close)
    }

    /// Chooses the path for a bar under `policy`, given the sign of the symbol's position.
    init(open: Double, high: Double, low: Double, close: Double, policy: IntrabarPolicy, position: Double) {
        let highFirst: Bool
        if policy == .worst && position != 0 {
            highFirst = position < 0
        } else {
            highFirst = close >= open
        }
        self.init(open: open, high: high, low: low, close: close, highFirst: highFirst)
    }

    func point(_ k: Int) -> Double {
        switch k {
        case 0: return points.0
        case 1: return points.1
        case 2: return points.2
        default: return points.3
        }
    }

    /// The price at position `t`.
    func price(at t: Double) -> Double {
        let k = min(max(Int(t), 0), 2)
        let a = point(k), b = point(k + 1)
        return a + (b - a) * min(max(t - Double(k), 0), 1)
    }

    /// The earliest position ≥ `start` at which the price is at or above (`rising`) / at or below `level`.
    func firstTouch(of level: Double, rising: Bool, from start: Double = 0) -> Double? {
        func reached(_ p: Double) -> Bool { rising ? p >= level : p <= level }
        if reached(price(at: start)) { return start }
        var k = min(Int(start), 2)
        while k < 3 {
            let a = point(k), b = point(k + 1)
            if reached(b) {
                let span = b - a
                let frac = span == 0 ? 1 : min(max((level - a) / span, 0), 1)
                return max(Double(k) + frac, start)
            }
            k += 1
        }
        return nil
    }
}
