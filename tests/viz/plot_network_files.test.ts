/**
 * plotNetwork on the real MXNet symbol files of ../shared/mxnet-files: what Graphviz draws (one
 * node per operator and per non-parameter variable, MXNet's labels) is checked against the
 * files' JSON read directly, with MXNet's rules restated here from visualization.py.
 */
import * as mx from 'mxts';
import { drawnEdges, drawnNodes } from '../helpers/graphviz_svg';
import { describeSharedFiles, readSymbolText, symbolFiles } from '../interop/shared_files';

// Graphviz's WebAssembly module starts on the first render (about a second on a loaded machine).
jest.setTimeout(30_000);

interface RawNode {
  op: string;
  name: string;
  attrs?: Record<string, string>;
  param?: Record<string, string>;
  attr?: Record<string, string>;
}

const WEIGHT_LIKE = /(_weight|_bias|_beta|_gamma|_moving_var|_moving_mean|_running_var|_running_mean)$/;
const digits = (v: string) => (v.match(/\d+/g) ?? []).join('x');

/** MXNet's label for a node of the file, from the JSON's own attributes. */
function expectedLabel(node: RawNode): string[] {
  const a = { ...node.param, ...node.attr, ...node.attrs };
  const window = () => `${digits(a['kernel']!)}/${a['stride'] !== undefined ? digits(a['stride']) : '1'}`;
  switch (node.op) {
    case 'null':
      return [node.name];
    case 'Convolution':
      return ['Convolution', `${window()}, ${a['num_filter']}`];
    case 'FullyConnected':
      return ['FullyConnected', a['num_hidden']!];
    case 'Activation':
    case 'LeakyReLU':
      return [node.op, a['act_type'] ?? 'leaky'];
    case 'Pooling':
      return ['Pooling', `${a['pool_type'] ?? 'max'}, ${a['kernel'] === undefined ? 'global' : window()}`];
    default:
      return [node.name];
  }
}

/** Input shapes for files whose SOURCES.md gives the input size. */
const DATA_SHAPES: Record<string, number[]> = {
  'h2oai-deepwater_lenet-py-symbol.json': [1, 1, 28, 28],
  'h2oai-deepwater_Inception-BN-symbol.json': [1, 3, 224, 224],
  'plant-seeds_resnet-50-symbol.json': [1, 3, 224, 224],
  'squeezenet-v1.2_model-symbol.json': [1, 3, 224, 224],
  'mtcnn_det2-symbol.json': [1, 3, 24, 24],
  'llv22-daily_mx_mlp-symbol.json': [1, 16],
};

describeSharedFiles('plotNetwork on the real MXNet symbol files', () => {
  describe.each(symbolFiles())('%s', (file) => {
    const text = readSymbolText(file);
    const raw = (JSON.parse(text) as { nodes: RawNode[] }).nodes;
    const visible = raw.filter((n) => n.op !== 'null' || !WEIGHT_LIKE.test(n.name));

    test('Graphviz draws every operator and every non-parameter input once, with MXNet\'s label', async () => {
      const plot = mx.viz.plotNetwork(mx.sym.fromJSON(text));
      const drawn = drawnNodes(await plot.toSVG());
      expect(drawn).toHaveLength(visible.length);
      expect(new Set(drawn.map((n) => n.id)).size).toBe(drawn.length);
      // Names repeat in two files: compare as multisets of "name: label".
      const key = (name: string, label: readonly string[]) => `${name}: ${label.join(' | ')}`;
      const drawnKeys = drawn.map((n) => key(n.id.replace(/ \(\d+\)$/, ''), n.texts)).sort();
      expect(drawnKeys).toEqual(visible.map((n) => key(n.name, expectedLabel(n))).sort());
      expect(drawn.filter((n) => n.shape === 'ellipse').map((n) => n.id).sort()).toEqual(visible.filter((n) => n.op === 'null').map((n) => n.name).sort());
    });

    if (DATA_SHAPES[file]) {
      const dataShape = DATA_SHAPES[file]!;
      test(`data ${JSON.stringify(dataShape)}: edges out of data and between operators carry their shape`, async () => {
        const plot = mx.viz.plotNetwork(mx.sym.fromJSON(text), { shape: { data: dataShape } });
        const ops = new Set(raw.filter((n) => n.op !== 'null').map((n) => n.name));
        for (const edge of plot.edges) {
          if (edge.to === 'data') expect(edge.attrs['label']).toBe(dataShape.slice(1).join('x'));
          else if (ops.has(edge.to)) expect(edge.attrs['label']).toMatch(/^\d+(x\d+)*$/);
        }
        const edges = drawnEdges(await plot.toSVG());
        expect(edges).toHaveLength(plot.edges.length);
        expect(edges.filter((e) => e.texts.length === 1).length).toBeGreaterThanOrEqual(plot.edges.filter((e) => e.attrs['label']).length);
      });
    }
  });
});
