import TradewindCore

/// Builders that turn a streaming type into a descriptor (its batch runs the same state over the columns).
extension IndicatorDescriptor {
    static func int(_ name: String, _ def: Int, _ range: ClosedRange<Int>) -> IndicatorParameter {
        IndicatorParameter(name: name, kind: .integer, defaultValue: Double(def), minimum: Double(range.lowerBound),
                      maximum: Double(range.upperBound))
    }

    static func period(_ name: String, _ def: Int, min: Int = 2) -> IndicatorParameter {
        int(name, def, min...maxIndicatorPeriod)
    }

    static func period(_ def: Int, min: Int = 2) -> IndicatorParameter {
        int("timeperiod", def, min...maxIndicatorPeriod)
    }

    static func real(_ name: String, _ def: Double, _ range: ClosedRange<Double> = -realParameterBound...realParameterBound) -> IndicatorParameter {
        IndicatorParameter(name: name, kind: .real, defaultValue: def, minimum: range.lowerBound, maximum: range.upperBound)
    }

    static func ma(_ name: String = "matype", _ def: MAType = .sma) -> IndicatorParameter {
        IndicatorParameter(name: name, kind: .maType, defaultValue: Double(def.rawValue), minimum: 0,
                      maximum: Double(MAType.allCases.last!.rawValue))
    }

    /// One real input (TA-Lib `real`, read from `column`).
    @inline(__always)
    static func real<S: StreamingIndicator>(
        _ name: String, _ group: IndicatorGroup, _ summary: String, column: InputColumn = .close,
        _ parameters: [IndicatorParameter], outputs: [String]? = nil,
        kernel: (@Sendable (S, [Double], ThreadBudget) -> [[Double]])? = nil,
        _ make: @escaping @Sendable (ResolvedParameters) throws -> S
    ) -> IndicatorDescriptor where S.Input == Double {
        IndicatorDescriptor(
            name: name, group: group, summary: summary, inputs: [InputSpec(name: "real", column: column)],
            parameters: parameters, outputs: outputs ?? S.Output.outputNames,
            makeBatch: { cols, p, threads in
                let state = try make(p)
                if let kernel { return kernel(state, cols[0], threads) }
                return S.Output.outputNames.count == 1 ? [realColumn(state, cols[0])] : state.batch(cols[0])
            },
            makeStream: { p in AnyIndicatorStream(try make(p)) { $0[0] } })
    }

    /// Price inputs (any of open, high, low, close, volume, in that order).
    @inline(__always)
    static func bars<S: StreamingIndicator>(
        _ name: String, _ group: IndicatorGroup, _ summary: String, _ columns: [InputColumn],
        _ parameters: [IndicatorParameter], kernel: (@Sendable (S, [[Double]], ThreadBudget) -> [[Double]])? = nil,
        _ make: @escaping @Sendable (ResolvedParameters) throws -> S
    ) -> IndicatorDescriptor where S.Input == OHLCV {
        let slots = columns.map { c -> Int in [InputColumn.open, .high, .low, .close, .volume].firstIndex(of: c)! }
        @Sendable func bar(_ row: [Double]) -> OHLCV {
            var v = [0.0, 0.0, 0.0, 0.0, 0.0]
            for (k, s) in slots.enumerated() { v[s] = row[k] }
            return OHLCV(open: v[0], high: v[1], low: v[2], close: v[3], volume: v[4])
        }
        return IndicatorDescriptor(
            name: name, group: group, summary: summary,
            inputs: columns.map { InputSpec(name: $0.rawValue, column: $0) },
            parameters: parameters, outputs: S.Output.outputNames,
            makeBatch: { cols, p, threads in
                // A specialised kernel takes the columns in `columns` order.
                if let kernel { return kernel(try make(p), cols, threads) }
                let n = cols.first?.count ?? 0
                // Columns the indicator does not read share the first input's storage (never read, never copied).
                var full = [[Double]](repeating: cols.first ?? [], count: 5)
                for (k, s) in slots.enumerated() { full[s] = cols[k] }
                let pc = PriceColumns(open: full[0], high: full[1], low: full[2], close: full[3], volume: full[4])
                return n == 0 ? [[Double]](repeating: [], count: S.Output.outputNames.count) : try make(p).batch(pc)
            },
            makeStream: { p in AnyIndicatorStream(try make(p), adapt: bar) })
    }

    /// Two real inputs (TA-Lib `real0`, `real1`; high and low by default).
    @inline(__always)
    static func pair<S: StreamingIndicator>(
        _ name: String, _ group: IndicatorGroup, _ summary: String,
        inputs: [InputSpec] = [InputSpec(name: "real0", column: .high), InputSpec(name: "real1", column: .low)],
        _ parameters: [IndicatorParameter], _ make: @escaping @Sendable (ResolvedParameters) throws -> S
    ) -> IndicatorDescriptor where S.Input == RealPair {
        IndicatorDescriptor(
            name: name, group: group, summary: summary,
            inputs: inputs,
            parameters: parameters, outputs: S.Output.outputNames,
            makeBatch: { cols, p, _ in try make(p).batch(cols[0], cols[1]) },
            makeStream: { p in AnyIndicatorStream(try make(p)) { RealPair($0[0], $0[1]) } })
    }

    /// Session-anchored inputs: high, low, close, volume and a session id per bar.
    @inline(__always)
    static func session<S: StreamingIndicator>(
        _ name: String, _ summary: String,
        _ parameters: [IndicatorParameter], kernel: (@Sendable (S, [[Double]], ThreadBudget) -> [[Double]])? = nil,
        _ make: @escaping @Sendable (ResolvedParameters) throws -> S
    ) -> IndicatorDescriptor where S.Input == SessionBar {
        IndicatorDescriptor(
            name: name, group: .extras, summary: summary,
            inputs: [.high, .low, .close, .volume, .session].map { InputSpec(name: $0.rawValue, column: $0) },
            parameters: parameters, outputs: S.Output.outputNames,
            makeBatch: { cols, p, threads in
                let state = try make(p)
                if let kernel { return kernel(state, cols, threads) }
                return cols[0].withUnsafeBufferPointer { h in
                    cols[1].withUnsafeBufferPointer { l in
                        cols[2].withUnsafeBufferPointer { c in
                            cols[3].withUnsafeBufferPointer { v in
                                cols[4].withUnsafeBufferPointer { s in
                                    runBatch(state, count: h.count) { i in
                                        SessionBar(OHLCV(high: h[i], low: l[i], close: c[i], volume: v[i]),
                                                   startsSession: i == 0 || s[i] != s[i - 1])
                                    }
                                }
                            }
                        }
                    }
                }
            },
            makeStream: { p in
                // The stream remembers the previous session id to spot a new session.
                AnyIndicatorStream(SessionTracker(inner: try make(p))) { $0 }
            })
    }
}

/// Wraps a session-anchored state so a row's session id (last column) marks session starts.
struct SessionTracker<S: StreamingIndicator>: StreamingIndicator where S.Input == SessionBar {
    var inner: S
    var lastSession: Double?
    var lookback: Int { inner.lookback }
    mutating func update(_ row: [Double]) -> S.Output? {
        let starts = lastSession.map { $0 != row[4] } ?? true
        lastSession = row[4]
        return inner.update(SessionBar(OHLCV(high: row[0], low: row[1], close: row[2], volume: row[3]), startsSession: starts))
    }
}
