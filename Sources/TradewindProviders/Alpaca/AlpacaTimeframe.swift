import TradewindCore

/// Alpaca's `timeframe` spelling of a bar interval: `[1-59]Min`, `[1-23]Hour`, `1Day`, `1Week`, `[1,2,3,4,6,12]Month`.
enum AlpacaTimeframe {
    static func of(_ interval: BarInterval) -> String? {
        switch interval.unit {
        case .seconds:
            let s = interval.count
            if s % 3600 == 0, (1...23).contains(s / 3600) { return "\(s / 3600)Hour" }
            if s % 60 == 0, (1...59).contains(s / 60) { return "\(s / 60)Min" }
            return nil
        case .day: return interval.count == 1 ? "1Day" : nil
        case .week: return interval.count == 1 ? "1Week" : nil
        case .month: return [1, 2, 3, 4, 6, 12].contains(interval.count) ? "\(interval.count)Month" : nil
        }
    }
}
