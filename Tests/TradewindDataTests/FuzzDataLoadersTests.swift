import Foundation
import Testing
import TradewindTestSupport
import TradewindCore
@testable import TradewindData

/// The data loaders (bar CSV/TSV, gzip, the binary cache, returns CSV, interval texts) given random and mutated
/// input return a value or throw a `DataError` that says what is wrong: never a trap, never a hang. What they
/// return keeps the series invariants every consumer relies on. Seeded, so a failure reproduces.
@Suite(.timeLimit(.minutes(1))) struct FuzzDataLoadersTests {
    static let validCSVs = [
        "timestamp,open,high,low,close,volume\n2020-01-02,1,2,0.5,1.5,100\n2020-01-03,1.5,2.5,1,2,200\n2020-01-06,2,3,1.5,2.5,300\n",
        "Date;Open;High;Low;Close\n20200102;1;2;0.5;1.5\n20200103;1.5;2.5;1;2\n",
        "date\ttime\topen\thigh\tlow\tclose\tvolume\n2020-01-02\t09:30\t1\t2\t0.5\t1.5\t100\n2020-01-02\t09:31\t1.5\t2.5\t1\t2\t10\n2020-01-02\t09:32\t2\t2\t1\t2\t10\n",
        "time,open,high,low,close,volume,dividend,split\n1577975400,1,2,0.5,1.5,100,0,1\n1578061800,1.5,2.5,1,2,200,0.1,2\n",
        "\u{FEFF}\"Date\",\"Open\",\"High\",\"Low\",\"Close\",\"Volume\"\r\n\"01/02/2020\",\"1\",\"2\",\"0.5\",\"1.5\",\"100\"\r\n\"01/03/2020\",\"1\",\"2\",\"0.5\",\"1.5\",\"100\"\r\n",
        "timestamp,open,high,low,close\n2020-01-02T14:30:00Z,1,2,0.5,1.5\n2020-01-02T14:31:00+00:00,1,2,0.5,1.5\n2020-01-02T09:32:00-0500,1,2,0.5,1.5\n",
        "# comment\n2020-01-02,1,2,0.5,1.5,100\n2020-01-03,1,2,0.5,1.5,100\n\n",
        "timestamp,open,high,low,close,volume\n1678-01-01,1,2,0.5,1.5,1\n2261-12-31,1,2,0.5,1.5,1\n",
    ]

    /// What a returned series must satisfy (the `BarSeries` contract).
    func checkSeries(_ s: BarSeries, _ input: String) {
        #expect([s.open.count, s.high.count, s.low.count, s.close.count, s.volume.count].allSatisfy { $0 == s.count }, "\(input)")
        #expect(zip(s.time, s.time.dropFirst()).allSatisfy { $0 < $1 }, "times not ascending for \(input)")
        _ = s.interval.nominalNanos
        _ = s.time.first.map(ISO8601.utc)
    }

    @Test func barCSVTextLoadsOrThrows() {
        var fuzz = FuzzInput(seed: 0xC5F1)
        var loaded = 0
        for i in 0..<8000 {
            let bytes: [UInt8]
            switch i % 6 {
            case 0: bytes = fuzz.bytes(maxCount: 200)
            case 1: bytes = Array(fuzz.text(maxCount: 120, alphabet: "0123456789,;\t:-./ TZ\n\"eE+").utf8)
            default: bytes = fuzz.mutate(Array(fuzz.pick(Self.validCSVs).utf8))
            }
            var options = LoadOptions()
            if fuzz.chance(20) { options.label = fuzz.pick(BarLabel.allCases) }
            if fuzz.chance(20) { options.duplicates = .keepLast }
            if fuzz.chance(10) { options.interval = fuzz.pick([.minute, .daily, .weekly, BarInterval(seconds: 1), .hours(24)]) }
            do throws(DataError) {
                let s = try CSVBarReader.read(bytes: bytes, name: "FUZZ.csv", options: options)
                loaded += 1
                checkSeries(s, String(decoding: bytes, as: UTF8.self))
            } catch {
                #expect(!error.description.isEmpty)
            }
        }
        #expect(loaded > 50)
    }

    @Test func extremeTimestampsAreErrorsOrInRange() {
        let stamps = ["9999999999", "9999999999999", "9999999999999999", "9999999999999999999", "9223372036854775807",
                      "-1", "0000000001", "99999999", "2261-12-31T23:59:59", "2261-12-31T23:59:59-18:00", "1678-01-01T00:00:00+18:00",
                      "2262-04-11T23:47:16Z", "1677-09-21T00:12:44Z", "12/31/2261", "22611231 235959"]
        for stamp in stamps {
            for second in ["2020-01-02", "1678-01-01", "2261-12-31", stamp] {
                let text = "timestamp,open,high,low,close\n\(stamp),1,2,0.5,1.5\n\(second),1,2,0.5,1.5\n"
                for label in [BarLabel.start, .end] {
                    do throws(DataError) {
                        checkSeries(try CSVBarReader.read(text: text, name: "X.csv", options: LoadOptions(label: label, duplicates: .keepLast)), text)
                    } catch {
                        #expect(!error.description.isEmpty)
                    }
                    _ = try? CSVBarReader.read(text: text, name: "X.csv", options: LoadOptions(label: label, interval: BarInterval(seconds: Int.max)))
                }
            }
            _ = ReturnsCSV.parseTimestamp(stamp, zone: .newYork)
        }
    }

    @Test func gzipContentLoadsOrThrows() throws {
        let gz = try Array(Data(contentsOf: URL(fileURLWithPath: LoaderPaths.samples + "/sp500-50/DA-KO-T-2021-04-21.csv.gz")))
        var fuzz = FuzzInput(seed: 0x62F)
        for i in 0..<160 {
            var bytes: [UInt8]
            switch i % 4 {
            case 0: bytes = [0x1f, 0x8b] + fuzz.bytes(maxCount: 400)
            case 1: bytes = Array(gz.prefix(fuzz.below(gz.count)))
            default:
                // Damage the deflate stream or the header/trailer, a few bytes at a time.
                bytes = gz
                for _ in 0...fuzz.below(3) {
                    let at = fuzz.chance(50) ? fuzz.below(gz.count) : fuzz.pick([fuzz.below(20), gz.count - 1 - fuzz.below(8)])
                    bytes[at] ^= UInt8(1) << UInt8(fuzz.below(8))
                }
            }
            do throws(DataError) {
                checkSeries(try CSVBarReader.read(bytes: bytes, name: "KO.csv.gz"), "gzip #\(i)")
            } catch {
                #expect(!error.description.isEmpty)
            }
        }
    }

    @Test func returnsCSVParsesOrThrows() {
        let valid = ["timestamp,return\n2021-01-04,-0.0247\n2021-01-05T14:31:00Z,0.0012\n2021-01-06,\n2021-01-07,nan\n",
                     "2021-01-04,0.01\r\n2021-01-05 10:00,0.02\r\n1610000000,0.5\n"]
        var fuzz = FuzzInput(seed: 0x2E7)
        var parsed = 0
        for i in 0..<4000 {
            let text = i % 3 == 0 ? fuzz.text(maxCount: 80, alphabet: "0123456789,-.:TZ \ntimestampre")
                                  : fuzz.mutate(fuzz.pick(valid))
            do throws(DataError) {
                let t = try ReturnsCSV.parse(text, file: "r.csv", zone: fuzz.chance(50) ? .utc : .newYork)
                parsed += 1
                #expect(t.times.count == t.returns.count && t.times.count == t.lines.count)
                #expect(zip(t.times, t.times.dropFirst()).allSatisfy { $0 < $1 })
                #expect(t.returns.allSatisfy { !$0.isInfinite })
            } catch {
                #expect(!error.description.isEmpty && error.file == "r.csv")
            }
        }
        #expect(parsed > 50)
    }

    @Test func intervalTextsParseOrAreNil() {
        var fuzz = FuzzInput(seed: 0x1A7)
        let valid = ["30s", "1m", "5min", "1h", "1d", "daily", "2w", "1mo", "15t"]
        for i in 0..<4000 {
            let text = i % 2 == 0 ? fuzz.mutate(fuzz.pick(valid)) : fuzz.text(maxCount: 24, alphabet: "0123456789smhdwotin ")
            guard let iv = BarInterval(text) else { continue }
            #expect(iv.count > 0)
            #expect(iv.nominalNanos > 0)
            #expect(BarInterval(iv.description) == iv, "\(text) → \(iv)")
        }
    }

    @Test func cacheFilesReadOrThrowEvenWithValidChecksums() throws {
        let dir = LoaderPaths.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let series = try CSVBarReader.read(text: Self.validCSVs[0] + "2020-01-07,2,3,1.5,2.5,300\n", name: "SPY.csv")
        let path = dir + "/SPY.twc"
        try BarCache.write(series, to: path)
        let valid = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(try BarCache.read(path: path) == series)
        var fuzz = FuzzInput(seed: 0x7C)
        var decoded = 0
        for i in 0..<6000 {
            var bytes: [UInt8]
            switch i % 5 {
            case 0: bytes = BarCacheFormat.magic + fuzz.bytes(maxCount: 200)
            case 1: bytes = Array(valid.prefix(fuzz.below(valid.count + 1)))
            default:
                // Flip bits anywhere, then (mostly) re-sign the file so the damage reaches the decoder.
                bytes = valid
                for _ in 0...fuzz.below(4) {
                    let at = fuzz.below(bytes.count)
                    if fuzz.chance(50) { bytes[at] ^= UInt8(1) << UInt8(fuzz.below(8)) } else { bytes[at] = UInt8(truncatingIfNeeded: fuzz.rng.next()) }
                }
                if fuzz.chance(80) { resign(&bytes) }
            }
            for verify in [true, false] {
                do throws(DataError) {
                    let r = bytes.withUnsafeBytes { raw in Result { () throws(DataError) in try BarCache.decode(raw, path: "F.twc", verify: verify) } }
                    let s = try r.get()
                    decoded += 1
                    checkSeries(s, "cache #\(i)")
                } catch {
                    #expect(error.kind == .badCache && !error.description.isEmpty)
                }
            }
        }
        #expect(decoded > 100)
    }

    @Test func inputsThatUsedToTrapAreErrorsOrLoad() throws {
        let header = "timestamp,open,high,low,close\n"
        // Epoch numbers past 2262 overflowed the nanosecond product (10 digits × 10^9) or the digit loop (19 digits).
        for stamp in ["9999999999", "9999999999999999", "9999999999999999999"] {
            let e = loadError { () throws(DataError) in try CSVBarReader.read(text: header + "\(stamp),1,2,0.5,1.5\n", name: "X.csv") }
            #expect(e?.kind == .badTimestamp && e?.value == stamp)
            #expect(ReturnsCSV.parseTimestamp(stamp) == nil)
        }
        // Bars at both ends of the accepted years: their spacing overflowed the interval inference.
        let far = try CSVBarReader.read(text: header + "1678-01-01,1,2,0.5,1.5\n2261-12-31,1,2,0.5,1.5\n", name: "X.csv")
        #expect(far.count == 2)
        // Intervals whose length overflowed, and end-labelled stamps moved back by a century-long bar.
        #expect(BarInterval("9999999999999999h") == nil)
        #expect(BarInterval("3000000000000000d") == nil)
        #expect(BarInterval("36525d") != nil && BarInterval("36526d") == nil)
        #expect(BarInterval(seconds: .max).nominalNanos == .max)
        let century = try #require(BarInterval("876600h"))
        let e = loadError { () throws(DataError) in
            try CSVBarReader.read(text: header + "1678-01-01 00:01,1,2,0.5,1.5\n1678-01-01 00:02,1,2,0.5,1.5\n", name: "X.csv",
                                  options: LoadOptions(label: .end, interval: century))
        }
        #expect(e?.kind == .badOption)
        // A cache file with valid checksums but descending bar times is refused, not handed to consumers.
        let dir = LoaderPaths.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var series = try CSVBarReader.read(text: Self.validCSVs[0], name: "SPY.csv")
        series.time.reverse()
        try BarCache.write(series, to: dir + "/SPY.twc")
        let c = loadError { () throws(DataError) in try BarCache.read(path: dir + "/SPY.twc") }
        #expect(c?.kind == .badCache && c?.message.contains("ascending") == true)
    }

    /// Recomputes both checksums of a cache file image (when its header is long enough to hold them).
    func resign(_ b: inout [UInt8]) {
        guard b.count >= 64 else { return }
        let headerLength = Int(b[12]) | Int(b[13]) << 8 | Int(b[14]) << 16 | Int(b[15]) << 24
        let symbolLength = Int(b[40]) | Int(b[41]) << 8
        guard headerLength >= 64, headerLength <= b.count, 64 + symbolLength <= headerLength else { return }
        func put(_ v: UInt64, at offset: Int) { for k in 0..<8 { b[offset + k] = UInt8(truncatingIfNeeded: v >> (8 * UInt64(k))) } }
        put(b[headerLength...].withUnsafeBytes { Checksum64.hash($0) }, at: 48)
        put(BarCache.headerChecksum(b, symbolLength: symbolLength), at: 56)
    }
}
