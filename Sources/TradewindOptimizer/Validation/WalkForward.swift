/// How training windows move from fold to fold.
public enum WalkForwardMode: String, Sendable, Hashable, CaseIterable {
    /// Fixed-length training window that slides forward with the test window.
    case rolling
    /// Training always starts at the first bar and grows.
    case anchored
}

/// One fold: optimise on `train`, trade `test` with the chosen parameters. Bar index ranges.
public struct WalkForwardFold: Sendable, Hashable {
    public let index: Int
    public let train: Range<Int>
    public let test: Range<Int>
}

/// A walk-forward request: `folds=5,train=252,test=63,mode=rolling,gap=0` (any subset with
/// enough to determine the windows; see `windows(barCount:)`).
public struct WalkForwardSpec: Sendable, Hashable {
    public var folds: Int?
    public var train: Int?
    public var test: Int?
    public var mode: WalkForwardMode
    /// Bars left out between each training window and its test window (an embargo).
    public var gap: Int

    public init(folds: Int? = nil, train: Int? = nil, test: Int? = nil, mode: WalkForwardMode = .rolling, gap: Int = 0) {
        self.folds = folds
        self.train = train
        self.test = test
        self.mode = mode
        self.gap = gap
    }

    /// Parses `key=value` pairs separated by commas: `folds`, `train`, `test`, `gap` (integers,
    /// bars) and `mode` (`rolling` or `anchored`).
    public static func parse(_ text: String) throws(OptimizerError) -> WalkForwardSpec {
        var spec = WalkForwardSpec()
        var seen = Set<String>()
        for part in text.split(separator: ",") {
            let kv = part.split(separator: "=", maxSplits: 1).map { String($0).trimmingCharacters(in: .whitespaces) }
            guard kv.count == 2 else {
                throw .invalidArgument(name: "walk-forward spec", value: "'\(part)'", valid: "key=value with keys folds, train, test, gap, mode")
            }
            guard seen.insert(kv[0]).inserted else {
                throw .invalidArgument(name: "walk-forward spec", value: "'\(text)'", valid: "each key once (\(kv[0]) repeats)")
            }
            if kv[0] == "mode" {
                guard let m = WalkForwardMode(rawValue: kv[1]) else {
                    throw .invalidArgument(name: "walk-forward mode", value: "'\(kv[1])'", valid: "rolling or anchored")
                }
                spec.mode = m
                continue
            }
            guard let v = Int(kv[1]) else {
                throw .invalidArgument(name: "walk-forward \(kv[0])", value: "'\(kv[1])'", valid: "an integer number of bars")
            }
            switch kv[0] {
            case "folds":
                guard v >= 1 else { throw .invalidArgument(name: "walk-forward folds", value: String(v), valid: "≥ 1") }
                spec.folds = v
            case "train":
                guard v >= 1 else { throw .invalidArgument(name: "walk-forward train", value: String(v), valid: "≥ 1 bar") }
                spec.train = v
            case "test":
                guard v >= 1 else { throw .invalidArgument(name: "walk-forward test", value: String(v), valid: "≥ 1 bar") }
                spec.test = v
            case "gap":
                guard v >= 0 else { throw .invalidArgument(name: "walk-forward gap", value: String(v), valid: "≥ 0 bars") }
                spec.gap = v
            default:
                throw .invalidArgument(name: "walk-forward key", value: "'\(kv[0])'", valid: "folds, train, test, gap or mode")
            }
        }
        return spec
    }

    /// The folds over `barCount` bars. Test windows are consecutive, never overlap, and end at the
    /// last bar; each training window ends `gap` bars before its test window starts.
    ///
    /// - train and test given: folds = ⌊(n − train − gap) / test⌋ unless given.
    /// - folds and test given: train = n − gap − folds·test.
    /// - folds and train given: test = ⌊(n − train − gap) / folds⌋.
    /// - folds only: test = ⌊(n − gap) / (folds + 1)⌋ and train takes the rest.
    ///
    /// The bars not needed (when the lengths do not divide n) are dropped at the **start**, so the
    /// latest data is always tested. Rolling: train = [testStart − gap − train, testStart − gap).
    /// Anchored: train = [first used bar, testStart − gap).
    public func windows(barCount n: Int) throws(OptimizerError) -> [WalkForwardFold] {
        guard n >= 2 else { throw .invalidWindows(reason: "\(n) bars; walk-forward needs at least 2") }
        // Every given length within 0...n first, so that the arithmetic below cannot overflow (`folds=` or
        // `train=9223372036854775807` is a request the data cannot meet, not a trap).
        for (key, value) in [("folds", folds), ("train", train), ("test", test), ("gap", gap)] {
            guard let v = value else { continue }
            guard v >= (key == "gap" ? 0 : 1), v <= n else {
                throw .invalidWindows(reason: "\(key)=\(v) does not fit \(n) bars; give \(key) in \(key == "gap" ? 0 : 1)...\(n)")
            }
        }
        /// `n − gap − f·te`, or nil when `f·te` overflows (far more bars than there are).
        func rest(_ f: Int, _ te: Int) -> Int? {
            let (p, overflow) = f.multipliedReportingOverflow(by: te)
            return overflow ? nil : n - gap - p
        }
        var folds = self.folds, train = self.train, test = self.test
        switch (folds, train, test) {
        case (_, .some(let tr), .some(let te)):
            if folds == nil { folds = (n - tr - gap) / te }
        case (.some(let f), nil, .some(let te)):
            train = rest(f, te)
        case (.some(let f), .some(let tr), nil):
            test = (n - tr - gap) / f
        case (.some(let f), nil, nil):
            test = f == .max ? 0 : (n - gap) / (f + 1)
            if let te = test { train = rest(f, te) }
        default:
            throw .invalidWindows(reason: "give folds, or train and test lengths (e.g. folds=5 or train=252,test=63)")
        }
        guard let f = folds, let tr = train, let te = test, f >= 1, tr >= 1, te >= 1 else {
            throw .invalidWindows(reason: "\(n) bars are too few for \(describe); each fold needs at least 1 training and 1 test bar")
        }
        let (testBars, o1) = f.multipliedReportingOverflow(by: te)
        let (withTrain, o2) = testBars.addingReportingOverflow(tr)
        let (used, o3) = withTrain.addingReportingOverflow(gap)
        guard !(o1 || o2 || o3), used <= n else {
            let needed = o1 || o2 || o3 ? "more than \(Int.max)" : String(used)
            throw .invalidWindows(reason: "\(describe) needs \(needed) bars (train \(tr) + gap \(gap) + \(f) × test \(te)) but the data has \(n)")
        }
        let first = n - used
        var out: [WalkForwardFold] = []
        for i in 0..<f {
            let testStart = first + tr + gap + i * te
            let trainEnd = testStart - gap
            let trainStart = mode == .rolling ? trainEnd - tr : first
            out.append(WalkForwardFold(index: i, train: trainStart..<trainEnd, test: testStart..<(testStart + te)))
        }
        return out
    }

    var describe: String {
        var parts: [String] = []
        if let f = folds { parts.append("folds=\(f)") }
        if let t = train { parts.append("train=\(t)") }
        if let t = test { parts.append("test=\(t)") }
        parts.append("mode=\(mode.rawValue)")
        if gap > 0 { parts.append("gap=\(gap)") }
        return parts.joined(separator: ",")
    }
}

/// An in-sample / out-of-sample split.
public struct SampleSplit: Sendable, Hashable {
    public let inSample: Range<Int>
    public let outOfSample: Range<Int>

    /// Splits at the first bar starting at or after `date`: bars before it are in-sample.
    /// Throws when either side would be empty.
    public static func at(_ date: UnixNanos, times: [UnixNanos]) throws(OptimizerError) -> SampleSplit {
        var lo = 0, hi = times.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if times[mid] < date { lo = mid + 1 } else { hi = mid }
        }
        guard lo > 0, lo < times.count else {
            throw .invalidWindows(reason: "the split date leaves \(lo == 0 ? "no in-sample" : "no out-of-sample") bars; pick a date inside the data")
        }
        return SampleSplit(inSample: 0..<lo, outOfSample: lo..<times.count)
    }

    /// Puts the first ⌊fraction·n⌋ bars in-sample (0 < fraction < 1, both sides non-empty).
    public static func fraction(_ fraction: Double, barCount n: Int) throws(OptimizerError) -> SampleSplit {
        guard fraction > 0, fraction < 1 else {
            throw .invalidArgument(name: "in-sample fraction", value: String(fraction), valid: "strictly between 0 and 1")
        }
        let k = Int((fraction * Double(n)).rounded(.down))
        guard k > 0, k < n else { throw .invalidWindows(reason: "\(n) bars cannot be split at \(fraction) with both sides non-empty") }
        return SampleSplit(inSample: 0..<k, outOfSample: k..<n)
    }
}

import Foundation
import TradewindCore
