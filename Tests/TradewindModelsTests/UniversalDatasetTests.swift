import Testing
import TradewindCore
import TradewindML
@testable import TradewindModels

@Suite struct UniversalDatasetTests {
    /// The fixture's bars with every bar at or after `start` scrambled (prices scaled by random factors, volumes
    /// shuffled): what a leak would carry into training.
    static func scrambled(after start: UnixNanos) throws -> [FeatureTable] {
        var generator = Xoshiro256StarStar(seed: 99)
        return try FeatureFixture.load().series.map { s in
            var bars = s.bars
            for i in 0..<bars.count where bars.time[i] >= start {
                let k = generator.uniform(0.7, 1.3)
                bars.open[i] *= k
                bars.high[i] *= k * 1.01
                bars.low[i] *= k * 0.99
                bars.close[i] *= k
                bars.volume[i] = Double(generator.next() % 10_000_000)
            }
            return try UniversalFeatures.compute(bars)
        }
    }

    func allFeatures(_ set: WindowSet) -> [Float] { (0..<set.count).flatMap { Array(set.features(of: $0)) } }

    @Test func scramblingBarsFromTheValidationStartOnChangesNothingInTraining() throws {
        let honest = try UniversalDataset.prepare(FeatureFixture.tables())
        let validationStart = (0..<honest.validation.count).map { honest.validation.time(of: $0) }.min()!
        let leaked = try UniversalDataset.prepare(Self.scrambled(after: validationStart))
        #expect(honest.training.count > 100 && honest.validation.count > 10)
        #expect(leaked.training.samples == honest.training.samples)
        #expect(leaked.training.labels == honest.training.labels)
        #expect(leaked.training.targets == honest.training.targets)
        #expect(allFeatures(leaked.training) == allFeatures(honest.training))
        #expect(leaked.scaler == honest.scaler)
        #expect(leaked.classWeights == honest.classWeights)
        // The scramble did reach the validation side: the comparison above could have failed.
        #expect(allFeatures(leaked.validation) != allFeatures(honest.validation))
    }

    @Test func theTimeSplitPurgesAGapAndEveryTrainingOutcomeIsBeforeValidation() throws {
        let tables = try FeatureFixture.tables()
        let data = try UniversalDataset.prepare(tables, configuration: DatasetConfiguration(split: .time(purgeGap: 10)))
        let validationStart = (0..<data.validation.count).map { data.validation.time(of: $0) }.min()!
        let trainingTimes = (0..<data.training.count).map { data.training.time(of: $0) }
        #expect(data.trainingEnd == trainingTimes.max())
        // Ten sample dates lie strictly between the last training date and the first validation date.
        let allDates = Set(UniversalDataset.samples(tables, window: 60, outcomeRequired: true).map { tables[$0.symbol].time[$0.row] })
        #expect(allDates.filter { $0 > data.trainingEnd && $0 < validationStart }.count == 10)
        for i in 0..<data.training.count {
            let s = data.training.samples[i]
            #expect(tables[s.symbol].time[s.row + 1] < validationStart)
        }
    }

    @Test func theRandomPermutationMixesDatesAndItsScalerReadsTheFuture() throws {
        let config = DatasetConfiguration(split: .randomPermutation(seed: 3))
        let honest = try UniversalDataset.prepare(FeatureFixture.tables(), configuration: config)
        let firstValidation = (0..<honest.validation.count).map { honest.validation.time(of: $0) }.min()!
        #expect(honest.trainingEnd > firstValidation)
        let leaked = try UniversalDataset.prepare(Self.scrambled(after: firstValidation), configuration: config)
        #expect(leaked.scaler != honest.scaler)
    }

    @Test func scaledFeaturesAreClippedAtFiveSigmaAndCenteredOnTheTrainingPeriod() throws {
        let tables = try FeatureFixture.tables()
        let data = try UniversalDataset.prepare(tables)
        let values = allFeatures(data.training)
        #expect(values.allSatisfy { $0.isFinite && abs($0) <= 5 })
        // Every training-period row, scaled, has mean ≈ 0 per feature (clipping moves it only slightly).
        for f in UniversalFeature.allCases {
            var sum = 0.0, n = 0
            for t in tables {
                let scaled = data.scaler.transform(t)
                for row in UniversalFeature.warmUp..<t.count where t.time[row] <= data.trainingEnd {
                    sum += Double(scaled[row * FeatureTable.width + f.rawValue])
                    n += 1
                }
            }
            #expect(abs(sum / Double(n)) < 0.1, "\(f.name) mean \(sum / Double(n))")
        }
    }

    @Test func labelsAndTargetsAreTheNextDaysChange() throws {
        let tables = try FeatureFixture.tables()
        let data = try UniversalDataset.prepare(tables)
        for i in stride(from: 0, to: data.training.count, by: 17) {
            let s = data.training.samples[i]
            let change = (tables[s.symbol].close[s.row + 1] / tables[s.symbol].close[s.row] - 1) * 100
            #expect(abs(Double(data.training.targets[i]) - change) < 1e-4)
            #expect(data.training.labels[i] == Direction(change: change, threshold: 0.4).rawValue)
        }
        #expect(data.classWeights == Direction.balancedWeights(data.training.labels))
    }

    @Test func aBatchLaysOutWindowsAsSamplesByStepsByFeatures() throws {
        let data = try UniversalDataset.prepare(FeatureFixture.tables())
        let batch = try data.training.batch([5, 0])
        #expect(batch.x.shape == [2, 60, 18])
        #expect(Array(batch.x.scalars[0..<(60 * 18)]) == Array(data.training.features(of: 5)))
        #expect(batch.labels == [data.training.labels[5], data.training.labels[0]])
    }

    @Test func badSettingsAreTypedErrors() throws {
        let tables = try FeatureFixture.tables()
        #expect(throws: ModelError.invalidSetting(name: "validationFraction", value: "1.0", expected: "strictly between 0 and 1")) {
            try UniversalDataset.prepare(tables, configuration: DatasetConfiguration(validationFraction: 1))
        }
        #expect(throws: ModelError.self) {
            try UniversalDataset.prepare(tables, configuration: DatasetConfiguration(split: .time(purgeGap: 10_000)))
        }
    }
}
