// Module TradewindIndicators: technical indicators with TA-Lib's names, parameters and numbers.
//
// Owns: batch functions over contiguous buffers, streaming (one bar at a time) state objects that
// reproduce the batch values exactly, and the registry that describes every indicator.
//
// May import: TradewindCore, TradewindData.
