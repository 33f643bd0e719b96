// Module TradewindCharts: self-drawn SVG charts (lines, candles, bars, histograms, heatmaps) with readable
// axes, legends and hover tooltips, shared by the HTML reports and the dashboard.
//
// May import: TradewindCore.
