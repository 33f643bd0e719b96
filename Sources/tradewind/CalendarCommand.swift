import ArgumentParser
import Foundation
import TradewindCore

/// `tradewind calendar`: lists NYSE sessions with their open and close instants.
struct CalendarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar",
        abstract: "List NYSE trading sessions (1990-01-01 … 2030-12-31) with open and close times.",
        discussion: """
            Text output: one line per session: date, open and close in New York local time, open and \
            close in UTC, and "early close" on shortened days. --json prints an array of \
            {"date", "open", "close"} with UTC ISO 8601 instants.
            """
    )

    @Option(name: .long, help: "First date, yyyy-MM-dd (inclusive).")
    var from: String

    @Option(name: .long, help: "Last date, yyyy-MM-dd (inclusive).")
    var to: String

    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    func run() throws {
        do {
            let out = try CalendarListing.listing(
                from: from, to: to, calendar: NYSECalendar.shared, format: json ? .json : .text)
            print(out, terminator: "")
        } catch {
            FileHandle.standardError.write(Data("Error: \(ErrorText.message(error))\n".utf8))
            throw ExitCode.failure
        }
    }

}
