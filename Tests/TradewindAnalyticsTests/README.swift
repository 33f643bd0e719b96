// Tests for TradewindAnalytics live in this folder, one file per behaviour area.
