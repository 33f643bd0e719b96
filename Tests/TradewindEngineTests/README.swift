// Tests for TradewindEngine live in this folder, one file per behaviour area.
