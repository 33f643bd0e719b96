// Tests for TradewindIndicators live in this folder, one file per behaviour area.
