// Tests for TradewindCharts live in this folder, one file per behaviour area.
