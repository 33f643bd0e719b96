#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Thin wrappers over libm so that the rest of the module reads the same on Linux and macOS.

@inlinable func _pow(_ x: Double, _ y: Double) -> Double { pow(x, y) }
@inlinable func _sqrt(_ x: Double) -> Double { x.squareRoot() }
@inlinable func _erfc(_ x: Double) -> Double { erfc(x) }
@inlinable func _exp(_ x: Double) -> Double { exp(x) }
@inlinable func _log(_ x: Double) -> Double { log(x) }
