/// The kind of brokerage account the simulation trades in.
public enum AccountModel: Sendable, Hashable {
    /// No leverage and no short selling: a buy must be paid for with cash on hand (default).
    case cash
    /// Leverage and short selling. `initialMargin` is the equity fraction required to open a position
    /// (0.5 = Reg T 2× leverage); when equity falls below `maintenanceMargin` × gross position value
    /// every position is liquidated at that bar's close (a margin call), recorded in the order log.
    case margin(initialMargin: Double, maintenanceMargin: Double)

    /// Reg T: 50 % initial, 25 % maintenance.
    public static let regT = AccountModel.margin(initialMargin: 0.5, maintenanceMargin: 0.25)

    public var allowsShort: Bool { if case .margin = self { return true } else { return false } }
}
