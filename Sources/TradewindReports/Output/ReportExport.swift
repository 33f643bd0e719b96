import Foundation

/// One call per command for the report options: `--report FILE.html`, `--summary FILE.txt` and
/// `--pdf FILE.pdf` (the same page printed by headless Chromium; a temporary HTML file is used when
/// no `--report` is asked for). Chromium is looked up before anything is written, so a missing browser
/// fails fast with its install hint.
public enum ReportExport {
    /// Writes the backtest report's requested outputs; `nil` paths are skipped.
    public static func backtest(_ input: BacktestReportInput, html: String? = nil, summary: String? = nil, pdf: String? = nil,
                                chromium: ChromiumRenderer? = nil) throws(ReportError) {
        let browser = try browserIfNeeded(pdf, chromium)
        if let summary { try ReportWriter.write(text: SummaryText.render(input), to: summary) }
        guard html != nil || pdf != nil else { return }
        try write(page: BacktestReport.render(input), html: html, pdf: pdf, browser: browser)
    }

    /// Writes the optimization report's requested outputs; fails on an unknown `--heatmap` parameter.
    public static func optimization(_ input: OptimizationReportInput, html: String? = nil, pdf: String? = nil,
                                    chromium: ChromiumRenderer? = nil) throws(ReportError) {
        let browser = try browserIfNeeded(pdf, chromium)
        guard html != nil || pdf != nil else { return }
        try write(page: OptimizationReport.render(input), html: html, pdf: pdf, browser: browser)
    }

    /// Writes the model-evaluation report (`ModelEvaluationReport`) as HTML and/or PDF; `nil` paths are skipped.
    public static func modelEvaluation(_ input: ModelEvaluationReportInput, html: String? = nil, pdf: String? = nil,
                                       chromium: ChromiumRenderer? = nil) throws(ReportError) {
        let browser = try browserIfNeeded(pdf, chromium)
        guard html != nil || pdf != nil else { return }
        try write(page: ModelEvaluationReport.render(input), html: html, pdf: pdf, browser: browser)
    }

    private static func browserIfNeeded(_ pdf: String?, _ given: ChromiumRenderer?) throws(ReportError) -> ChromiumRenderer? {
        guard pdf != nil else { return nil }
        if let given { return given }
        return try ChromiumRenderer.find()
    }

    private static func write(page: String, html: String?, pdf: String?, browser: ChromiumRenderer?) throws(ReportError) {
        if let html { try ReportWriter.write(html: page, to: html) }
        guard let pdf, let browser else { return }
        if let html {
            try browser.printPDF(html: html, to: pdf)
            return
        }
        let temp = NSTemporaryDirectory() + "tradewind-report-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).html"
        defer { try? FileManager.default.removeItem(atPath: temp) }
        try ReportWriter.write(html: page, to: temp)
        try browser.printPDF(html: temp, to: pdf)
    }
}
