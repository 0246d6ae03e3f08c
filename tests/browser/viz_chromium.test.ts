/**
 * The pictures in headless Chromium: plotNetwork SVGs (built nets and the real MXNet models) open
 * and draw every node with its label; plotHistory draws one line per metric with a point per
 * epoch; the browser example page runs the blog's experiments and shows Node's numbers.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import * as mx from 'mxts';
import { buildBrowserExample } from '../../examples/browser/build';
import { blogExperiments } from '../../examples/browser/experiments';
import { describeWithChromium } from '../helpers/chromium';
import { readSymbolText, sharedFilesPresent, symbolFiles } from '../interop/shared_files';

jest.setTimeout(120_000);

const dir = mkdtempSync(join(tmpdir(), 'mxts-viz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Seen {
  id: string;
  texts: string[];
  width: number;
  height: number;
}

/** Opens SVG text as a document and lists its drawn nodes with their rendered sizes. */
async function openSvg(page: Page, name: string, svg: string): Promise<void> {
  const file = join(dir, `${name}.svg`);
  writeFileSync(file, svg);
  await page.goto(`file://${file}`);
}

function drawnNodes(page: Page): Promise<Seen[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<SVGGElement>('g.node')].map((g) => {
      const box = g.getBBox();
      return { id: g.querySelector('title')!.textContent!, texts: [...g.querySelectorAll('text')].map((t) => t.textContent!), width: box.width, height: box.height };
    }),
  );
}

function lenet(): mx.Symbol {
  let net = mx.sym.Convolution(mx.sym.Variable('data'), { kernel: [5, 5], num_filter: 20, name: 'conv1' });
  net = mx.sym.Pooling(mx.sym.Activation(net, { act_type: 'tanh' }), { pool_type: 'max', kernel: [2, 2], stride: [2, 2] });
  net = mx.sym.Convolution(net, { kernel: [5, 5], num_filter: 50, name: 'conv2' });
  net = mx.sym.Pooling(mx.sym.Activation(net, { act_type: 'tanh' }), { pool_type: 'max', kernel: [2, 2], stride: [2, 2] });
  net = mx.sym.FullyConnected(mx.sym.Flatten(net), { num_hidden: 500 });
  net = mx.sym.FullyConnected(mx.sym.Activation(net, { act_type: 'tanh' }), { num_hidden: 10 });
  return mx.sym.SoftmaxOutput(net, { name: 'softmax' });
}

const models: [string, () => mx.Symbol, Record<string, number[]> | undefined][] = [
  ['lenet (built)', lenet, { data: [1, 1, 28, 28] }],
  ...(sharedFilesPresent ? symbolFiles().map((f): [string, () => mx.Symbol, undefined] => [f, () => mx.sym.fromJSON(readSymbolText(f)), undefined]) : []),
];

describeWithChromium('plotNetwork SVGs in Chromium', (page) => {
  test.each(models)('%s: every node drawn, with its label', async (name, build, shape) => {
    const symbol = build();
    const plot = mx.viz.plotNetwork(symbol, shape ? { shape } : {});
    await openSvg(page(), name, await plot.toSVG());
    const seen = await drawnNodes(page());
    expect(seen.map((n) => n.id)).toEqual(plot.nodes.map((n) => n.id));
    seen.forEach((n, i) => {
      expect(n.texts).toEqual(plot.nodes[i]!.label);
      expect(n.width).toBeGreaterThan(50);
      expect(n.height).toBeGreaterThan(20);
    });
    // Every operator of the graph is there.
    const ops = symbol.graph.nodes.filter((n) => n.kind === 'op').length;
    expect(await page().evaluate(() => document.querySelectorAll('g.node polygon').length)).toBe(ops);
    expect(await page().evaluate(() => document.querySelectorAll('g.edge').length)).toBe(plot.edges.length);
  });
});

describeWithChromium('plotHistory SVG in Chromium', (page) => {
  test('one drawn line per metric and split, one point per epoch, a legend entry each', async () => {
    mx.random.seed(5);
    const x = mx.nd.uniform(-1, 1, [30, 4]);
    const label = mx.nd.array(Array.from({ length: 30 }, (_, i) => i % 3));
    const net = mx.sym.SoftmaxOutput(mx.sym.FullyConnected(mx.sym.Variable('data'), { num_hidden: 3 }), { name: 'softmax' });
    const mod = new mx.mod.Module({ symbol: net, logger: mx.callback.silentLogger });
    const iter = () => new mx.io.NDArrayIter({ data: x, label, batchSize: 10 });
    const history = mod.fit(iter(), { numEpoch: 6, evalData: iter(), evalMetric: ['acc', 'ce'], progress: false });
    await openSvg(page(), 'history', mx.viz.plotHistory(history));
    const lines = await page().evaluate(() =>
      [...document.querySelectorAll<SVGPolylineElement>('polyline')].map((p) => ({ series: p.dataset['series'], points: p.points.numberOfItems, length: p.getTotalLength() })),
    );
    expect(lines.map((l) => [l.series, l.points])).toEqual([
      ['train accuracy', 6],
      ['validation accuracy', 6],
      ['train cross-entropy', 6],
      ['validation cross-entropy', 6],
    ]);
    for (const l of lines) expect(l.length).toBeGreaterThan(0);
    const legend = await page().evaluate(() => [...document.querySelectorAll('.legend-item text')].map((t) => t.textContent));
    expect(legend).toEqual(lines.map((l) => l.series));
  });
});

describeWithChromium('the browser example page (examples/browser)', (page) => {
  test("shows the blog experiments' numbers, equal to Node's, and each graph plotted", async () => {
    const index = buildBrowserExample(join(dir, 'page'));
    await page().goto(`file://${index}`);
    await page().waitForSelector('body[data-status]', { timeout: 60_000 });
    expect(await page().textContent('#status')).toBe('done');
    const sigmoid = 1 / (1 + Math.exp(-1.3));
    for (const e of blogExperiments()) {
      const values = (kind: string) => page().evaluate(([id, k]) => [...document.querySelectorAll<HTMLElement>(`#${id} table.${k} td`)].map((td) => Number(td.dataset['value'])), [e.id, kind] as const);
      const forward = await values('forward');
      const gradient = await values('gradient');
      expect(forward).toHaveLength(12);
      forward.forEach((v, i) => expect(Math.abs(v - e.forward[i]!)).toBeLessThanOrEqual(1e-6));
      gradient.forEach((v, i) => expect(Math.abs(v - e.gradient[i]!)).toBeLessThanOrEqual(1e-6));
      // The blog's analysis: sigmoid(1.3) and (sigmoid(1.3) - 0.2) / 4; softmax 0.25 and 0.25 - 0.7.
      if (e.id === 'logistic') {
        forward.forEach((v) => expect(v).toBeCloseTo(sigmoid, 6));
        gradient.forEach((v) => expect(v).toBeCloseTo((sigmoid - 0.2) / 4, 6));
      }
      if (e.id === 'softmax') {
        forward.forEach((v) => expect(v).toBeCloseTo(0.25, 6));
        gradient.forEach((v) => expect(v).toBeCloseTo(-0.45, 6));
      }
      const nodes = await page().evaluate((id) => [...document.querySelectorAll(`#${id} .network g.node`)].map((g) => g.querySelector('text')!.textContent), e.id);
      expect(nodes).toEqual(['m', 'n', e.symbol.name]);
    }
  });
});
