import Foundation
import Testing
import TradewindCore
@testable import TradewindData

@Suite("Binary bar cache")
struct BarCacheTests {
    static func sampleSeries(_ n: Int = 1000, symbol: String = "TEST", withOptional: Bool = true) -> BarSeries {
        var time: [Int64] = []
        var o: [Double] = [], h: [Double] = [], l: [Double] = [], c: [Double] = [], v: [Double] = []
        var price = 100.0
        for i in 0..<n {
            time.append(1_550_000_000_000_000_000 + Int64(i) * 60_000_000_000)
            let next = price * (1 + 0.001 * sin(Double(i)))
            o.append(price); c.append(next)
            h.append(max(price, next) + 0.01); l.append(min(price, next) - 0.01)
            v.append(Double(1000 + i))
            price = next
        }
        return BarSeries(
            symbol: symbol, interval: .minute, time: time, open: o, high: h, low: l, close: c, volume: v,
            vwap: withOptional ? c : nil, tradeCount: nil,
            dividend: withOptional ? [Double](repeating: 0, count: n) : nil,
            splitCoefficient: withOptional ? [Double](repeating: 1, count: n) : nil)
    }

    static func tempDir() -> String {
        let d = NSTemporaryDirectory() + "tw-cache-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }

    @Test("a written series reads back bit for bit, optional columns included")
    func roundTrip() throws {
        let dir = Self.tempDir()
        for s in [Self.sampleSeries(), Self.sampleSeries(withOptional: false), Self.sampleSeries(0), Self.sampleSeries(7, symbol: "BRK.B")] {
            let path = dir + "/" + BarCache.fileName(for: s.symbol)
            try BarCache.write(s, to: path)
            #expect(BarCache.isCacheFile(path))
            #expect(try BarCache.read(path: path) == s)
        }
    }

    @Test("daily, weekly and multi-minute intervals survive the round trip")
    func intervals() throws {
        let dir = Self.tempDir()
        for iv in [BarInterval.daily, .weekly, .monthly, .minutes(15), .hours(1), BarInterval(seconds: 5)] {
            var s = Self.sampleSeries(10)
            s.interval = iv
            try BarCache.write(s, to: dir + "/x.twc")
            #expect(try BarCache.read(path: dir + "/x.twc").interval == iv)
        }
    }

    @Test("a dataset directory reads back with every symbol, and a symbol filter selects")
    func directory() throws {
        let dir = Self.tempDir() + "/cache"
        let ds = MarketDataset(["AAA", "BBB", "CCC"].map { Self.sampleSeries(50, symbol: $0) })
        let paths = try BarCache.write(ds, toDirectory: dir)
        #expect(paths.count == 3)
        #expect(try BarCache.readDirectory(dir) == ds)
        #expect(try BarCache.readDirectory(dir, symbols: ["BBB"]).symbols == ["BBB"])
        #expect(throws: DataError.self) { try BarCache.readDirectory(dir, symbols: ["ZZZ"]) }
    }

    @Test("a flipped byte in the data is detected by the checksum")
    func corruptedPayload() throws {
        let dir = Self.tempDir()
        let path = dir + "/c.twc"
        try BarCache.write(Self.sampleSeries(), to: path)
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[bytes.count - 100] ^= 0x40
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: DataError.self) { try BarCache.read(path: path) }
        #expect(error?.kind == .badCache)
        #expect(error?.message.contains("checksum") == true)
        // Unverified reads skip the checksum and so return data; verification is the default.
        #expect((try? BarCache.read(path: path, verify: false)) != nil)
    }

    @Test("a corrupted header, a truncated file, a foreign file and a future version are clear errors")
    func malformedFiles() throws {
        let dir = Self.tempDir()
        let path = dir + "/m.twc"
        try BarCache.write(Self.sampleSeries(), to: path)
        let good = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))

        func check(_ bytes: [UInt8], _ fragment: String) throws {
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let e = #expect(throws: DataError.self) { try BarCache.read(path: path) }
            #expect(e?.kind == .badCache)
            #expect(e?.message.contains(fragment) == true, "\(e?.message ?? "")")
        }
        var header = good
        header[17] ^= 1  // bar count
        try check(header, "header checksum")
        try check(Array(good.prefix(good.count - 64)), "truncated")
        try check(Array("date,open,high,low,close\n2020-01-02,1,2,0.5,1.5\n".utf8), "not a Tradewind cache")
        try check(Array(good.prefix(10)), "too short")
        var future = good
        future[8] = 9
        try check(future, "version 9")
    }

    @Test("a missing file is reported as such")
    func missingFile() {
        let e = #expect(throws: DataError.self) { try BarCache.read(path: "/nonexistent/dir/x.twc") }
        #expect(e?.kind == .fileNotFound)
    }

    @Test("an interrupted write leaves the previous file intact and no temporary file behind")
    func atomicWrite() throws {
        let dir = Self.tempDir()
        let path = dir + "/a.twc"
        let original = Self.sampleSeries(20)
        try BarCache.write(original, to: path)
        #expect(throws: DataError.self) {
            try AtomicFile.write(to: path) { (sink) throws(DataError) in
                let half: [UInt8] = [1, 2, 3]
                let r: Result<Void, DataError> = half.withUnsafeBytes { b in Result { () throws(DataError) in try sink(b) } }
                try r.get()
                throw DataError(.io, file: path, "simulated interruption")
            }
        }
        #expect(try BarCache.read(path: path) == original)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
    }

    @Test("the checksum differs for inputs that differ in one bit and is stable for equal inputs")
    func checksum() {
        let a: [UInt8] = (0..<200).map { UInt8($0) }
        var b = a
        b[150] ^= 1
        let ha = a.withUnsafeBytes { Checksum64.hash($0) }
        #expect(ha == a.withUnsafeBytes { Checksum64.hash($0) })
        #expect(ha != b.withUnsafeBytes { Checksum64.hash($0) })
        for n in [1, 7, 8, 31, 32, 33, 64] {
            let x = Array(a.prefix(n))
            var y = x
            y[n - 1] ^= 0x80
            #expect(x.withUnsafeBytes { Checksum64.hash($0) } != y.withUnsafeBytes { Checksum64.hash($0) })
        }
    }

    @Test("the streamed checksum equals the whole-buffer one however the bytes are cut, and both keep the published values")
    func streamedChecksum() {
        // Values of the checksum as cache files have carried it since version 1 (bytes (7i + 3) mod 256).
        let known: [(Int, UInt64)] = [(0, 0xef46_db37_51d8_e999), (5, 0x9a8d_5572_f561_a709), (40, 0xb620_306b_253d_76b6),
                                      (200, 0xa6cb_3c09_bc82_9b24), (1000, 0x5f23_5fa0_33f1_a3fb)]
        for (n, value) in known {
            let bytes = (0..<n).map { UInt8(truncatingIfNeeded: $0 * 7 + 3) }
            #expect(bytes.withUnsafeBytes { Checksum64.hash($0) } == value, "\(n) bytes")
        }
        var rng = SplitMix64(seed: 0x5EED)
        for _ in 0..<200 {
            let n = Int(rng.next() % 700)
            let bytes = (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let seed = rng.next() % 3 == 0 ? rng.next() : 0
            let whole = bytes.withUnsafeBytes { Checksum64.hash($0, seed: seed) }
            var stream = Checksum64.Stream(seed: seed)
            var at = 0
            while at < n {
                let piece = min(n - at, Int(rng.next() % 80))
                bytes.withUnsafeBytes { stream.add(UnsafeRawBufferPointer(rebasing: $0[at..<(at + piece)])) }
                at += piece
            }
            #expect(stream.finish() == whole, "\(n) bytes, seed \(seed)")
        }
    }

    @Test("a file is read the same as its bytes in memory, and a directory given as a file is a clear error")
    func fileAndMemoryImagesDecodeAlike() throws {
        let dir = Self.tempDir()
        let path = dir + "/f.twc"
        let series = Self.sampleSeries(3000)
        try BarCache.write(series, to: path)
        let image = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let fromMemory = try image.withUnsafeBytes { raw in
            try Result { () throws(DataError) in try BarCache.decode(raw, path: path, verify: true) }.get()
        }
        #expect(fromMemory == series)
        #expect(try BarCache.read(path: path) == fromMemory)
        let e = #expect(throws: DataError.self) { try BarCache.read(path: dir) }
        #expect(e?.kind == .unreadable)
    }

    @Test("a long series read with a helper reading its later columns equals the one-thread read, and so does a directory")
    func readWithAHelperThreadEqualsOneThread() throws {
        let dir = Self.tempDir()
        let path = dir + "/" + BarCache.fileName(for: "LONG")
        // 600,003 bars: 43 MB of columns, over the 8 MB from which a helper reads the later half (each column's 4.8 MB
        // is over the 2 MB from which a helper populates pages); each column is padded to 64 bytes, in both halves.
        let series = Self.sampleSeries(600_003, symbol: "LONG")
        try BarCache.write(series, to: path)
        let one = try BarCache.read(path: path, threads: .single)
        #expect(one == series)
        #expect(try BarCache.read(path: path, threads: 2) == one)
        #expect(try BarCache.readDirectory(dir, threads: 2).series == [one])
        // A damaged payload is still found with a helper.
        var image = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        image[image.count - 9] ^= 1
        try Data(image).write(to: URL(fileURLWithPath: path))
        let e = #expect(throws: DataError.self) { try BarCache.read(path: path, threads: 2) }
        #expect(e?.kind == .badCache)
    }

    @Test("bar times that go backwards or leave the loaders' years are refused at the first such bar, with or without a helper")
    func badBarTimesAreFoundWithOrWithoutAHelper() throws {
        let dir = Self.tempDir()
        let path = dir + "/" + BarCache.fileName(for: "LONG")
        for (bar, time, fragment) in [(450_000, Int64(0), "not strictly ascending at bar 450000"),
                                      (599_999, Int64.max, "bar 599999 starts at"),
                                      (131_072, Int64(1_550_000_000_000_000_000 + 131_071 * 60_000_000_000), "not strictly ascending at bar 131072")] {
            var series = Self.sampleSeries(600_000, symbol: "LONG")
            series.time[bar] = time
            try BarCache.write(series, to: path)
            for threads in [ThreadBudget.single, 2] {
                let e = #expect(throws: DataError.self) { try BarCache.read(path: path, threads: threads) }
                #expect(e?.kind == .badCache)
                #expect(e?.description.contains(fragment) == true, "\(threads): \(e.map { "\($0)" } ?? "no error")")
            }
        }
    }
}
