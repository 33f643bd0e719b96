/// Columns of a price series, the batch input of multi-price indicators. Missing columns may be empty
/// when the indicator does not read them (see each indicator's `inputs`).
public struct PriceColumns: Sendable {
    public var open: [Double]
    public var high: [Double]
    public var low: [Double]
    public var close: [Double]
    public var volume: [Double]
    public let count: Int

    /// Columns of equal length; a column an indicator does not read may be passed empty.
    public init(open: [Double] = [], high: [Double] = [], low: [Double] = [], close: [Double] = [], volume: [Double] = []) {
        let count = max(open.count, high.count, low.count, close.count, volume.count)
        func fill(_ a: [Double]) -> [Double] { a.isEmpty ? [Double](repeating: 0, count: count) : a }
        self.open = fill(open)
        self.high = fill(high)
        self.low = fill(low)
        self.close = fill(close)
        self.volume = fill(volume)
        self.count = count
    }

    @inlinable var lengthsAgree: Bool {
        open.count == count && high.count == count && low.count == count && close.count == count && volume.count == count
    }
}

/// Runs a streaming state over `count` bars and returns its outputs aligned to the input (NaN in the lookback).
/// The inner loop allocates nothing: the output columns are allocated once up front.
@inlinable
public func runBatch<S: StreamingIndicator>(_ state: S, count: Int, input: (Int) -> S.Input) -> [[Double]] {
    var state = state
    let width = S.Output.outputNames.count
    // No closure may capture `state`: a captured state is accessed through dynamic exclusivity checks.
    if width == 1 {
        var out = [Double](repeating: .nan, count: count)
        var i = 0
        while i < count {
            if let v = state.update(input(i)) { out[i] = v.component(0) }
            i += 1
        }
        return [out]
    }
    var columns = [[Double]](repeating: [], count: width)
    // Write into one scratch block (width × count), then hand each column out as an array.
    let block = UnsafeMutablePointer<Double>.allocate(capacity: max(1, width * count))
    defer { block.deallocate() }
    block.initialize(repeating: .nan, count: width * count)
    for i in 0..<count {
        if let v = state.update(input(i)) {
            for c in 0..<width { block[c * count + i] = v.component(c) }
        }
    }
    for c in 0..<width {
        columns[c] = Array(UnsafeBufferPointer(start: block + c * count, count: count))
    }
    return columns
}

extension StreamingIndicator where Input == Double {
    /// Batch over one real series: one column per output, aligned to `real`, NaN during the lookback.
    @inlinable
    public func batch(_ real: [Double]) -> [[Double]] {
        real.withUnsafeBufferPointer { r in runBatch(self, count: r.count) { r[$0] } }
    }
}

/// One-output batch over a real series, aligned to it, NaN during the lookback.
@inlinable
public func realColumn<S: StreamingIndicator>(_ state: S, _ real: [Double]) -> [Double] where S.Input == Double {
    var state = state
    let n = real.count
    var out = [Double](repeating: .nan, count: n)
    var i = 0
    while i < n {
        if let v = state.update(real[i]) { out[i] = v.component(0) }
        i += 1
    }
    return out
}

extension StreamingIndicator where Input == Double, Output == Double {
    /// Batch over one real series, aligned to `real`, NaN during the lookback.
    @inlinable
    public func callAsFunction(_ real: [Double]) -> [Double] { realColumn(self, real) }
}

extension StreamingIndicator where Input == OHLCV {
    /// Batch over price columns: one column per output, aligned to the input, NaN during the lookback.
    @inlinable
    public func batch(_ bars: PriceColumns) -> [[Double]] {
        precondition(bars.lengthsAgree, "PriceColumns with unequal lengths")
        return bars.open.withUnsafeBufferPointer { o in
            bars.high.withUnsafeBufferPointer { h in
                bars.low.withUnsafeBufferPointer { l in
                    bars.close.withUnsafeBufferPointer { c in
                        bars.volume.withUnsafeBufferPointer { v in
                            runBatch(self, count: bars.count) { i in
                                OHLCV(open: o[i], high: h[i], low: l[i], close: c[i], volume: v[i])
                            }
                        }
                    }
                }
            }
        }
    }
}

extension StreamingIndicator where Input == RealPair {
    /// Batch over two aligned real series (lengths must agree).
    @inlinable
    public func batch(_ x: [Double], _ y: [Double]) -> [[Double]] {
        precondition(x.count == y.count, "inputs with unequal lengths")
        return x.withUnsafeBufferPointer { a in
            y.withUnsafeBufferPointer { b in runBatch(self, count: a.count) { RealPair(a[$0], b[$0]) } }
        }
    }
}
