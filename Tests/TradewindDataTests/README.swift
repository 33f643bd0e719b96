// Tests for TradewindData live in this folder, one file per behaviour area.
