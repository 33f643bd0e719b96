import TradewindCore
import TradewindData
import TradewindEngine
import TradewindIndicators
import TradewindReports

/// Library errors as the command line says them. The libraries name the input at fault in their own terms
/// (a `LoadOptions` field, a backtest setting, a report input, a function's parameter); each command adds the
/// flag that sets that input, where it has one.
enum ErrorText {
    /// The flags of `DataError` inputs for the commands that read `--data` with the loading options.
    static let dataFlags: [DataError.Input: String] = [.source: "--data", .label: "--label", .duplicates: "--duplicates"]

    /// `error` in the command line's words; `data` gives the flags of this command's `DataError` inputs.
    static func message(_ error: any Error, data: [DataError.Input: String] = dataFlags) -> String {
        switch error {
        case let e as DataError: return message(e, flags: data)
        case let e as CalendarListingError: return message(e)
        case let e as ScheduleError: return e.description(naming: BacktestOptions.flag)
        case let e as ReportError: return message(e)
        case let e as IndicatorError: return message(e)
        default: return "\(error)"
        }
    }

    /// The library's message, then the flag of the input it names (with the value to give it, when it says one).
    static func message(_ e: DataError, flags: [DataError.Input: String]) -> String {
        guard let input = e.input, let flag = flags[input] else { return e.description }
        var hint = flag + (e.suggestion.map { " " + $0 } ?? "")
        if input == .source { hint += "; `tradewind data list` lists the samples" }
        return e.description + " (" + hint + ")"
    }

    /// The calendar's date parameters (`from`, `to`) are the `calendar` command's `--from` and `--to`.
    static func message(_ e: CalendarListingError) -> String {
        switch e {
        case .invalidDate(let text, let argument):
            return "--\(argument) '\(text)' is not a valid date: expected yyyy-MM-dd, e.g. 2024-07-03"
        case .calendar(.emptyRange(let from, let to)):
            return "the range \(from) … \(to) is empty: --from must not be after --to"
        case .calendar(let e):
            return e.description
        }
    }

    /// The report inputs are `--benchmark` (backtest) and `--heatmap` (optimize).
    static func message(_ e: ReportError) -> String {
        switch e {
        case .unknownBenchmark(let symbol, let available):
            return "--benchmark \(symbol): not in the data; its symbols are \(available.joined(separator: ", "))"
        case .unknownHeatmapParameter(let name, let parameters):
            return "--heatmap: no parameter named '\(name)'; the parameters are \(parameters.joined(separator: ", "))"
        case .sameHeatmapParameters(let name):
            return "--heatmap needs two different parameters, got '\(name),\(name)'"
        default:
            return e.description
        }
    }

    /// A per-bar periods input is the `indicator` command's `--periods FILE`.
    static func message(_ e: IndicatorError) -> String {
        switch e {
        case .missingPeriods(let indicator):
            return "\(indicator): needs a period per bar: pass --periods FILE (one number per bar, in bar order)"
        default:
            return e.description
        }
    }
}
