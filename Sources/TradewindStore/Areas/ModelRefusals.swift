extension StoreMigrations {
    /// A model version's `refusal`: why the validation gate refused the candidate (NULL: not refused). Refused
    /// candidates are recorded with their metrics, listed, and never active.
    static let modelRefusals = StoreMigration(id: "013-model-refusals", statements: [
        "ALTER TABLE model_versions ADD COLUMN refusal TEXT",
    ])
}
