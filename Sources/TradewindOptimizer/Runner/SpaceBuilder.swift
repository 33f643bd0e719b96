import TradewindEngine
import TradewindStrategies

/// Builds the search space of a strategy from its declared parameters and the command line's specs.
///
/// Every declared parameter is a dimension, in declaration order: those named by a `--grid` spec
/// (`ParameterSpecParser` grammar), a `--choice` list (`name=a,b,c`) or a `--fixed` value are searched or
/// fixed as given; the others are fixed at their defaults. Naming an undeclared parameter, or one
/// parameter twice, is an error.
public enum SpaceBuilder {
    public static func space(strategy: StrategyDescriptor, grids: [String] = [], choices: [String] = [],
                             fixed: [String] = []) throws(OptimizerError) -> ParameterSpace {
        var given: [String: ParameterDimension] = [:]
        var order: [String] = []
        func add(_ d: ParameterDimension) throws(OptimizerError) {
            guard given[d.name] == nil else { throw .duplicateParameter(d.name) }
            given[d.name] = d
            order.append(d.name)
        }
        for g in grids { try add(try ParameterSpecParser.parse(g)) }
        for c in choices {
            let (name, body) = try split(c)
            let items = body.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard items.allSatisfy({ !$0.isEmpty }) else { throw .invalidSpec(spec: c, reason: "empty choice") }
            try add(try ParameterDimension.choices(name, items.map(SearchValue.parse)))
        }
        for f in fixed {
            let (name, body) = try split(f)
            try add(.fixed(name, SearchValue.parse(body)))
        }
        let declared = strategy.parameterSpecs.map(\.name)
        for name in order where !declared.contains(name) { throw .unknownParameter(name, known: declared) }
        let dims = strategy.parameterSpecs.map { spec in
            given[spec.name] ?? .fixed(spec.name, SearchValue.parse(spec.defaultValue.description))
        }
        return try ParameterSpace(dims)
    }

    /// The strategy's own parameter rules (`StrategyDescriptor.constraints`: the strategy rejects points that break
    /// them; stating them lets the search skip those points) plus `extra`, compiled for `space`.
    public static func constraints(strategy: StrategyDescriptor, extra: [String], space: ParameterSpace) throws(OptimizerError) -> ConstraintSet {
        try ConstraintSet(strategy.constraints + extra, space: space)
    }

    static func split(_ spec: String) throws(OptimizerError) -> (String, String) {
        guard let eq = spec.firstIndex(of: "="), eq != spec.startIndex else {
            throw .invalidSpec(spec: spec, reason: "expected name=value")
        }
        let body = String(spec[spec.index(after: eq)...])
        guard !body.isEmpty else { throw .invalidSpec(spec: spec, reason: "no value after '='") }
        return (String(spec[..<eq]), body)
    }
}
