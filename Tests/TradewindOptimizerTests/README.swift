// Tests for TradewindOptimizer live in this folder, one file per behaviour area.
