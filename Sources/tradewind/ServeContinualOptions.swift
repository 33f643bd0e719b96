import ArgumentParser
import Foundation
import TradewindCore
import TradewindModels
import TradewindServer

/// `tradewind serve`'s continual-learning options (off unless `--continual`): `tradewind ml schedule`'s options,
/// run by the server as `training` jobs (`ContinualRunner`).
struct ServeContinualOptions: ParsableArguments {
    @Flag(help: "Run continual learning in the server: an incremental update after each session's close, a weekly full retrain.")
    var continual = false
    @Option(help: "Continual learning's training request: a JSON file with POST /api/train-all's fields (name, data, symbols, widths, epochs of a full retrain, …); without it, train-all's defaults (the model universal on sample:sp500-50).")
    var continualRequest: String?
    @Option(help: "Newest dates an incremental update fine-tunes on (default: the request's, else 60).") var updateWindow: Int?
    @Option(help: "Fine-tuning epochs of an incremental update.") var updateEpochs = 5
    @Option(help: "Deploy, and keep the active version, when its accuracy ≥ this × the other's (default: the request's, else 0.95).")
    var performanceThreshold: Double?
    @Option(help: "Versions kept per model (default: the request's, else 7).") var maxVersions: Int?
    @Option(help: "Incremental update time, HH:MM local.") var dailyUpdateTime = "16:30"
    @Option(help: "Full retrain time, HH:MM local.") var fullRetrainTime = "02:00"
    @Option(help: "Full retrain day: 0 (Sunday) … 6 (Saturday).") var fullRetrainWeekday = 6
    @Option(help: "Zone of the times (IANA name).") var scheduleZone = "America/New_York"

    /// The configuration, nil without `--continual`.
    func configuration() throws -> ContinualConfiguration? {
        guard continual else {
            guard continualRequest == nil else { throw ValidationError("--continual-request needs --continual") }
            return nil
        }
        var request = TrainingRequest()
        if let continualRequest {
            do { request = try JSONDecoder().decode(TrainingRequest.self, from: Data(contentsOf: URL(fileURLWithPath: continualRequest))) } catch {
                throw ValidationError("--continual-request \(continualRequest): \(error)")
            }
        }
        if let updateWindow { request.updateWindow = updateWindow }
        if let performanceThreshold { request.performanceThreshold = performanceThreshold }
        if let maxVersions { request.keep = maxVersions }
        do { try request.validate() } catch { throw ValidationError("continual learning: \(error)") }
        guard UniversalTrainingSettings.epochRange.contains(updateEpochs) else {
            throw ValidationError("--update-epochs \(updateEpochs): expected \(UniversalTrainingSettings.epochRange)")
        }
        let zone: ZoneRules
        do { zone = try ZoneRules.named(scheduleZone) } catch { throw ValidationError("--schedule-zone \(scheduleZone): \(error)") }
        let schedule: ContinualSchedule
        do {
            schedule = try ContinualSchedule(dailyUpdateTime: dailyUpdateTime, fullRetrainTime: fullRetrainTime,
                                             fullRetrainWeekday: fullRetrainWeekday, zone: zone)
        } catch { throw ValidationError(error.description) }
        return ContinualConfiguration(schedule: schedule, request: request, updateEpochs: updateEpochs)
    }
}
