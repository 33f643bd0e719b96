// Module TradewindModels: the models that trade, built on TradewindML's core.
//
// Owns: the 18 universal features (`Features/`, computed with TradewindIndicators), the window datasets with
// their training-period scaler, labels, class weights and time splits with a purge gap (`Datasets/`), and the
// universal BiGRU's training, evaluation and prediction (`Universal/`), continual learning (`Continual/`), and
// the model registry's protocol with its file implementation and the archive format (`Registry/`; the store's
// implementation is wired in TradewindServer, since this module does not import TradewindStore).
//
// Walk-forward retraining (`Validation/`): a model trained on each optimizer fold's in-sample window only and
// traded out-of-sample, against buy-and-hold; and the reports' out-of-sample model section (`ModelReportSection`) for
// backtests and optimisations of the ML strategies.
//
// May import: TradewindCore, TradewindData, TradewindIndicators, TradewindML, TradewindEngine,
// TradewindStrategies (the ML strategies, `Strategies/`, enter the catalog), TradewindOptimizer (its folds) and
// TradewindReports (the report inputs it fills). TradewindML itself imports
// nothing of the trading stack; this module is where the two meet.
