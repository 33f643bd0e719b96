/// Colours and type sizes shared by every chart, chosen to read on white and in print.
public enum ChartTheme {
    /// Series colours in order of use.
    public static let palette = ["#2563eb", "#f59e0b", "#7c3aed", "#0d9488", "#db2777", "#64748b", "#65a30d", "#ea580c"]
    public static let positive = "#16a34a"
    public static let negative = "#dc2626"
    public static let grid = "#e5e7eb"
    public static let axis = "#94a3b8"
    public static let text = "#334155"
    public static let muted = "#64748b"
    public static let reference = "#9333ea"
    public static let fontFamily = "system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif"
    public static let fontSize = 12.0

    /// The estimated width of `s` set at `size` px: 6.5 px per character at 11 px (0.59 em), a little wider
    /// than digits in the usual sans-serif faces, so that text laid out by this estimate fits on screen.
    public static func textWidth(_ s: String, size: Double = fontSize) -> Double { Double(s.count) * size * 6.5 / 11 }

    /// The palette colour for series number `i`.
    public static func color(_ i: Int) -> String { palette[((i % palette.count) + palette.count) % palette.count] }
}
