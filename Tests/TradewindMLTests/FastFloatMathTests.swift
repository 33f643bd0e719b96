import Foundation
import Testing
@testable import TradewindML

/// The vectorisable float exp/tanh against glibc's.
@Suite struct FastFloatMathTests {
    @Test func expAndTanhStayWithinAFewUlpOfGlibc() {
        var worstExp: Float = 0, worstTanh: Float = 0
        var x: Float = -87
        while x < 88 {
            worstExp = max(worstExp, abs(FastFloatMath.exp(x) - Foundation.exp(x)) / Foundation.exp(x))
            if abs(x) < 12 { worstTanh = max(worstTanh, abs(FastFloatMath.tanh(x) - Foundation.tanh(x)) / max(abs(Foundation.tanh(x)), 1e-3)) }
            x += 0.0137
        }
        #expect(worstExp < 4e-7, "exp relative error \(worstExp)")
        #expect(worstTanh < 2e-6, "tanh error \(worstTanh)")
        #expect(FastFloatMath.exp(-1000) >= 0 && FastFloatMath.exp(1000).isFinite)
        #expect(FastFloatMath.tanh(50) == 1 && FastFloatMath.tanh(-50) == -1 && FastFloatMath.tanh(0) == 0)
    }
}
