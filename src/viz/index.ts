/**
 * `mx.viz`: MXNet's `print_summary` and `plot_network`, and a chart of `Module.fit`'s history.
 * Pictures are Graphviz DOT rendered by @viz-js/viz (WebAssembly) and plain SVG text, so they work
 * the same in Node and in browsers.
 */
export { printSummary } from './print_summary';
export type { SummaryOptions } from './print_summary';
export { PALETTE, looksLikeWeight, plotNetwork } from './plot_network';
export type { PlotNetworkOptions } from './plot_network';
export { Digraph } from './dot';
export type { DotAttrs, DotEdge, DotNode } from './dot';
export { renderGraphviz, renderSVG } from './render';
export { historySeries, plotHistory } from './plot_history';
export type { HistorySeries, PlotHistoryOptions } from './plot_history';
