/// The `q` quantile (0…1) of `values` by the nearest lower rank (the sorted values' index ⌊(n − 1)·q⌋); NaN when
/// empty. The one rank rule the benchmarks report percentiles by.
func quantile(_ values: [Double], _ q: Double) -> Double {
    let s = values.sorted()
    guard !s.isEmpty else { return .nan }
    return s[min(s.count - 1, Int((Double(s.count - 1) * min(max(q, 0), 1)).rounded(.down)))]
}
