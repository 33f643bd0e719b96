// Tests for TradewindReports live in this folder, one file per behaviour area.
