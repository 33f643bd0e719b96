/// Broker commission per order: `perShare × quantity + percent × value + fixed`, clamped to
/// `[minimum, maximum]` and to `maximumPercent × value`. Components combine (e.g. IBKR-style per-share with a minimum
/// and a percent cap is `perShare: 0.005, minimum: 1, maximumPercent: 0.01`).
///
/// An order that fills in several parts (volume cap) pays, on each fill, the commission of everything it has filled so
/// far less what its earlier fills paid: the fixed fee, the minimum and the maximums apply once per order (a
/// cancel-and-replace continues the order), as brokers charge them, and a single-fill order pays exactly
/// `commission(quantity:price:)`. Proportional models (no fixed fee, minimum or maximum) charge each fill its own.
public struct CommissionModel: Sendable, Hashable, Codable {
    /// Per share/unit traded.
    public var perShare: Double
    /// Fraction of traded value (0.001 = 0.1 %).
    public var percent: Double
    /// Fixed amount per order.
    public var fixed: Double
    /// Minimum commission per order (0 = none).
    public var minimum: Double
    /// Maximum commission per order in currency (infinity = none).
    public var maximum: Double
    /// Maximum commission per order as a fraction of its traded value (infinity = none).
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

    /// True when the commission is proportional to the fill (per share and percent only: no fixed fee, minimum
    /// or maximum), so that an order's fills can each pay their own `commission(quantity:price:)`.
    public var isProportional: Bool {
        fixed == 0 && minimum == 0 && maximum == .infinity && maximumPercent == .infinity
    }

    /// Fraction of value only (0.001 = 0.1 % of traded value).
    public static func percentOfValue(_ fraction: Double) -> CommissionModel { CommissionModel(percent: fraction) }

    /// The commission of an order that trades `quantity` at `price` (in one fill).
    @inlinable public func commission(quantity: Double, price: Double) -> Double {
        let q = abs(quantity)
        return commission(quantity: q, value: q * price)
    }

    /// The commission of an order that has traded `quantity` units worth `value` in all (its fills together).
    @inlinable public func commission(quantity q: Double, value: Double) -> Double {
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
