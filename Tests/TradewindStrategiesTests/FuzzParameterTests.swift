import Foundation
import Testing
import TradewindTestSupport
import TradewindCore
import TradewindData
import TradewindEngine
import TradewindStrategies

/// Strategy parameter texts (`name=value`) and signal files given random and mutated input parse to a value or
/// throw a typed error naming what is valid; whatever parses runs a backtest without trapping. Seeded.
@Suite(.timeLimit(.minutes(1))) struct FuzzParameterTests {
    /// Texts for a parameter: hostile tokens, mutations of its default, and values at and beyond its range's ends.
    func texts(for spec: ParameterSpec, _ fuzz: inout FuzzInput) -> String {
        var candidates = [fuzz.pick(FuzzInput.tokens), fuzz.mutate(spec.defaultValue.description)]
        switch spec.kind {
        case .int(let r):
            candidates += ["\(r.lowerBound)", "\(r.upperBound)", "\(r.lowerBound - 1)", "\(r.upperBound &+ 1)",
                           "\(Int.random(in: r, using: &fuzz.rng))", " \(r.upperBound) "]
        case .real(let r):
            candidates += ["\(r.lowerBound)", "\(r.upperBound)", "\(r.upperBound.nextUp)", "\(r.lowerBound.nextDown)",
                           "\(Double.random(in: r.lowerBound...min(r.upperBound, r.lowerBound + 1e6), using: &fuzz.rng))"]
        case .timeOfDay(let r):
            candidates += [ParameterValue.timeOfDay(r.lowerBound).description, ParameterValue.timeOfDay(r.upperBound).description,
                           "-1:30", "+9:+5", "23:60", "9:30:00", "09:3"]
        case .choice(let c): candidates += c + [c[0].uppercased(), c[0] + " "]
        case .bool: candidates += ["true", "NO", "on", "2"]
        case .string, .path: candidates += ["SPY", "/nonexistent", "/dev/null", "/"]
        }
        return fuzz.pick(candidates)
    }

    @Test func parameterTextsParseOrThrowAndRoundTrip() {
        var fuzz = FuzzInput(seed: 0x9A2A)
        var parsed = 0
        for d in StrategyCatalog.builtIn.all {
            for spec in d.parameterSpecs {
                for _ in 0..<300 {
                    let text = texts(for: spec, &fuzz)
                    do throws(ParameterError) {
                        let v = try spec.parse(text)
                        parsed += 1
                        if case .path = spec.kind { continue }
                        #expect(try spec.parse(v.description) == v, "\(d.name) \(spec.name)=\(text)")
                    } catch {
                        #expect(error.description.contains(spec.name))
                    }
                }
            }
        }
        #expect(parsed > 1000)
    }

    @Test func everyStrategyRunsOrThrowsWithFuzzedParameters() throws {
        let daily = MarketDataset([try SampleBars.eqkerDaily("SPY").slice(0..<120)])
        let minute = MarketDataset([try SyntheticMinuteBars.generate(symbol: "SPY", seed: 7, from: CivilDate(year: 2021, month: 3, day: 1)!,
                                                                      to: CivilDate(year: 2021, month: 3, day: 2)!)])
        var fuzz = FuzzInput(seed: 0x57A7)
        var ran = 0
        for d in StrategyCatalog.builtIn.all where d.name != "signals" {
            let data = d.requirements.intradayBars ? minute : daily
            for _ in 0..<30 {
                var overrides: [String: String] = [:]
                for spec in d.parameterSpecs where fuzz.chance(70) { overrides[spec.name] = texts(for: spec, &fuzz) }
                let parameters: StrategyParameters
                do throws(ParameterError) { parameters = try d.parameters(overrides) } catch { continue }
                do {
                    let prepared = try d.prepare(BacktestConfig(), parameters: parameters, data: data)
                    _ = try d.run(parameters, data, prepared.config)
                    _ = try d.plots(parameters, data.series[0])
                    ran += 1
                } catch {
                    #expect(!"\(error)".isEmpty)
                }
            }
        }
        #expect(ran > 60)
    }

    @Test func signalFilesParseOrThrowAndTheirSignalsRun() throws {
        let valid = ["date,symbol,signal\n2019-01-07,SPY,buy\n2019-01-19,SPY,sell\n2019-02-04T15:30:00Z,SPY,1\n2019-02-11,SPY,0\n",
                     "time,action\n2019-02-12T10:00:00-05:00,exit\n2019-02-13T10:00:00.123+01:30,entry\n",
                     "Timestamp , Signal\n1678-01-01,buy\n2261-12-31T23:59:59+14:00,sell\n"]
        let data = MarketDataset([try SampleBars.eqkerDaily("SPY").slice(0..<60)])
        var fuzz = FuzzInput(seed: 0x5167)
        var parsed = 0
        for i in 0..<3000 {
            let text = i % 3 == 0 ? fuzz.text(maxCount: 80, alphabet: "0123456789-:TZ+.,\n timesignalbuy")
                                  : fuzz.mutate(fuzz.pick(valid))
            let events: [SignalEvent]
            do throws(SignalFileError) { events = try SignalFile.parse(text, name: "s.csv") } catch {
                #expect(error.file == "s.csv" && !error.message.isEmpty)
                continue
            }
            parsed += 1
            for e in events { _ = e.when.dueFrom }
            if i % 10 == 0 {
                var strategy = SignalStrategy(events: events)
                do { _ = try Backtest.run(&strategy, data: data) } catch { #expect(!"\(error)".isEmpty) }
            }
        }
        #expect(parsed > 40)
        // Dates beyond the instants `UnixNanos` holds are errors (they used to overflow when the signal came due).
        for far in ["9999-12-31", "0000-01-01T00:00:00Z", "2262-04-12T00:00:00+14:00", "2019-02-04T+1:30:00Z"] {
            #expect(throws: SignalFileError.self) { try SignalFile.parse("time,signal\n\(far),buy\n") }
        }
        #expect(SignalEvent.When.date(CivilDate(year: 9999, month: 12, day: 31)!).dueFrom == .max)
        #expect(SignalEvent.When.date(CivilDate(year: -9999, month: 1, day: 1)!).dueFrom == .min)
    }
}
