import Testing
@testable import TradewindCore

/// `ISO8601`'s byte-by-byte formatting against its readable reference.
struct ISO8601Tests {
    @Test func theFastFormattingEqualsTheReferenceOnRandomInstantsOffsetsAndFractions() {
        var rng = SplitMix64(seed: 8601)
        let from = UnixTime.midnightUTC(CivilDate(year: 1900, month: 1, day: 1)!)
        let to = UnixTime.midnightUTC(CivilDate(year: 2100, month: 12, day: 31)!)
        for k in 0..<20_000 {
            var t = from + Int64(rng.next() % UInt64(to - from))
            // Whole seconds, whole milliseconds and arbitrary nanoseconds, so fractions of every width show up.
            switch k % 3 {
            case 0: t -= t % UnixTime.nanosPerSecond
            case 1: t -= t % 1_000_000
            default: break
            }
            let offset = k % 4 == 0 ? 0 : (Int64(rng.next() % 57) - 28) * 900 + (k % 7 == 0 ? Int64(rng.next() % 60) : 0)
            let numericUTC = k % 8 == 0
            let fast = ISO8601.format(t, offsetSeconds: offset, numericUTC: numericUTC)
            #expect(fast == ISO8601.referenceFormat(t, offsetSeconds: offset, numericUTC: numericUTC), "\(t) \(offset)")
            // Written into a buffer, as responses do: the same bytes.
            let written = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: ISO8601.maxLength) { buffer in
                String(decoding: buffer[..<ISO8601.write(t, offsetSeconds: offset, numericUTC: numericUTC, into: buffer)!],
                       as: UTF8.self)
            }
            #expect(written == fast)
        }
    }

    @Test func knownInstantsFormatAsExpected() {
        let t = UnixTime.midnightUTC(CivilDate(year: 2024, month: 7, day: 3)!) + 13 * 3_600_000_000_000 + 30 * 60_000_000_000
        #expect(ISO8601.utc(t) == "2024-07-03T13:30:00Z")
        #expect(ISO8601.utc(t + 120_000_000) == "2024-07-03T13:30:00.12Z")
        #expect(ISO8601.utc(t + 1) == "2024-07-03T13:30:00.000000001Z")
        #expect(ISO8601.local(t, in: .newYork) == "2024-07-03T09:30:00-04:00")
        #expect(ISO8601.format(t, offsetSeconds: 5 * 3600 + 1800) == "2024-07-03T19:00:00+05:30")
        #expect(ISO8601.local(t, in: .utc, numericUTC: true) == "2024-07-03T13:30:00+00:00")
        #expect(ISO8601.local(t, in: .utc) == "2024-07-03T13:30:00Z")
    }

    @Test func anOffsetOfAHundredHoursOrMoreFallsBackToTheReference() {
        let t = UnixTime.midnightUTC(CivilDate(year: 2024, month: 7, day: 3)!)
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: ISO8601.maxLength) { buffer in
            #expect(ISO8601.write(t, offsetSeconds: 100 * 3600, numericUTC: false, into: buffer) == nil)
            #expect(ISO8601.write(t, offsetSeconds: 99 * 3600, numericUTC: false, into: buffer) != nil)
        }
        #expect(ISO8601.format(t, offsetSeconds: 100 * 3600) == ISO8601.referenceFormat(t, offsetSeconds: 100 * 3600))
        #expect(ISO8601.format(t, offsetSeconds: 100 * 3600) == "2024-07-07T04:00:00+100:00")
    }
}
