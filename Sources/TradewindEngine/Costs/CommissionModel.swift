/// Broker commission per fill: `perShare × quantity + percent × value + fixed`, clamped to
/// `[minimum, maximum]`. Components combine (e.g. IBKR-style per-share with a minimum and a percent cap
/// is `perShare: 0.005, minimum: 1, maximumPercent: 0.01`).
public struct CommissionModel: Sendable, Hashable, Codable {
    /// Per share/unit traded.
    public var perShare: Double
    /// Fraction of traded value (0.001 = 0.1 %).
    public var percent: Double
    /// Fixed amount per fill.
    public var fixed: Double
    /// Minimum commission per fill (0 = none).
    public var minimum: Double
    /// Maximum commission per fill in currency (infinity = none).
    public var maximum: Double
    /// Maximum commission per fill as a fraction of traded value (infinity = none).
    public var maximumPercent: Double

    public init(perShare: Double = 0, percent: Double = 0, fixed: Double = 0, minimum: Double = 0,
                maximum: Double = .infinity, maximumPercent: Double = .infinity) {
        self.perShare = perShare
        self.percent = percent
        self.fixed = fixed
        self.minimum = minimum
        self.maximum = maximum
        self.maximumPercent = maximumPercent
    }

    public static let none = CommissionModel()

    /// Fraction of value only (0.001 = 0.1 % of traded value).
    public static func percentOfValue(_ fraction: Double) -> CommissionModel { CommissionModel(percent: fraction) }

    /// The commission of a fill of `quantity` at `price`.
    @inlinable public func commission(quantity: Double, price: Double) -> Double {
        let q = abs(quantity)
        let value = q * price
        var c = perShare * q + value * percent + fixed
        if c < minimum { c = minimum }
        if c > maximum { c = maximum }
        let capPct = value * maximumPercent
        if c > capPct { c = capPct }
        return c
    }

    /// The largest quantity whose cost (`quantity × price` plus commission) fits in `budget`; 0 if none.
    public func maxQuantity(budget: Double, price: Double) -> Double {
        guard budget > 0, price > 0 else { return 0 }
        // Unclamped linear case: q·p·(1+percent) + q·perShare + fixed = budget.
        var q = (budget - fixed) / (price * (1 + percent) + perShare)
        if percent > 0 && perShare == 0 && fixed == 0 { q = (budget / (1 + percent)) / price }
        if q <= 0 { q = 0 }
        let c = commission(quantity: q, price: price)
        let raw = perShare * q + q * price * percent + fixed
        if c != raw {
            // The clamp binds: with a constant commission c, q = (budget − c) / price; iterate once more
            // in case the new q moves the clamp.
            for _ in 0..<3 {
                let cc = commission(quantity: q, price: price)
                q = max((budget - cc) / price, 0)
            }
            while q > 0 && q * price + commission(quantity: q, price: price) > budget * (1 + 1e-12) {
                q *= 1 - 1e-12
            }
        }
        return q
    }
}
