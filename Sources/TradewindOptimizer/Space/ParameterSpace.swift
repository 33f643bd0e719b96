/// The search space: an ordered list of named dimensions.
///
/// Grid points are numbered in mixed radix with the **first** dimension most significant (the
/// order of nested loops with the last parameter innermost): index = Σ kᵢ·Πⱼ>ᵢ nⱼ. The k-th point
/// is computed directly, so no grid is ever materialised.
public struct ParameterSpace: Sendable, Hashable {
    public let dimensions: [ParameterDimension]

    /// Builds a space; parameter names must be distinct.
    public init(_ dimensions: [ParameterDimension]) throws(OptimizerError) {
        var seen = Set<String>()
        for d in dimensions {
            guard seen.insert(d.name).inserted else { throw .duplicateParameter(d.name) }
        }
        self.dimensions = dimensions
    }

    public var names: [String] { dimensions.map(\.name) }
    public var count: Int { dimensions.count }

    /// The position of the parameter called `name`.
    public func index(of name: String) -> Int? { dimensions.firstIndex { $0.name == name } }

    /// Throws `.unknownParameter` for the first name the strategy does not declare.
    public func validate(knownParameters: [String]) throws(OptimizerError) {
        let known = Set(knownParameters)
        for d in dimensions where !known.contains(d.name) {
            throw .unknownParameter(d.name, known: knownParameters)
        }
    }

    // MARK: Grid

    /// The number of grid points; nil when a dimension is continuous.
    /// Throws `.gridTooLarge` when the product exceeds `Int.max`.
    public func gridSize() throws(OptimizerError) -> Int? {
        var n = 1
        for d in dimensions {
            guard let c = d.levelCount else { return nil }
            let (p, o) = n.multipliedReportingOverflow(by: c)
            if o {
                throw .gridTooLarge(description: dimensions.map { "\($0.name): \($0.levelCount ?? 0)" }.joined(separator: " × "))
            }
            n = p
        }
        return n
    }

    /// Writes the coordinates of grid point `index` (0 ≤ index < gridSize) into `coordinates`,
    /// which must have `count` elements. Every dimension must be discrete.
    @inlinable
    public func gridCoordinates(_ index: Int, into coordinates: inout [Double]) {
        var rest = index
        var i = dimensions.count - 1
        while i >= 0 {
            let n = dimensions[i].levelCount!
            coordinates[i] = Double(rest % n)
            rest /= n
            i -= 1
        }
    }

    /// Grid point `index`.
    public func gridPoint(_ index: Int) -> ParameterPoint {
        var c = [Double](repeating: 0, count: dimensions.count)
        gridCoordinates(index, into: &c)
        return ParameterPoint(coordinates: c)
    }

    /// The grid index of a point whose coordinates are all level indices; nil for a point with a
    /// continuous dimension.
    public func gridIndex(of point: ParameterPoint) -> Int? {
        var idx = 0
        for (i, d) in dimensions.enumerated() {
            guard let n = d.levelCount else { return nil }
            idx = idx * n + Int(point.coordinates[i])
        }
        return idx
    }

    // MARK: Values

    /// The typed value of parameter `dimension` at `point`.
    public func value(of point: ParameterPoint, at dimension: Int) -> SearchValue {
        dimensions[dimension].value(point.coordinates[dimension])
    }

    /// The numeric value of parameter `dimension` at `point` (NaN for strings).
    @inlinable
    public func numericValue(of point: ParameterPoint, at dimension: Int) -> Double {
        dimensions[dimension].numericValue(point.coordinates[dimension])
    }

    /// All values of `point`, in dimension order.
    public func values(of point: ParameterPoint) -> [(name: String, value: SearchValue)] {
        dimensions.indices.map { (dimensions[$0].name, value(of: point, at: $0)) }
    }

    /// The point with these values (by name; every dimension must be given, fixed ones may be
    /// omitted). Nil when a value is not in its dimension.
    public func point(_ values: [String: SearchValue]) -> ParameterPoint? {
        var c: [Double] = []
        for d in dimensions {
            if let v = values[d.name] {
                guard let x = d.coordinate(of: v) else { return nil }
                c.append(x)
            } else if d.isFixed {
                c.append(0)
            } else {
                return nil
            }
        }
        return ParameterPoint(coordinates: c)
    }

    // MARK: Neighbourhood

    /// The fraction of a continuous dimension's range (in its own scale, log for log ranges)
    /// taken as "one step" for neighbourhoods.
    public static let continuousNeighbourFraction = 0.05

    /// The points one step away from `point` along each ordered dimension, in both directions:
    /// ±1 level for stepped ranges and level lists, ±5 % of the range for continuous ranges
    /// (multiplicatively in log space for log ranges). Steps that would leave the space are left
    /// out; choices and fixed values have no neighbours. Constraints are not checked here.
    public func neighbours(of point: ParameterPoint) -> [(dimension: Int, direction: Int, point: ParameterPoint)] {
        var out: [(Int, Int, ParameterPoint)] = []
        for (i, d) in dimensions.enumerated() {
            for dir in [-1, 1] {
                var c = point.coordinates
                switch d.domain {
                case .stepped, .levels:
                    let k = Int(c[i]) + dir
                    guard k >= 0, k < d.levelCount! else { continue }
                    c[i] = Double(k)
                case let .continuous(low, high, logScale):
                    let f = ParameterSpace.continuousNeighbourFraction * Double(dir)
                    let x = logScale
                        ? (c[i] * Foundation.exp(f * Foundation.log(high / low)))
                        : c[i] + f * (high - low)
                    guard x >= low, x <= high else { continue }
                    c[i] = x
                case .choices, .fixed:
                    continue
                }
                out.append((i, dir, ParameterPoint(coordinates: c)))
            }
        }
        return out
    }
}

import Foundation
