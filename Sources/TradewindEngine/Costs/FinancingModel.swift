/// Financing charges, accrued once per new session for the calendar days elapsed since the previous one
/// (Actual/360, as brokers quote them).
public struct FinancingModel: Sendable, Hashable {
    /// Annual fee on the market value of short positions (0.01 = 1 %/year).
    public var shortBorrowRate: Double
    /// Annual interest on borrowed cash (a negative cash balance in a margin account).
    public var marginInterestRate: Double

    public init(shortBorrowRate: Double = 0, marginInterestRate: Double = 0) {
        self.shortBorrowRate = shortBorrowRate
        self.marginInterestRate = marginInterestRate
    }

    public static let none = FinancingModel()
}
