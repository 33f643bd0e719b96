import TradewindCore

extension AlpacaOrderRequest {
    /// Alpaca's submission windows for the auction orders, on the NYSE calendar in New York time: an `opg` order is
    /// refused from 2 minutes before a session's open (09:28) until 19:00, a `cls` order from 10 minutes before its
    /// close (15:50) until 19:00; outside those windows they queue for the next auction. Nil when the order may be
    /// submitted at `now` (every other time in force, and days without a session).
    public func auctionWindowProblem(at now: UnixNanos) -> AlpacaOrderRejection? {
        let cutoff: Int64
        switch timeInForce {
        case "opg": cutoff = 2
        case "cls": cutoff = 10
        default: return nil
        }
        let zone = ZoneRules.newYork
        let day = zone.localDate(of: now)
        guard let session = NYSECalendar.shared.session(on: day) else { return nil }
        let from = (timeInForce == "opg" ? session.open : session.close) - cutoff * UnixTime.nanosPerMinute
        let until = zone.instant(day, hour: 19, minute: 0)
        guard now >= from && now < until else { return nil }
        let what = timeInForce == "opg" ? "the open" : "the close"
        return AlpacaOrderRejection("time_in_force",
                                    "\(timeInForce) orders are not accepted from \(cutoff) minutes before \(what) (\(ISO8601.local(from, in: zone))) until 19:00 New York time; it is \(ISO8601.local(now, in: zone)). Submit after 19:00 for the next session's \(timeInForce == "opg" ? "opening" : "closing") auction")
    }
}
