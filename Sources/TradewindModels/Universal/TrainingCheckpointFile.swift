import Foundation
import TradewindML

/// Where `ml train --checkpoint DIR` keeps its per-epoch checkpoint (`TrainingCheckpoint`): one file in that
/// directory (`TrainingCheckpointMedium.file`). A server training job keeps its checkpoint in the store instead.
public enum TrainingCheckpointFile {
    /// The checkpoint's file name inside its directory.
    public static var name: String { "training-checkpoint.safetensors" }

    /// The checkpoint's path in `directory`.
    public static func path(in directory: String) -> String {
        (directory as NSString).appendingPathComponent(name)
    }

    /// The checkpoint path for a run asked to checkpoint into `directory` (nil: no checkpoint), creating the directory.
    /// `resume` continues from the checkpoint found there, and is refused when there is none; without `resume` an
    /// existing checkpoint is refused rather than overwritten.
    public static func prepare(directory: String?, resume: Bool) throws(ModelError) -> String? {
        guard let directory else {
            if resume { throw .invalidSetting(name: "resume", value: "true", expected: "a checkpoint directory to resume from (--checkpoint DIR)") }
            return nil
        }
        let file = path(in: directory)
        let exists = FileManager.default.fileExists(atPath: file)
        if resume && !exists {
            throw .invalidSetting(name: "checkpoint", value: directory, expected: "a directory holding \(name) to resume from (none there)")
        }
        if !resume && exists {
            throw .invalidSetting(name: "checkpoint", value: directory,
                                  expected: "a directory without \(name): resume that run (--resume) or delete the file to start over")
        }
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw .invalidSetting(name: "checkpoint", value: directory, expected: "a directory that can be created (\(error.localizedDescription))")
        }
        return file
    }
}
