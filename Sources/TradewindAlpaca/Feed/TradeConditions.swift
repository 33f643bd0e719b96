/// Which trades count in a minute bar, by their conditions (`c`). Alpaca's "How does Alpaca calculate minute bars"
/// (alpaca.markets/learn/stock-minute-bars) says each field filters by its own conditions, following the SIPs'
/// guidance (page 64 of the CTS specification, page 43 of the UTP specification); the per-field lists below are that
/// guidance as an Alpaca forum thread ("Trade or Bars data inaccuracy", forum.alpaca.markets/t/13850) applied it to
/// reproduce Alpaca's bars from Alpaca's trades exactly:
/// - high and low: every trade except average-price (`B` on the CTS tape, `W` on UTP), cash sale (`C`), price
///   variation (`H`), odd lot (`I`), market-center official close and open (`M`, `Q`), next day (`N`), seller
///   (`R`), extended hours sold out of sequence (`U`), contingent (`V`) and qualified contingent (`7`);
/// - open and close: those, and also bunched sold (`G`), prior reference price (`P`), sold out of sequence (`Z`) and
///   derivatively priced (`4`), which set a minute's range but not its first or last price;
/// - volume, trade count and VWAP: every trade except the official open and close and the corrected consolidated
///   close (`M`, `Q`, `9`), which are reports rather than trades.
/// One choice is Tradewind's own: extended-hours trades (`T`) count in the prices, as Alpaca streams pre- and
/// after-market minute bars, whose trades all carry `T` (the SIPs' lists exclude `T`, which matters only for the
/// rare `T` trade reported during regular hours). The same rules apply on every tape (IEX's trades carry the same
/// codes).
public enum TradeConditions {
    /// Conditions that keep a trade out of the high and low.
    public static let excludedFromHighLow: Set<String> = ["B", "W", "C", "H", "I", "M", "N", "Q", "R", "U", "V", "7"]
    /// Conditions that keep a trade out of the open and close (a superset of `excludedFromHighLow`).
    public static let excludedFromOpenClose: Set<String> = excludedFromHighLow.union(["G", "P", "Z", "4"])
    /// Conditions that keep a trade out of the volume, trade count and VWAP.
    public static let excludedFromVolume: Set<String> = ["M", "Q", "9"]

    /// True when a trade with `conditions` can set the bar's high and low.
    public static func updatesHighLow(_ conditions: [String]?) -> Bool {
        !(conditions ?? []).contains { excludedFromHighLow.contains($0.trimmingSpaces) }
    }

    /// True when a trade with `conditions` can be the bar's open or close (such a trade also sets the high and low).
    public static func updatesOpenClose(_ conditions: [String]?) -> Bool {
        !(conditions ?? []).contains { excludedFromOpenClose.contains($0.trimmingSpaces) }
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
