import Foundation
import Hummingbird
import TradewindData
import TradewindEngine
import TradewindOptimizer
import TradewindStrategies

extension Routes {
    /// A data source the console offers: a bundled sample or a dataset under the server's `data/` folder.
    struct DataChoice: Encodable {
        /// What `data` takes (`sample:NAME` or `data/NAME`).
        var spec: String
        var kind: String
        var summary: String
        var symbols: [String]
    }

    /// A declared parameter with its bounds as numbers, so that a form can validate before submitting.
    struct ParameterField: Encodable {
        var name: String
        var type: String
        var `default`: String
        /// The valid values in words (`an integer in 5...200`).
        var valid: String
        var description: String
        var min: Double?
        var max: Double?
        var choices: [String]?

        init(_ p: ParameterSpec) {
            name = p.name
            type = p.kind.typeName
            `default` = p.defaultValue.description
            valid = p.kind.validValues
            description = p.description
            switch p.kind {
            case let .int(r): (min, max) = (Double(r.lowerBound), Double(r.upperBound))
            case let .real(r): (min, max) = (r.lowerBound, r.upperBound)
            case let .timeOfDay(r): (min, max) = (Double(r.lowerBound), Double(r.upperBound))
            case let .choice(c): choices = c
            case .bool: choices = ["true", "false"]
            case .string, .path: break
            }
        }
    }

    struct StrategyEntry: Encodable {
        var name: String
        var summary: String
        var kernel: String?
        var constraints: [String]
        var parameters: [ParameterField]
    }

    struct Catalog: Encodable {
        var strategies: [StrategyEntry]
        var data: [DataChoice]
        var methods: [String]
        var objectives: [String]
        var fills: [String]
        var sessions: [String]
    }

    /// `GET /api/catalog`: what the console's form is generated from — the strategies with their declared parameters
    /// (types, defaults, bounds, constraints), the data sources, search methods, objectives, fills and sessions.
    static func addCatalog(to router: Router<APIContext>, _ state: ServerState) {
        router.get("/api/catalog") { _, _ -> Response in
            var data = SampleCatalog.all.map { s in
                DataChoice(spec: "sample:" + s.name, kind: "sample", summary: s.summary,
                           symbols: ((try? s.files()) ?? []).map(\.symbol))
            }
            data += Self.importedDatasets(home: state.configuration.home)
            let strategies = state.catalog.all.map { d in
                StrategyEntry(name: d.name, summary: d.summary, kernel: d.kernel?.summary, constraints: d.constraints,
                              parameters: d.parameterSpecs.map(ParameterField.init))
            }
            return try JSON.response(Catalog(strategies: strategies, data: data, methods: SearchMethodKind.allCases.map(\.rawValue),
                                             objectives: OptimizationMetric.allCases.map(\.rawValue),
                                             fills: FillTiming.allCases.map(\.rawValue), sessions: ["all", "nyse"]))
        }
    }

    /// The files and folders under `HOME/data` (where `tradewind data import --out` may write), as data choices.
    static func importedDatasets(home: String) -> [DataChoice] {
        let folder = (home as NSString).appendingPathComponent("data")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
        return names.map { DataChoice(spec: "data/" + $0, kind: "imported", summary: "imported dataset " + $0, symbols: []) }
    }
}
