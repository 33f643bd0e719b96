/// TA-Lib's zero tests (ta_utility.h): |v| below 1e-14 counts as zero.
@usableFromInline let taEpsilon = 0.00000000000001

@inlinable func isZero(_ v: Double) -> Bool { -taEpsilon < v && v < taEpsilon }
/// TA-Lib 0.8's scale-aware zero test for a difference of two operands: |v| within 1e-14 of their magnitude.
@inlinable func isZero(_ v: Double, scale: Double) -> Bool { abs(v) <= taEpsilon * scale }
@inlinable func isZeroOrNeg(_ v: Double) -> Bool { v < taEpsilon }
