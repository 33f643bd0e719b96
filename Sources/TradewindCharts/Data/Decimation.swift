/// Thinning of long series for drawing, so that a 20-year daily or a year of minute bars stays a
/// few thousand points without changing what the eye sees.
public enum Decimation {
    /// Indices (ascending) of the points to draw when `x` spans `columns` pixel columns: for every
    /// column that holds more than two points, the first, the minimum, the maximum and the last of
    /// that column (in order, duplicates removed), so every extreme and every column's entry and exit
    /// level stays exact. The series' first and last points are always kept. Points whose `y` is
    /// not finite are dropped. When there are no more points than `2 × columns`, every finite point
    /// is kept. `x` must be ascending.
    public static func minMax(x: [Double], y: [Double], columns: Int) -> [Int] {
        let n = min(x.count, y.count)
        var finite: [Int] = []
        finite.reserveCapacity(n)
        for i in 0..<n where y[i].isFinite && x[i].isFinite { finite.append(i) }
        guard finite.count > max(2 * columns, 2), let f = finite.first, let l = finite.last, x[l] > x[f] else { return finite }
        let x0 = x[f], span = x[l] - x0
        let cols = Double(max(columns, 1))
        var out: [Int] = []
        out.reserveCapacity(4 * columns + 2)
        var k = 0
        while k < finite.count {
            let col = min(Int((x[finite[k]] - x0) / span * cols), columns - 1)
            var first = finite[k], last = first, lo = first, hi = first
            var m = k + 1
            while m < finite.count {
                let i = finite[m]
                let c = min(Int((x[i] - x0) / span * cols), columns - 1)
                if c != col { break }
                if y[i] < y[lo] { lo = i }
                if y[i] > y[hi] { hi = i }
                last = i
                m += 1
            }
            if first > last { swap(&first, &last) }
            var picks = [first, lo, hi, last]
            picks.sort()
            for p in picks where out.last != p { out.append(p) }
            k = m
        }
        return out
    }
}
