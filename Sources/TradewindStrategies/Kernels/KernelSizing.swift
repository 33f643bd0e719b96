/// Position sizing and cash arithmetic of one long round trip, written operation for operation as the engine
/// performs it (`CommissionModel.maxQuantity`/`.commission` with a percent-of-value commission, the cash
/// account's affordability check, `cash -= signedQuantity × price + commission`), so that kernels reproduce the
/// engine's equity to the last bits.
public enum KernelSizing {
    /// The quantity bought at the (slipped) fill price `entry`, or nil when nothing can be bought.
    ///
    /// * `compound`: all available cash (`OrderSize.allAvailable`): `(cash / (1 + c)) / entry`, or `cash / entry`
    ///   without commission.
    /// * otherwise: shares worth the initial cash, commission on top, or all available cash when the cash cannot
    ///   pay for that (`OrderSize.notionalOrAvailable(initialCash)`: after losses each trade invests what is left).
    @inlinable
    public static func quantity(cash: Double, initialCash: Double, compound: Bool, entry: Double, commission c: Double) -> Double? {
        if !compound {
            let q = initialCash / entry
            let value = q * entry
            let cost = q * entry + value * c
            if cost <= cash + max(abs(cash), 1) * 1e-9 { return q }
        }
        let q = c > 0 ? (cash / (1 + c)) / entry : (cash - 0) / (entry * (1 + c) + 0)
        return q > 0 ? q : nil
    }

    /// Cash after buying `q` at `entry` and selling it at `exit` (both prices slipped where they are).
    @inlinable
    public static func cashAfter(cash: Double, quantity q: Double, entry: Double, exit: Double, commission c: Double) -> Double {
        let bought = cash - (q * entry + (q * entry) * c)
        return bought - ((-q) * exit + (q * exit) * c)
    }
}
