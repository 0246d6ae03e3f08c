/**
 * `mx.viz.plotHistory`: the per-epoch metrics `Module.fit` returns, as a self-contained SVG line
 * chart (one polyline per metric and split, axes with ticks, a legend). Plain deterministic SVG
 * text: the same bytes in Node and browsers, no rendering dependency.
 */
import { ValueError } from '../base/errors';
import type { EpochRecord } from '../module/types';

/** Options of `plotHistory`. */
export interface PlotHistoryOptions {
  /** Text above the chart (default 'training history'). */
  title?: string;
  /** Size of the whole picture in pixels (default 640 x 400). */
  width?: number;
  height?: number;
  /** Only these metric names (as `fit` records them, e.g. 'accuracy'); default all. */
  metrics?: readonly string[];
}

/** One line of the chart: a metric on the training data or on the evaluation data. */
export interface HistorySeries {
  readonly name: string;
  readonly split: 'train' | 'validation';
  readonly metric: string;
  readonly points: readonly { readonly epoch: number; readonly value: number }[];
}

/** Tableau's 10 categorical colours: one per metric; validation lines are dashed. */
const COLOURS = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
const MARGIN = { left: 64, right: 24, top: 40, bottom: 48 };
const LEGEND_WIDTH = 180;

/** The chart's lines: per metric, its training values and, when evaluated, its validation values. */
export function historySeries(history: readonly EpochRecord[], metrics?: readonly string[]): HistorySeries[] {
  const names: string[] = [];
  for (const r of history) for (const m of [...Object.keys(r.train), ...Object.keys(r.eval ?? {})]) if (!names.includes(m)) names.push(m);
  const chosen = metrics ?? names;
  for (const m of chosen) if (!names.includes(m)) throw new ValueError({ op: 'plotHistory', argument: 'metrics', actual: m }, `'${m}' is not in the history; it has ${names.join(', ')}`);
  const series: HistorySeries[] = [];
  for (const metric of chosen) {
    for (const split of ['train', 'validation'] as const) {
      const points = history.flatMap((r) => {
        const value = (split === 'train' ? r.train : r.eval)?.[metric];
        return value !== undefined && Number.isFinite(value) ? [{ epoch: r.epoch, value }] : [];
      });
      if (points.length > 0) series.push({ name: `${split} ${metric}`, split, metric, points });
    }
  }
  return series;
}

/** Round tick steps (1, 2 or 5 times a power of ten) covering [lo, hi] with about `count` ticks. */
export function niceTicks(lo: number, hi: number, count = 5): { lo: number; hi: number; ticks: number[] } {
  if (hi - lo < 1e-12 * Math.max(1, Math.abs(hi))) {
    const pad = Math.abs(lo) > 0 ? Math.abs(lo) * 0.1 : 1;
    lo -= pad;
    hi += pad;
  }
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((f) => f * power).find((s) => s >= raw)!;
  const first = Math.floor(lo / step + 1e-9);
  const last = Math.ceil(hi / step - 1e-9);
  // Round to the step's decimals: 0.1 * 3 prints as 0.3, not 0.30000000000000004.
  const decimals = Math.min(100, Math.max(0, -Math.floor(Math.log10(step) + 1e-9)));
  const ticks: number[] = [];
  for (let k = first; k <= last; k++) ticks.push(Number((k * step).toFixed(decimals)));
  return { lo: ticks[0]!, hi: ticks[ticks.length - 1]!, ticks };
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A coordinate with at most 2 decimals (stable text, sub-pixel exact enough). */
function px(v: number): string {
  return String(Math.round(v * 100) / 100);
}

/**
 * The SVG text of a line chart of `history` (what `Module.fit` returns): x is the epoch, y the
 * metric value; training lines solid, validation lines dashed in the metric's colour. The plot
 * area is `<rect class="plot-area">` and each axis group carries its domain in `data-domain`.
 *
 * @example
 * const history = mod.fit(train, { numEpoch: 10, evalData: test });
 * fs.writeFileSync('history.svg', mx.viz.plotHistory(history, { title: 'iris' }));
 */
export function plotHistory(history: readonly EpochRecord[], options: PlotHistoryOptions = {}): string {
  const series = historySeries(history, options.metrics);
  if (series.length === 0) throw new ValueError({ op: 'plotHistory', argument: 'history' }, 'has no metric values to plot');
  const width = options.width ?? 640;
  const height = options.height ?? 400;
  const plot = { x: MARGIN.left, y: MARGIN.top, w: width - MARGIN.left - MARGIN.right - LEGEND_WIDTH, h: height - MARGIN.top - MARGIN.bottom };
  if (plot.w < 40 || plot.h < 40) throw new ValueError({ op: 'plotHistory', argument: 'width', actual: [width, height] }, 'leaves no room for the plot (at least 350 x 130)');
  const epochs = series.flatMap((s) => s.points.map((p) => p.epoch));
  const values = series.flatMap((s) => s.points.map((p) => p.value));
  const ex = { lo: Math.min(...epochs), hi: Math.max(Math.max(...epochs), Math.min(...epochs) + 1) };
  const xTicks = niceTicks(ex.lo, ex.hi, Math.min(10, ex.hi - ex.lo)).ticks.filter((t) => Number.isInteger(t) && t >= ex.lo && t <= ex.hi);
  const y = niceTicks(Math.min(...values), Math.max(...values));
  const sx = (e: number) => plot.x + ((e - ex.lo) / (ex.hi - ex.lo)) * plot.w;
  const sy = (v: number) => plot.y + (1 - (v - y.lo) / (y.hi - y.lo)) * plot.h;
  const metricNames = [...new Set(series.map((s) => s.metric))];
  const colour = (metric: string) => COLOURS[metricNames.indexOf(metric) % COLOURS.length]!;
  const dash = (s: HistorySeries) => (s.split === 'validation' ? ' stroke-dasharray="6 4"' : '');
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="mx-history" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect class="background" width="${width}" height="${height}" fill="white"/>`,
    `<text class="title" x="${px(plot.x + plot.w / 2)}" y="24" text-anchor="middle" font-size="15">${escapeXml(options.title ?? 'training history')}</text>`,
    `<rect class="plot-area" x="${px(plot.x)}" y="${px(plot.y)}" width="${px(plot.w)}" height="${px(plot.h)}" fill="none" stroke="#ccc"/>`,
    `<g class="axis x-axis" data-domain="${ex.lo} ${ex.hi}">`,
    ...xTicks.map((t) => `<g class="tick"><line x1="${px(sx(t))}" x2="${px(sx(t))}" y1="${px(plot.y + plot.h)}" y2="${px(plot.y + plot.h + 5)}" stroke="#333"/><text x="${px(sx(t))}" y="${px(plot.y + plot.h + 18)}" text-anchor="middle">${t}</text></g>`),
    `<text class="axis-label" x="${px(plot.x + plot.w / 2)}" y="${px(height - 10)}" text-anchor="middle">epoch</text>`,
    '</g>',
    `<g class="axis y-axis" data-domain="${y.lo} ${y.hi}">`,
    ...y.ticks.map((t) => `<g class="tick"><line x1="${px(plot.x - 5)}" x2="${px(plot.x + plot.w)}" y1="${px(sy(t))}" y2="${px(sy(t))}" stroke="#eee"/><text x="${px(plot.x - 8)}" y="${px(sy(t) + 4)}" text-anchor="end">${t}</text></g>`),
    `<text class="axis-label" transform="translate(16 ${px(plot.y + plot.h / 2)}) rotate(-90)" text-anchor="middle">value</text>`,
    '</g>',
    ...series.map((s) => {
      const points = s.points.map((p) => `${px(sx(p.epoch))},${px(sy(p.value))}`).join(' ');
      return `<polyline class="series" data-series="${escapeXml(s.name)}" points="${points}" fill="none" stroke="${colour(s.metric)}" stroke-width="2"${dash(s)}/>`;
    }),
    `<g class="legend">`,
    ...series.map((s, i) => {
      const ly = plot.y + 8 + i * 20;
      const lx = plot.x + plot.w + 16;
      return `<g class="legend-item"><line x1="${px(lx)}" x2="${px(lx + 24)}" y1="${px(ly)}" y2="${px(ly)}" stroke="${colour(s.metric)}" stroke-width="2"${dash(s)}/><text x="${px(lx + 30)}" y="${px(ly + 4)}">${escapeXml(s.name)}</text></g>`;
    }),
    '</g>',
    '</svg>',
  ];
  return `${out.join('\n')}\n`;
}
