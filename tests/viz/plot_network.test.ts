/**
 * mx.viz.plotNetwork against MXNet 1.9's visualization.py plot_network: node shapes, its palette
 * per operator kind, its labels, shape labels on edges, hidden parameters; and the SVG that
 * Graphviz (@viz-js/viz, WebAssembly) draws from the DOT text in Node.
 */
import * as mx from 'mxts';
import { drawnEdges, drawnNodes } from '../helpers/graphviz_svg';

// Graphviz's WebAssembly module starts on the first render (about a second on a loaded machine).
jest.setTimeout(30_000);

// MXNet's palette, from visualization.py (`cm`): input, weighted layer, activation, BatchNorm,
// pooling, Concat/Flatten/Reshape, Softmax, anything else.
const INPUT = '#8dd3c7';
const LAYER = '#fb8072';
const ACTIVATION = '#ffffb3';
const BATCHNORM = '#bebada';
const POOLING = '#80b1d3';
const RESHAPE = '#fdb462';
const OTHER = '#fccde5';

function mlp(): mx.Symbol {
  // The example of plot_network's docstring.
  let net = mx.sym.Variable('data');
  net = mx.sym.FullyConnected({ data: net, name: 'fc1', num_hidden: 128 });
  net = mx.sym.Activation({ data: net, name: 'relu1', act_type: 'relu' });
  net = mx.sym.FullyConnected({ data: net, name: 'fc2', num_hidden: 10 });
  return mx.sym.SoftmaxOutput({ data: net, name: 'out' });
}

function lenet(): mx.Symbol {
  let net = mx.sym.Variable('data');
  net = mx.sym.Convolution(net, { kernel: [5, 5], num_filter: 20, name: 'conv1' });
  net = mx.sym.Activation(net, { act_type: 'tanh', name: 'tanh1' });
  net = mx.sym.Pooling(net, { pool_type: 'max', kernel: [2, 2], stride: [2, 2], name: 'pool1' });
  net = mx.sym.Convolution(net, { kernel: [5, 5], stride: [1, 1], num_filter: 50, name: 'conv2' });
  net = mx.sym.Activation(net, { act_type: 'tanh', name: 'tanh2' });
  net = mx.sym.Pooling(net, { pool_type: 'max', kernel: [2, 2], stride: [2, 2], name: 'pool2' });
  net = mx.sym.FullyConnected(mx.sym.Flatten(net, { name: 'flatten' }), { num_hidden: 500, name: 'fc1' });
  net = mx.sym.Activation(net, { act_type: 'tanh', name: 'tanh3' });
  net = mx.sym.FullyConnected(net, { num_hidden: 10, name: 'fc2' });
  return mx.sym.SoftmaxOutput(net, { name: 'softmax' });
}

const byId = (plot: mx.viz.Digraph) => new Map(plot.nodes.map((n) => [n.id, n]));
const edgeLabel = (plot: mx.viz.Digraph, from: string, to: string) => plot.edges.find((e) => e.from === from && e.to === to)?.attrs['label'];

describe('mx.viz.plotNetwork: DOT', () => {
  test("the docstring MLP: ovals for inputs, boxes for ops, MXNet's labels, colours and default node attributes", () => {
    const plot = mx.viz.plotNetwork(mlp(), { shape: { data: [100, 200] } });
    expect(plot.name).toBe('plot');
    expect(plot.nodes.map((n) => n.id)).toEqual(['data', 'fc1', 'relu1', 'fc2', 'out_label', 'out']);
    const nodes = byId(plot);
    expect(nodes.get('data')).toEqual({ id: 'data', label: ['data'], attrs: { shape: 'oval', fixedsize: 'true', width: '1.3', height: '0.8034', style: 'filled', fillcolor: INPUT } });
    expect(nodes.get('fc1')!.label).toEqual(['FullyConnected', '128']);
    expect(nodes.get('fc1')!.attrs).toEqual({ shape: 'box', fixedsize: 'true', width: '1.3', height: '0.8034', style: 'filled', fillcolor: LAYER });
    expect(nodes.get('relu1')!.label).toEqual(['Activation', 'relu']);
    expect(nodes.get('relu1')!.attrs['fillcolor']).toBe(ACTIVATION);
    // SoftmaxOutput is not 'Softmax' (MXNet compares the op name): the catch-all colour, the node's name.
    expect(nodes.get('out')!).toMatchObject({ label: ['out'], attrs: { fillcolor: OTHER } });
    expect(nodes.get('out_label')!.attrs['shape']).toBe('oval');
    // Edges run from the consumer to its input, drawn backwards; shapes without the batch axis.
    expect(plot.edges.map((e) => [e.from, e.to, e.attrs['label']])).toEqual([
      ['fc1', 'data', '200'],
      ['relu1', 'fc1', '128'],
      ['fc2', 'relu1', '128'],
      ['out', 'fc2', '10'],
      ['out', 'out_label', ''],
    ]);
    expect(plot.edges.every((e) => e.attrs['dir'] === 'back' && e.attrs['arrowtail'] === 'open')).toBe(true);
    expect(plot.dot).toContain('\t"fc1" [label="FullyConnected\\n128" shape="box"');
    expect(plot.dot).toContain('\t"fc1" -> "data" [dir="back" arrowtail="open" label="200"]');
    expect(plot.dot.startsWith('digraph "plot" {\n')).toBe(true);
  });

  test('LeNet: Convolution and Pooling labels (stride "1" when not given), shapes on every edge', () => {
    const plot = mx.viz.plotNetwork(lenet(), { shape: { data: [64, 1, 28, 28] }, title: 'lenet' });
    expect(plot.name).toBe('lenet');
    const nodes = byId(plot);
    expect(nodes.get('conv1')!.label).toEqual(['Convolution', '5x5/1, 20']);
    expect(nodes.get('conv2')!.label).toEqual(['Convolution', '5x5/1x1, 50']);
    expect(nodes.get('pool1')!.label).toEqual(['Pooling', 'max, 2x2/2x2']);
    expect(nodes.get('tanh2')!.label).toEqual(['Activation', 'tanh']);
    expect([nodes.get('conv1')!.attrs['fillcolor'], nodes.get('pool1')!.attrs['fillcolor'], nodes.get('flatten')!.attrs['fillcolor']]).toEqual([LAYER, POOLING, RESHAPE]);
    // 28-5+1 = 24, /2 = 12, 12-5+1 = 8, /2 = 4, 50*4*4 = 800
    expect(edgeLabel(plot, 'conv1', 'data')).toBe('1x28x28');
    expect(edgeLabel(plot, 'tanh1', 'conv1')).toBe('20x24x24');
    expect(edgeLabel(plot, 'conv2', 'pool1')).toBe('20x12x12');
    expect(edgeLabel(plot, 'pool2', 'tanh2')).toBe('50x8x8');
    expect(edgeLabel(plot, 'flatten', 'pool2')).toBe('50x4x4');
    expect(edgeLabel(plot, 'fc1', 'flatten')).toBe('800');
    expect(edgeLabel(plot, 'softmax', 'fc2')).toBe('10');
    expect(plot.nodes).toHaveLength(13); // data, 11 operators, softmax_label
    expect(plot.edges).toHaveLength(12);
  });

  test('without shapes, edges carry no label', () => {
    const plot = mx.viz.plotNetwork(lenet());
    expect(plot.edges.every((e) => !('label' in e.attrs))).toBe(true);
  });

  test('hideWeights hides *_weight, *_bias, *_gamma, *_beta, *_moving_*; false draws them through their edges only', () => {
    let net = mx.sym.Convolution(mx.sym.Variable('data'), { kernel: [3, 3], num_filter: 4, name: 'conv' });
    net = mx.sym.BatchNorm(net, { name: 'bn' });
    const hidden = mx.viz.plotNetwork(net);
    expect(hidden.nodes.map((n) => n.id)).toEqual(['data', 'conv', 'bn']);
    expect(hidden.edges.map((e) => `${e.from}->${e.to}`)).toEqual(['conv->data', 'bn->conv']);
    expect(hidden.nodes.find((n) => n.id === 'bn')!).toMatchObject({ label: ['bn'], attrs: { fillcolor: BATCHNORM } });
    const shown = mx.viz.plotNetwork(net, { hideWeights: false });
    expect(shown.nodes.map((n) => n.id)).toEqual(['data', 'conv', 'bn']);
    expect(shown.edges.map((e) => `${e.from}->${e.to}`)).toEqual([
      'conv->data', 'conv->conv_weight', 'conv->conv_bias', 'bn->conv', 'bn->bn_gamma', 'bn->bn_beta', 'bn->bn_moving_mean', 'bn->bn_moving_var',
    ]);
    expect(mx.viz.looksLikeWeight('fc_running_var')).toBe(true);
    expect(mx.viz.looksLikeWeight('weights')).toBe(false);
  });

  test('nodeAttrs override the defaults of every drawn node; variables stay ovals', () => {
    const plot = mx.viz.plotNetwork(mlp(), { nodeAttrs: { shape: 'ellipse', fixedsize: 'false' } });
    const nodes = byId(plot);
    expect(nodes.get('fc1')!.attrs).toMatchObject({ shape: 'ellipse', fixedsize: 'false', width: '1.3' });
    expect(nodes.get('data')!.attrs).toMatchObject({ shape: 'oval', fixedsize: 'false' });
  });

  test('LeakyReLU, Concat, Reshape, global pooling and a plain operator', () => {
    const a = mx.sym.LeakyReLU(mx.sym.Variable('a'), { act_type: 'elu', name: 'elu' });
    const b = mx.sym.Pooling(mx.sym.Variable('b'), { global_pool: true, pool_type: 'avg', name: 'gap' });
    const cat = mx.sym.Concat(a, mx.sym.Reshape(b, { shape: [0, -1], name: 'flat' }), { dim: 1, name: 'cat' });
    const out = mx.sym.exp(cat, { name: 'e' });
    const nodes = byId(mx.viz.plotNetwork(out));
    expect(nodes.get('elu')!).toMatchObject({ label: ['LeakyReLU', 'elu'], attrs: { fillcolor: ACTIVATION } });
    // MXNet would fail on the absent `kernel` of a global pooling.
    expect(nodes.get('gap')!).toMatchObject({ label: ['Pooling', 'avg, global'], attrs: { fillcolor: POOLING } });
    expect(nodes.get('flat')!).toMatchObject({ label: ['flat'], attrs: { fillcolor: RESHAPE } });
    expect(nodes.get('cat')!).toMatchObject({ label: ['cat'], attrs: { fillcolor: RESHAPE } });
    expect(nodes.get('e')!).toMatchObject({ label: ['e'], attrs: { fillcolor: OTHER } });
  });

  test('nodes sharing a name get distinct ids (MXNet merges them); quotes in names are escaped', () => {
    const x = mx.sym.Variable('say "hi"');
    const twice = mx.sym.Activation(mx.sym.Activation(x, { act_type: 'relu', name: 'relu1' }), { act_type: 'relu', name: 'relu1' });
    const plot = mx.viz.plotNetwork(twice);
    expect(plot.nodes.map((n) => [n.id, n.label[0]])).toEqual([['say "hi"', 'say "hi"'], ['relu1', 'Activation'], ['relu1 (2)', 'Activation']]);
    expect(plot.edges.map((e) => `${e.from}->${e.to}`)).toEqual(['relu1->say "hi"', 'relu1 (2)->relu1']);
    expect(plot.dot).toContain('"say \\"hi\\"" [label="say \\"hi\\""');
  });

  test('an edge from a multi-output node is labelled with the shape of the output it carries', () => {
    const parts = mx.sym.Variable('x').splitV2([1], { axis: 1 });
    const split = parts.name!;
    const out = mx.sym.FullyConnected(parts.get(0), { num_hidden: 3, name: 'fc' }).add(mx.sym.FullyConnected(parts.get(1), { num_hidden: 3, name: 'fc2' }));
    const plot = mx.viz.plotNetwork(out, { shape: { x: [5, 4, 6] } });
    expect(edgeLabel(plot, 'fc', split)).toBe('1x6');
    expect(edgeLabel(plot, 'fc2', split)).toBe('3x6');
    expect(plot.nodes.find((n) => n.id === split)!.attrs['fillcolor']).toBe(OTHER);
  });

  test("dtype appends each edge's dtype to its label, as MXNet's draw_type: `200(float32)`", () => {
    const plot = mx.viz.plotNetwork(mlp(), { shape: { data: [100, 200] }, dtype: { data: 'float64' } });
    expect(edgeLabel(plot, 'fc1', 'data')).toBe('200(float64)');
    expect(edgeLabel(plot, 'out', 'fc2')).toBe('10(float64)');
    const typesOnly = mx.viz.plotNetwork(mlp(), { dtype: { data: 'float32' } });
    expect(edgeLabel(typesOnly, 'relu1', 'fc1')).toBe('(float32)');
  });

  test('incomplete input shapes throw, naming what is missing; a non-Symbol is refused', () => {
    const net = mx.sym.dot(mx.sym.Variable('a'), mx.sym.Variable('b'));
    expect(() => mx.viz.plotNetwork(net, { shape: { a: [2, 3] } })).toThrow(mx.ShapeError);
    expect(() => mx.viz.plotNetwork(net, { shape: { a: [2, 3] } })).toThrow(/'b'|\bb\b/);
    expect(() => mx.viz.plotNetwork({} as mx.Symbol)).toThrow(mx.ValueError);
  });
});

describe('mx.viz.plotNetwork: SVG through Graphviz (WebAssembly) in Node', () => {
  test('LeNet: one <g class="node"> per DOT node, with its label lines; one edge group per edge, with its shape', async () => {
    const plot = mx.viz.plotNetwork(lenet(), { shape: { data: [1, 1, 28, 28] } });
    const svg = await plot.toSVG();
    expect(svg).toContain('<svg');
    const nodes = drawnNodes(svg);
    expect(nodes.map((n) => n.id)).toEqual(plot.nodes.map((n) => n.id));
    for (const node of plot.nodes) {
      const drawn = nodes.find((n) => n.id === node.id)!;
      expect(drawn.texts).toEqual(node.label);
      expect(drawn.fill).toBe(node.attrs['fillcolor']);
      expect(drawn.shape).toBe(node.attrs['shape'] === 'oval' ? 'ellipse' : 'polygon');
    }
    const edges = drawnEdges(svg);
    expect(edges).toHaveLength(plot.edges.length);
    expect(edges.find((e) => e.title === 'fc1->flatten')!.texts).toEqual(['800']);
  });

  test('weights shown with hideWeights: false are drawn as unfilled default ovals named after the variable', async () => {
    const net = mx.sym.FullyConnected(mx.sym.Variable('data'), { num_hidden: 2, name: 'fc' });
    const nodes = drawnNodes(await mx.viz.plotNetwork(net, { hideWeights: false }).toSVG());
    expect(nodes.map((n) => [n.id, n.texts.join('|'), n.shape, n.fill])).toEqual([
      ['data', 'data', 'ellipse', INPUT],
      ['fc', 'FullyConnected|2', 'polygon', LAYER],
      ['fc_weight', 'fc_weight', 'ellipse', 'none'],
      ['fc_bias', 'fc_bias', 'ellipse', 'none'],
    ]);
  });

  test('render() in other formats; bad DOT and unknown formats throw ValueError', async () => {
    const plot = mx.viz.plotNetwork(mlp());
    expect(JSON.parse(await plot.render('json'))).toHaveProperty('objects');
    await expect(mx.viz.renderSVG('digraph { a -> }')).rejects.toThrow(mx.ValueError);
    await expect(plot.render('pdf')).rejects.toThrow(/'pdf' is not an output format/);
  });
});
