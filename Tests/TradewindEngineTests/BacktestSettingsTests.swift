import Foundation
import Testing
import TradewindCore
import TradewindEngine

/// `BacktestSettings`: the user's cost, fill, account, period and session settings checked and turned into a
/// `BacktestConfig`; errors name the field (its JSON key) and what it accepts.
@Suite("Backtest settings")
struct BacktestSettingsTests {
    static func error(_ settings: BacktestSettings) -> BacktestSettingsError? {
        do {
            _ = try settings.config(zone: .newYork)
            return nil
        } catch {
            return error
        }
    }

    @Test func defaultSettingsBuildTheDefaultConfiguration() throws {
        let config = try BacktestSettings().config(zone: .newYork)
        #expect(config == BacktestConfig(session: SessionPolicy(zone: .newYork)))
        #expect(config.account == .cash)
    }

    @Test func everyFieldReachesTheConfiguration() throws {
        let s = BacktestSettings(cash: 5_000, commission: 0.001, commissionPerShare: 0.01, commissionMinimum: 1,
                                 commissionMaximum: 20, commissionFixed: 0.5, slippageBps: 3, volumeCap: 0.1,
                                 borrowRate: 0.02, marginRate: 0.05, fill: "close", intrabar: "path", wholeShares: true,
                                 margin: 0.5, session: "nyse", flattenAtClose: true)
        let c = try s.config(zone: .newYork)
        #expect(c.initialCash == 5_000)
        #expect(c.commission == CommissionModel(perShare: 0.01, percent: 0.001, fixed: 0.5, minimum: 1, maximum: 20))
        #expect(c.slippage == .basisPoints(3))
        #expect(c.volumeParticipation == 0.1)
        #expect(c.financing == FinancingModel(shortBorrowRate: 0.02, marginInterestRate: 0.05))
        #expect(c.fillTiming == .signalClose && c.intrabar == .path && c.wholeShares)
        #expect(c.session.calendar?.name == NYSECalendar.shared.name && c.session.flattenAtClose)
        #expect(c.account == .margin(initialMargin: 0.5, maintenanceMargin: 0.25))
        #expect(try BacktestSettings(spread: 0.02).config(zone: .newYork).slippage == .halfSpread(0.02))
    }

    @Test func marginOpensAMarginAccountWhoseMaintenanceIsAtMost25Percent() throws {
        #expect(try BacktestSettings(margin: 1).config(zone: .newYork).account == .margin(initialMargin: 1, maintenanceMargin: 0.25))
        #expect(try BacktestSettings(margin: 0.2).config(zone: .newYork).account == .margin(initialMargin: 0.2, maintenanceMargin: 0.2))
        #expect(BacktestSettings.maintenanceMargin(initialMargin: 0.5) == 0.25)
        for (bad, text) in [(0, "0"), (-0.5, "-0.5"), (1.5, "1.5"), (Double.nan, "nan")] {
            #expect(Self.error(BacktestSettings(margin: bad))
                == .invalidValue(field: .margin, value: text, expected: "an initial margin with 0 < margin ≤ 1 (0.5 = 2× leverage)"))
        }
    }

    @Test func financingRatesNeedAMarginAccount() throws {
        #expect(Self.error(BacktestSettings(borrowRate: 0.02)) == .needsMarginAccount(field: .borrowRate, value: "0.02"))
        #expect(Self.error(BacktestSettings(marginRate: 0.05)) == .needsMarginAccount(field: .marginRate, value: "0.05"))
        #expect(BacktestSettingsError.needsMarginAccount(field: .borrowRate, value: "0.02").description
            == "borrow_rate 0.02 applies to margin accounts only: give margin too, or leave borrow_rate at 0")
        _ = try BacktestSettings(borrowRate: 0.02, marginRate: 0.05, margin: 0.5).config(zone: .newYork)
    }

    @Test func spreadAndBasisPointSlippageAreExclusive() {
        let e = Self.error(BacktestSettings(slippageBps: 5, spread: 0.02))
        #expect(e == .exclusive(.spread, .slippageBps))
        #expect(e?.description == "give spread or slippage_bps, not both")
    }

    @Test func datesAreMidnightsInTheZoneAndTheLastDateIsInclusive() throws {
        let c = try BacktestSettings(from: "2020-03-02", to: "2020-03-06").config(zone: .newYork)
        #expect(c.from.map(ISO8601.utc) == "2020-03-02T05:00:00Z")
        #expect(c.to.map(ISO8601.utc) == "2020-03-07T05:00:00Z")
        let london = try ZoneRules.named("Europe/London")
        #expect(try BacktestSettings(from: "2020-07-01").period(zone: london).from.map(ISO8601.utc) == "2020-06-30T23:00:00Z")
        let oneDay = try BacktestSettings(from: "2020-03-02", to: "2020-03-02").config(zone: .newYork)
        #expect(oneDay.to! - oneDay.from! == 24 * 3_600 * 1_000_000_000)
        let unbounded = try BacktestSettings().period(zone: .newYork)
        #expect(unbounded.from == nil && unbounded.to == nil)
    }

    @Test func aDateThatIsNotYYYYMMDDOrAFromAfterToIsAnError() {
        #expect(Self.error(BacktestSettings(from: "2020-02-30")) == .invalidValue(field: .from, value: "2020-02-30", expected: "YYYY-MM-DD"))
        #expect(Self.error(BacktestSettings(to: "03/06/2020")) == .invalidValue(field: .to, value: "03/06/2020", expected: "YYYY-MM-DD"))
        let e = Self.error(BacktestSettings(from: "2020-03-06", to: "2020-03-02"))
        #expect(e == .outOfOrder(first: .from, firstValue: "2020-03-06", second: .to, secondValue: "2020-03-02"))
        #expect(e?.description == "from 2020-03-06 and to 2020-03-02 are out of order: from must not exceed to")
    }

    @Test func aMinimumCommissionAboveTheMaximumIsAnError() {
        #expect(Self.error(BacktestSettings(commissionMinimum: 5, commissionMaximum: 1))
            == .outOfOrder(first: .commissionMinimum, firstValue: "5", second: .commissionMaximum, secondValue: "1"))
    }

    static let outOfRange: [(BacktestSettings, BacktestSettings.Field, String)] = [
        (BacktestSettings(cash: 0), .cash, "a positive amount"),
        (BacktestSettings(cash: .infinity), .cash, "a positive amount"),
        (BacktestSettings(commission: 1), .commission, "a fraction with 0 ≤ commission < 1 (0.001 = 0.1 %)"),
        (BacktestSettings(commission: -0.001), .commission, "a fraction with 0 ≤ commission < 1 (0.001 = 0.1 %)"),
        (BacktestSettings(commissionPerShare: -1), .commissionPerShare, "a finite number ≥ 0"),
        (BacktestSettings(commissionMinimum: .nan), .commissionMinimum, "a finite number ≥ 0"),
        (BacktestSettings(commissionMaximum: -1), .commissionMaximum, "a number ≥ 0"),
        (BacktestSettings(commissionFixed: -2), .commissionFixed, "a finite number ≥ 0"),
        (BacktestSettings(slippageBps: 10_000), .slippageBps, "basis points with 0 ≤ slippage_bps < 10000"),
        (BacktestSettings(spread: -0.01), .spread, "a finite number ≥ 0"),
        (BacktestSettings(volumeCap: 0), .volumeCap, "a fraction with 0 < volume_cap ≤ 1 (0.1 = 10 %)"),
        (BacktestSettings(volumeCap: 1.5), .volumeCap, "a fraction with 0 < volume_cap ≤ 1 (0.1 = 10 %)"),
        (BacktestSettings(borrowRate: -0.01, margin: 0.5), .borrowRate, "a finite number ≥ 0"),
        (BacktestSettings(marginRate: .infinity, margin: 0.5), .marginRate, "a finite number ≥ 0"),
        (BacktestSettings(fill: "open"), .fill, "next-open or close"),
        (BacktestSettings(intrabar: "best"), .intrabar, "worst or path"),
        (BacktestSettings(session: "lse"), .session, "all or nyse"),
    ]

    @Test(arguments: outOfRange)
    func aValueOutOfItsRangeIsAnErrorNamingTheFieldAndTheRange(settings: BacktestSettings, field: BacktestSettings.Field,
                                                               expected: String) throws {
        guard case let .invalidValue(f, value, e) = try #require(Self.error(settings)) else {
            Issue.record("expected invalidValue for \(field)")
            return
        }
        #expect(f == field && e == expected)
        #expect(BacktestSettingsError.invalidValue(field: f, value: value, expected: e).description
            == "\(field.rawValue) \(value): expected \(expected)")
    }

    @Test func settingsAtTheEdgesOfTheirRangesBuildAConfigurationTheEngineAccepts() throws {
        let edges = [
            BacktestSettings(cash: 0.01, commission: 0.999, commissionMinimum: 3, commissionMaximum: 3, slippageBps: 9_999.99,
                             volumeCap: 1, borrowRate: 0, marginRate: 0, margin: 1),
            BacktestSettings(commission: 0, commissionPerShare: 0, slippageBps: 0, spread: 0, volumeCap: 1e-9, margin: 1e-9),
            BacktestSettings(commissionMaximum: 0, from: "2020-01-01", to: "2020-01-01", session: "nyse"),
        ]
        for s in edges { try s.config(zone: .newYork).validate() }
    }

    @Test func errorsNameFieldsTheWayTheCallerAsks() {
        let flag: (BacktestSettings.Field) -> String = { "--" + $0.rawValue.replacingOccurrences(of: "_", with: "-") }
        #expect(BacktestSettingsError.exclusive(.spread, .slippageBps).description(naming: flag) == "give --spread or --slippage-bps, not both")
        #expect(BacktestSettingsError.needsMarginAccount(field: .marginRate, value: "0.05").description(naming: flag)
            == "--margin-rate 0.05 applies to margin accounts only: give --margin too, or leave --margin-rate at 0")
    }

    @Test func jsonMayOmitFieldsAndRoundTrips() throws {
        let decoded = try JSONDecoder().decode(BacktestSettings.self, from: Data(#"{"commission": 0.001, "margin": 0.5, "from": "2020-01-02"}"#.utf8))
        #expect(decoded == BacktestSettings(commission: 0.001, margin: 0.5, from: "2020-01-02"))
        let full = BacktestSettings(cash: 1, commission: 0.002, commissionPerShare: 0.01, commissionMinimum: 1, commissionMaximum: 9,
                                    commissionFixed: 2, spread: 0.1, volumeCap: 0.5, borrowRate: 0.01, marginRate: 0.02,
                                    fill: "close", intrabar: "path", wholeShares: true, margin: 0.3, from: "2019-01-01",
                                    to: "2019-12-31", session: "nyse", flattenAtClose: true)
        #expect(try JSONDecoder().decode(BacktestSettings.self, from: JSONEncoder().encode(full)) == full)
        let keys = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(full)) as? [String: Any]).keys
        #expect(Set(keys) == Set(BacktestSettings.Field.allCases.map(\.rawValue)))
    }

    @Test func anUnknownJSONKeyIsAnErrorListingTheFields() {
        #expect(throws: BacktestSettingsError.unknownField("comission")) {
            try JSONDecoder().decode(BacktestSettings.self, from: Data(#"{"comission": 0.001}"#.utf8))
        }
        #expect(BacktestSettingsError.unknownField("comission").description.contains("commission, commission_per_share"))
    }
}
