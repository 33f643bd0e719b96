/// Which trades count in a minute bar, by their conditions (`c`), after Alpaca's "How does Alpaca calculate minute
/// bars" (alpaca.markets/learn/stock-minute-bars), which follows the SIPs' guidance (CTS specification, UTP
/// specification) with Alpaca's own changes for minute bars:
/// - open, high, low and close: every trade except those with a condition that does not reflect the market at that
///   minute — average-price (`B`, `W`), derivatively priced (`4`), qualified contingent (`7`), corrected close
///   (`9`), cash sale (`C`), bunched sold (`G`), price variation (`H`), odd lot (`I`), official close and open
///   (`M`, `Q`), next day (`N`), prior reference price (`P`), seller (`R`), extended hours sold out of sequence
///   (`U`), contingent (`V`) and sold out of sequence (`Z`);
/// - volume, trade count and VWAP: every trade except the official open and close and the corrected close (`M`,
///   `Q`, `9`), which are reports rather than trades.
/// Extended-hours trades (`T`) count in both, as Alpaca streams pre- and after-market minute bars. The same rules apply
/// on every tape (IEX's trades carry the same codes).
public enum TradeConditions {
    /// Conditions that keep a trade out of the open, high, low and close.
    public static let excludedFromPrice: Set<String> = ["B", "W", "4", "7", "9", "C", "G", "H", "I", "M", "N", "P", "Q", "R", "U", "V", "Z"]
    /// Conditions that keep a trade out of the volume, trade count and VWAP.
    public static let excludedFromVolume: Set<String> = ["M", "Q", "9"]

    /// True when a trade with `conditions` sets the bar's open, high, low and close.
    public static func updatesPrice(_ conditions: [String]?) -> Bool {
        !(conditions ?? []).contains { excludedFromPrice.contains($0.trimmingSpaces) }
    }

    /// True when a trade with `conditions` counts in the bar's volume, trade count and VWAP.
    public static func updatesVolume(_ conditions: [String]?) -> Bool {
        !(conditions ?? []).contains { excludedFromVolume.contains($0.trimmingSpaces) }
    }
}

private extension String {
    /// The code without the blanks Alpaca pads some with (`" "` is a regular trade).
    var trimmingSpaces: Substring {
        var s = self[...]
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return s
    }
}

private extension Set where Element == String {
    func contains(_ code: Substring) -> Bool { contains(String(code)) }
}
