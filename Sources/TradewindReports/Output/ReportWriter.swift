import TradewindCore
import TradewindData

/// Writes reports to disk atomically: a reader sees the old file or the complete new one.
public enum ReportWriter {
    /// Writes `html` (or any text) to `path` atomically, as UTF-8.
    public static func write(html: String, to path: String) throws(ReportError) {
        try write(text: html, to: path)
    }

    /// Writes `text` to `path` atomically, as UTF-8.
    public static func write(text: String, to path: String) throws(ReportError) {
        let bytes = Array(text.utf8)
        do throws(DataError) {
            try AtomicFile.write(to: path) { (sink) throws(DataError) in
                var failure: DataError?
                bytes.withUnsafeBytes { buffer in
                    do throws(DataError) { try sink(buffer) } catch { failure = error }
                }
                if let failure { throw failure }
            }
        } catch {
            throw .cannotWrite(path: path, reason: error.description)
        }
    }
}
