/**
 * mx.viz.plotHistory: the SVG chart of Module.fit's per-epoch records. Checks the structure (one
 * polyline per metric and split, one point per epoch, legend) and that every point sits where the
 * chart's own axes say its epoch and value are.
 */
import fc from 'fast-check';
import * as mx from 'mxts';
// Not part of the public API: the tick rule the chart uses.
import { niceTicks as niceTicksOf } from '../../src/viz/plot_history';

type Record_ = mx.mod.EpochRecord;

const record = (epoch: number, train: Record<string, number>, evalValues: Record<string, number> | null): Record_ => ({ epoch, train, eval: evalValues, time: 0.01 });

const HISTORY: Record_[] = [
  record(0, { accuracy: 0.5, 'cross-entropy': 1.2 }, { accuracy: 0.4 }),
  record(1, { accuracy: 0.7, 'cross-entropy': 0.8 }, { accuracy: 0.6 }),
  record(2, { accuracy: 0.8, 'cross-entropy': 0.5 }, { accuracy: 0.75 }),
  record(3, { accuracy: 0.9, 'cross-entropy': 0.3 }, { accuracy: 0.85 }),
];

const attr = (tag: string, name: string) => new RegExp(`${name}="([^"]*)"`).exec(tag)?.[1];

interface Chart {
  area: { x: number; y: number; w: number; h: number };
  xDomain: number[];
  yDomain: number[];
  lines: { series: string; points: number[][]; dashed: boolean }[];
  yTicks: { y: number; text: number }[];
  legend: string[];
}

function readChart(svg: string): Chart {
  const area = /<rect class="plot-area"[^>]*>/.exec(svg)![0];
  const domain = (cls: string) => attr(new RegExp(`<g class="axis ${cls}"[^>]*>`).exec(svg)![0], 'data-domain')!.split(' ').map(Number);
  const yAxis = /<g class="axis y-axis"[\s\S]*?<\/g>\n<\/g>|<g class="axis y-axis"[\s\S]*?axis-label/.exec(svg)![0];
  return {
    area: { x: Number(attr(area, 'x')), y: Number(attr(area, 'y')), w: Number(attr(area, 'width')), h: Number(attr(area, 'height')) },
    xDomain: domain('x-axis'),
    yDomain: domain('y-axis'),
    lines: [...svg.matchAll(/<polyline [^>]*>/g)].map(([tag]) => ({
      series: attr(tag, 'data-series')!,
      points: attr(tag, 'points')!.split(' ').map((p) => p.split(',').map(Number)),
      dashed: tag.includes('stroke-dasharray'),
    })),
    yTicks: [...yAxis.matchAll(/<g class="tick"><line [^>]*y1="([^"]*)"[^>]*\/><text[^>]*>([^<]*)<\/text><\/g>/g)].map((m) => ({ y: Number(m[1]), text: Number(m[2]) })),
    legend: [...svg.matchAll(/<g class="legend-item">.*?<text[^>]*>([^<]*)<\/text><\/g>/g)].map((m) => m[1]!),
  };
}

describe('mx.viz.plotHistory', () => {
  test('one polyline per metric and split, one point per epoch, validation dashed, a legend entry each', () => {
    const chart = readChart(mx.viz.plotHistory(HISTORY));
    expect(chart.lines.map((l) => [l.series, l.points.length, l.dashed])).toEqual([
      ['train accuracy', 4, false],
      ['validation accuracy', 4, true],
      ['train cross-entropy', 4, false],
    ]);
    expect(chart.legend).toEqual(['train accuracy', 'validation accuracy', 'train cross-entropy']);
  });

  test('every point is at its epoch and value on the axes the chart draws', () => {
    const chart = readChart(mx.viz.plotHistory(HISTORY, { width: 800, height: 500 }));
    const { x, y, w, h } = chart.area;
    expect(chart.xDomain).toEqual([0, 3]);
    const [lo, hi] = chart.yDomain as [number, number];
    expect(lo).toBeLessThanOrEqual(0.3);
    expect(hi).toBeGreaterThanOrEqual(1.2);
    const series: Record<string, number[]> = {
      'train accuracy': HISTORY.map((r) => r.train['accuracy']!),
      'validation accuracy': HISTORY.map((r) => r.eval!['accuracy']!),
      'train cross-entropy': HISTORY.map((r) => r.train['cross-entropy']!),
    };
    for (const line of chart.lines) {
      line.points.forEach(([px, py], epoch) => {
        expect(px).toBeCloseTo(x + (epoch / 3) * w, 1);
        expect(py).toBeCloseTo(y + h - ((series[line.series]![epoch]! - lo) / (hi - lo)) * h, 1);
      });
    }
    // The tick labels agree with the same mapping: the top tick is the domain's top, at the area's top.
    expect(chart.yTicks.length).toBeGreaterThanOrEqual(3);
    for (const tick of chart.yTicks) expect(tick.y).toBeCloseTo(y + h - ((tick.text - lo) / (hi - lo)) * h, 1);
    expect(chart.yTicks[chart.yTicks.length - 1]!.y).toBeCloseTo(y, 1);
  });

  test('the metrics option, a title, deterministic text, escaping', () => {
    const svg = mx.viz.plotHistory(HISTORY, { metrics: ['accuracy'], title: 'iris <3' });
    expect(readChart(svg).lines.map((l) => l.series)).toEqual(['train accuracy', 'validation accuracy']);
    expect(svg).toContain('>iris &lt;3</text>');
    expect(mx.viz.plotHistory(HISTORY, { metrics: ['accuracy'], title: 'iris <3' })).toBe(svg);
  });

  test('errors: an unknown metric, no values, no room', () => {
    expect(() => mx.viz.plotHistory(HISTORY, { metrics: ['rmse'] })).toThrow(mx.ValueError);
    expect(() => mx.viz.plotHistory(HISTORY, { metrics: ['rmse'] })).toThrow(/'rmse' is not in the history; it has accuracy, cross-entropy/);
    expect(() => mx.viz.plotHistory([])).toThrow(/no metric values/);
    expect(() => mx.viz.plotHistory(HISTORY, { width: 200 })).toThrow(mx.ValueError);
  });

  test('a single epoch and a constant metric still draw', () => {
    const chart = readChart(mx.viz.plotHistory([record(4, { mae: 2 }, null)]));
    expect(chart.lines).toHaveLength(1);
    expect(chart.lines[0]!.points).toHaveLength(1);
    expect(chart.yDomain[0]!).toBeLessThan(2);
    expect(chart.yDomain[1]!).toBeGreaterThan(2);
  });

  test('the history Module.fit returns: train and validation accuracy per epoch', () => {
    mx.random.seed(3);
    const x = mx.nd.uniform(-1, 1, [20, 3]);
    const label = mx.nd.array(Array.from({ length: 20 }, (_, i) => i % 2));
    const net = mx.sym.SoftmaxOutput(mx.sym.FullyConnected(mx.sym.Variable('data'), { num_hidden: 2 }), { name: 'softmax' });
    const mod = new mx.mod.Module({ symbol: net, logger: mx.callback.silentLogger });
    const iter = () => new mx.io.NDArrayIter({ data: x, label, batchSize: 5 });
    const history = mod.fit(iter(), { numEpoch: 3, evalData: iter(), progress: false });
    const chart = readChart(mx.viz.plotHistory(history));
    expect(chart.lines.map((l) => [l.series, l.points.length])).toEqual([
      ['train accuracy', 3],
      ['validation accuracy', 3],
    ]);
  });

  test('niceTicks: steps of 1, 2 or 5 times a power of ten that cover the range (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.double({ min: 1e-6, max: 1e6, noNaN: true }), (lo, span) => {
        const hi = lo + span;
        const { ticks, lo: tlo, hi: thi } = niceTicksOf(lo, hi);
        // Ticks round to the step: within a billionth of the span of the ends.
        expect(tlo).toBeLessThanOrEqual(lo + 1e-8 * span);
        expect(thi).toBeGreaterThanOrEqual(hi - 1e-8 * span);
        expect(ticks.length).toBeGreaterThanOrEqual(2);
        expect(ticks.length).toBeLessThanOrEqual(12);
        const step = ticks[1]! - ticks[0]!;
        const mantissa = step / 10 ** Math.floor(Math.log10(step) + 1e-9);
        expect([1, 2, 5, 10].some((m) => Math.abs(mantissa - m) < 1e-3)).toBe(true);
      }),
    );
  });
});
