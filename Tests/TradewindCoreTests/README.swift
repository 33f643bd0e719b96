// Tests for TradewindCore live in this folder, one file per behaviour area.
