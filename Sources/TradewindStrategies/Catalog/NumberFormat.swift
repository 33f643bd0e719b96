/// Numbers in labels the catalog's strategies write (plot levels).
enum NumberFormat {
    /// The shortest text that reads back as `x`, without a trailing `.0` for whole numbers (`30`, `2.5`).
    static func shortest(_ x: Double) -> String {
        if x.isFinite, x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
        return String(x)
    }
}
