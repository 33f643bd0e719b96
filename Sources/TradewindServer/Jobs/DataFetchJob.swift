import Foundation
import TradewindCore
import TradewindProviders
import TradewindStore

/// The `data_fetch` job kind: `tradewind data fetch` run by the server. The request is `DataFetchOptions` (the
/// command's options, checks and messages); `out` is a cache directory relative to the server's home, so that later
/// jobs read it as their `data`. Each symbol is marked done as its bars are stored; a job interrupted by a stop or a
/// crash is queued again and continues with the symbols not yet done (and a symbol cut mid-way resumes from the
/// segment its cache had reached). Keys and base URLs are the server's environment's.
enum DataFetchJob {
    /// The command line's checks as a 400 naming the field (`request.from`, …), and `out` kept inside the home.
    static func check(_ options: DataFetchOptions, environment: ProviderEnvironment) throws -> DataFetchOptions.Checked {
        let parts = options.out.split(separator: "/", omittingEmptySubsequences: false)
        guard !options.out.isEmpty, !options.out.hasPrefix("/"), !options.out.hasPrefix("sample:"), !parts.contains(".."),
              !options.out.contains("\0") else {
            throw APIError.badRequest("out \(options.out): expected a directory relative to the server's home, without ..",
                                      field: "request.out")
        }
        do {
            return try options.checked(environment: environment)
        } catch {
            throw APIError.badRequest(error.message, field: "request." + error.field)
        }
    }

    /// The job's failure when symbols are left without bars (502: the providers failed them).
    static func incomplete(_ failed: [String], total: Int) -> APIError {
        APIError(.badGateway, "provider_failed",
                 "\(failed.count) of \(total) symbols could not be fetched (\(failed.prefix(10).joined(separator: ", "))"
                    + (failed.count > 10 ? ", …" : "") + "); the job's log says why")
    }

    /// A symbol's outcome as a log line: provider, bars, range, warnings or the error.
    static func logLine(_ r: BarFetcher.SymbolReport) -> String {
        if let error = r.error { return "\(r.symbol): \(error.description)" }
        var line = "\(r.symbol): \(r.bars) bars from \(r.provider) (\(r.fetchedBars) fetched)"
        if let f = r.first, let l = r.last { line += ", \(ISO8601.utc(f)) – \(ISO8601.utc(l))" }
        if !r.warnings.isEmpty { line += "; " + r.warnings.joined(separator: "; ") }
        return line
    }
}

extension JobScheduler {
    func runDataFetch(_ job: JobRecord, _ options: DataFetchOptions) async throws {
        let checked = try DataFetchJob.check(options, environment: providers)
        try await store.setJobSymbols(job.id, symbols: checked.symbols)
        let done = Set(try await store.jobSymbols(job.id).filter { $0.status == "done" }.map(\.symbol))
        let remaining = checked.symbols.filter { !done.contains($0) }
        let total = checked.symbols.count
        let fetcher = checked.fetcher(directory: loader.resolve(options.out))
        let (events, sink) = AsyncStream.makeStream(of: BarFetcher.Progress.self)
        let (store, holder) = (self.store, owner.text)
        let hub = self.hub
        let times = backtests.times
        let jobID = job.id
        let started = ContinuousClock.now
        // Records each symbol as it finishes (its own task: a stop asked of the job never cuts the bookkeeping).
        let recorder = Task {
            for await p in events {
                let ok = p.report.error == nil
                if ok {
                    do {
                        try await store.markJobSymbol(jobID, owner: holder, symbol: p.symbol, status: "done")
                    } catch is JobTakenOver {
                        self.lose(jobID, .takenOver)
                    } catch {
                        self.logger.error("symbol not marked done", metadata: ["job": "\(jobID)", "symbol": "\(p.symbol)", "error": "\(error)"])
                    }
                }
                await self.log(jobID, ok ? (p.report.warnings.isEmpty ? "info" : "warning") : "error", DataFetchJob.logLine(p.report))
                let finished = done.count + p.done
                let elapsed = Self.seconds(ContinuousClock.now - started)
                hub.publish(LiveMessage(type: "job.progress", jobID: jobID,
                                        data: JobProgressEvent(jobID: jobID, fraction: Double(finished) / Double(max(total, 1)),
                                                               symbolsDone: finished, symbolsTotal: total, symbol: p.symbol,
                                                               etaSeconds: elapsed / Double(p.done) * Double(p.total - p.done),
                                                               evaluationsPerSecond: nil, emittedAt: times.string(StoreClock.now()))))
            }
        }
        let reports = await fetcher.fetch(symbols: remaining, interval: checked.interval, from: checked.range.from,
                                          to: checked.range.to, progress: { sink.yield($0) })
        sink.finish()
        await recorder.value
        // A stop asked of the job cut the symbols in flight: they are not failures, and resume with the job.
        try Task.checkCancellation()
        let failed = reports.filter { $0.error != nil }.map(\.symbol)
        for symbol in failed {
            try await shielded { try await store.markJobSymbol(jobID, owner: holder, symbol: symbol, status: "failed") }
        }
        if !failed.isEmpty { throw DataFetchJob.incomplete(failed, total: total) }
    }
}
