// Tests for TradewindStrategies live in this folder, one file per behaviour area.
