import Foundation
import TradewindCore
import TradewindML

/// The universal model's results as the command line and reports print them.
public enum UniversalText {
    /// One progress line: after a batch, "epoch 3/80 [#####-----] 50% loss 0.9132 eta 41s"; after an epoch, its
    /// losses, accuracies and learning rate.
    public static func progress(_ event: TrainingEvent) -> String {
        switch event {
        case let .batchEnded(p):
            let done = Double(p.batch + 1) / Double(p.batches)
            let bar = String(repeating: "#", count: Int(done * 20)) + String(repeating: "-", count: 20 - Int(done * 20))
            return "epoch \(p.epoch + 1)/\(p.epochs) [\(bar)] \(Int(done * 100))% loss \(fixed(p.loss, 4)) eta \(Int(p.eta.rounded()))s"
        case let .epochEnded(r):
            var line = "epoch \(r.epoch + 1): loss \(fixed(r.trainingLoss, 4)) accuracy \(fixed(r.metrics["accuracy"] ?? .nan, 3))"
            if let v = r.validationLoss {
                line += " | validation loss \(fixed(v, 4)) accuracy \(fixed(r.validationMetrics["accuracy"] ?? .nan, 3))"
            }
            return line + " | lr \(String(format: "%.2e", r.learningRate)) (\(fixed(r.seconds, 1))s)"
        case let .stoppedEarly(epoch, loss):
            return "early stop: best validation loss \(fixed(loss, 4)) at epoch \(epoch + 1) (weights restored)"
        }
    }

    /// The evaluation as a small table.
    public static func evaluation(_ e: UniversalEvaluation) -> String {
        var lines = ["samples           \(e.samples)",
                     "accuracy          \(fixed(e.accuracy, 4))   baseline (always \(e.baselineClass.name)) \(fixed(e.baselineAccuracy, 4))",
                     "MAE (% change)    \(fixed(e.meanAbsoluteError, 4))   baseline (no change) \(fixed(e.baselineMeanAbsoluteError, 4))",
                     "IC (Spearman)     \(fixed(e.informationCoefficient, 4))",
                     "class      precision  recall",]
        for d in Direction.allCases {
            lines.append(d.name.padding(toLength: 10, withPad: " ", startingAt: 0) + " " + fixed(e.precision[d.rawValue], 4)
                         + "     " + fixed(e.recall[d.rawValue], 4))
        }
        lines.append("confusion (rows actual, columns predicted DOWN NEUTRAL UP)")
        for d in Direction.allCases {
            lines.append(d.name.padding(toLength: 10, withPad: " ", startingAt: 0) + " " + e.confusion[d.rawValue].map { String($0) }.joined(separator: " "))
        }
        return lines.joined(separator: "\n")
    }

    /// Predictions as CSV: symbol,time,p_down,p_neutral,p_up,predicted_change,direction (times ISO 8601 UTC).
    public static func csv(_ predictions: [UniversalPrediction]) -> String {
        var out = "symbol,time,p_down,p_neutral,p_up,predicted_change,direction\n"
        for p in predictions {
            out += "\(p.symbol),\(ISO8601.utc(p.time)),\(p.probabilities.map { fixed($0, 6) }.joined(separator: ",")),"
                + "\(fixed(p.predictedChange, 6)),\(p.direction.name)\n"
        }
        return out
    }

    /// Predictions as a JSON array of objects with the CSV's fields.
    public static func json(_ predictions: [UniversalPrediction]) -> String {
        let rows = predictions.map { p in
            "{\"symbol\":\(JSONString.quoted(p.symbol)),\"time\":\"\(ISO8601.utc(p.time))\",\"p_down\":\(p.probabilities[0]),"
                + "\"p_neutral\":\(p.probabilities[1]),\"p_up\":\(p.probabilities[2]),\"predicted_change\":\(p.predictedChange),"
                + "\"direction\":\"\(p.direction.name)\"}"
        }
        return "[" + rows.joined(separator: ",\n") + "]\n"
    }

    static func fixed(_ x: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", x) }
}
