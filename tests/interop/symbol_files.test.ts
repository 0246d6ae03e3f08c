/**
 * The 15 real MXNet symbol files (../shared/mxnet-files/symbols, all three JSON dialects): each
 * loads with MXNet's argument / auxiliary-state / output lists, the 1.x files re-save to the same
 * text, and the legacy upgrades reproduce what MXNet itself wrote when it re-saved an old file.
 */
import * as mx from 'mxts';
import { findOp } from '../../src/ops/registry';
import { fromJSON, toJSON } from '../../src/symbol/json';
import { describeSharedFiles, readSymbolText, symbolFiles } from './shared_files';

interface RawNode {
  op: string;
  name: string;
  inputs: number[][];
}
interface RawDoc {
  nodes: RawNode[];
  heads: number[][];
  attrs?: { mxnet_version?: [string, number] };
}

/**
 * MXNet's lists derived straight from the JSON, independently of the loader: a depth-first
 * post-order walk from the heads; BatchNorm inputs 3-4 are auxiliary states; a pre-0.9 BatchNorm
 * with 3 inputs gets `<name>_moving_mean` / `<name>_moving_var` appended (UpgradeJSON_000800_000900).
 */
function expectedLists(doc: RawDoc): { args: string[]; aux: string[]; outputs: string[] } {
  const args: string[] = [];
  const aux: string[] = [];
  const seen = new Set<number>();
  const auxIds = new Set<number>();
  for (const node of doc.nodes) if (node.op === 'BatchNorm') node.inputs.slice(3).forEach(([id]) => auxIds.add(id!));
  const visit = (id: number): void => {
    if (seen.has(id)) return;
    seen.add(id);
    const node = doc.nodes[id]!;
    node.inputs.forEach(([input]) => visit(input!));
    if (node.op === 'null') (auxIds.has(id) ? aux : args).push(node.name);
    if (node.op === 'BatchNorm' && node.inputs.length === 3) aux.push(`${node.name}_moving_mean`, `${node.name}_moving_var`);
  };
  doc.heads.forEach(([id]) => visit(id!));
  return { args, aux, outputs: doc.heads.map(([id]) => `${doc.nodes[id!]!.name}_output`) };
}

/** Facts SOURCES.md states for some files. */
const SOURCES_FACTS: Record<string, { args?: number; aux?: number; outputs?: string[] }> = {
  'apache-mxnet_save_000800-symbol.json': { args: 10, aux: 2, outputs: ['softmax_output'] },
  'h2oai-deepwater_unet-cpp-symbol.json': { args: 75, aux: 38, outputs: ['softmax_output'] },
  'h2oai-deepwater_Inception-BN-symbol.json': { args: 280, aux: 138, outputs: ['softmax_output'] },
  'plant-seeds_resnet-50-symbol.json': { args: 159, aux: 102, outputs: ['softmax_output'] },
  'plant-seeds_resnet_checkpoint-symbol.json': { args: 159, aux: 102, outputs: ['softmax_output'] },
  'mtcnn_det2-symbol.json': { outputs: ['conv5_2_output', 'prob1_output'] },
  'apache-mxnet_mkldnn-model1-symbol.json': { args: 34, aux: 0, outputs: ['softmax_output'] },
  'clojurenorth_mymodel-symbol.json': { outputs: ['linear_regression_output'] },
  'fcrc-demo_lenet-symbol.json': { outputs: ['hybridsequential0_dense1_fwd_output'] },
  'mentalblood_mnist-symbol.json': { outputs: ['hybridsequential9_dense1_tanh_fwd_output'] },
};

/** Input sizes SOURCES.md gives (or the params files imply), with shapes it states. */
const SHAPE_CASES: [string, number[], Record<string, number[]>, number[][]][] = [
  ['apache-mxnet_save_000800', [1, 200], { fc1_weight: [128, 200] }, [[1, 10]]],
  ['h2oai-deepwater_lenet-py', [1, 1, 28, 28], { convolution0_weight: [20, 1, 5, 5], fullyconnected1_weight: [10, 500] }, [[1, 10]]],
  ['h2oai-deepwater_Inception-BN', [1, 3, 224, 224], { fc1_weight: [1000, 1024] }, [[1, 1000]]],
  ['plant-seeds_resnet-50', [1, 3, 224, 224], { fc1_weight: [11586, 2048] }, [[1, 11586]]],
  ['plant-seeds_resnet_checkpoint', [1, 3, 224, 224], { fc1_weight: [12, 2048] }, [[1, 12]]],
  ['bike-predict_mymodel', [1, 6], { fc1_weight: [6, 6] }, [[1, 6]]],
  ['mtcnn_det2', [1, 3, 24, 24], {}, [[1, 4], [1, 2]]],
  ['squeezenet-v1.2_model', [1, 3, 224, 224], {}, [[1, 1000]]],
  ['camixxx-kaggle_mx_mlp', [1, 784], { fc1_weight: [128, 784] }, [[1, 10]]],
  ['apache-mxnet_mkldnn-model1', [32, 3, 300, 300], { fc8_weight: [1000, 1024, 1, 1] }, [[32, 1000]]],
  ['clojurenorth_mymodel', [1, 203], { fc1_weight: [512, 203] }, [[1, 1]]],
  ['fcrc-demo_lenet', [1, 1, 28, 28], { hybridsequential0_conv0_weight: [5, 1, 5, 5] }, [[1, 10]]],
  ['llv22-daily_mx_mlp', [1, 16], { fc1_weight: [64, 16] }, [[1, 26]]],
  ['mentalblood_mnist', [1, 1, 28, 28], { hybridsequential9_conv0_weight: [10, 1, 5, 5] }, [[1, 10]]],
];

const unregisteredOps = (doc: RawDoc) => [...new Set(doc.nodes.map((n) => n.op).filter((op) => op !== 'null' && !findOp(op)))];

function attrsOf(symbol: mx.Symbol, name: string): Record<string, string> {
  const nodes = symbol.graph.nodes.filter((n) => n.name === name);
  expect(nodes).toHaveLength(1);
  return { ...nodes[0]!.attrs };
}

describeSharedFiles('real MXNet symbol files', () => {
  const files = symbolFiles();

  test('all 15 files are there', () => {
    expect(files).toHaveLength(15);
  });

  describe.each(files)('%s', (file) => {
    const text = readSymbolText(file);
    const doc = JSON.parse(text) as RawDoc;

    test('loads with the argument, auxiliary-state and output lists MXNet derives', () => {
      const missing = unregisteredOps(doc);
      if (missing.length > 0) {
        // Loading needs every op: the error names the ones mxts lacks and the file.
        console.log(`${file}: needs unregistered ops ${missing.join(', ')}`);
        expect(() => fromJSON(text, file)).toThrow(mx.FormatError);
        expect(() => fromJSON(text, file)).toThrow(new RegExp(`${file}.*${missing[0]}`));
        return;
      }
      const symbol = fromJSON(text, file);
      const expected = expectedLists(doc);
      expect(symbol.listArguments()).toEqual(expected.args);
      expect(symbol.listAuxiliaryStates()).toEqual(expected.aux);
      expect(symbol.listOutputs()).toEqual(expected.outputs);
      const facts = SOURCES_FACTS[file];
      if (facts?.args !== undefined) expect(symbol.listArguments()).toHaveLength(facts.args);
      if (facts?.aux !== undefined) expect(symbol.listAuxiliaryStates()).toHaveLength(facts.aux);
      if (facts?.outputs) expect(symbol.listOutputs()).toEqual(facts.outputs);
    });

    test('re-saving gives JSON that loads back to the same text', () => {
      if (unregisteredOps(doc).length > 0) return expect(() => fromJSON(text, file)).toThrow(mx.FormatError);
      const once = toJSON(fromJSON(text, file));
      expect(toJSON(fromJSON(once, 'resaved'))).toBe(once);
    });

    const version = doc.attrs?.mxnet_version?.[1] ?? 800;
    if (version >= 10000) {
      test('an MXNet 1.x file re-saves to the identical text (mxnet_version becomes 10901)', () => {
        if (unregisteredOps(doc).length > 0) return expect(() => fromJSON(text, file)).toThrow(mx.FormatError);
        // The writer adds no final newline; one of the files gained one when it was committed.
        const expectedText = text.replace(/\n$/, '').replace(/"mxnet_version": \["int", \d+\]/, '"mxnet_version": ["int", 10901]');
        expect(toJSON(fromJSON(text, file))).toBe(expectedText);
      });
    }
  });

  test('every file loads (no op is missing from the registry)', () => {
    const missing = files.flatMap((f) => unregisteredOps(JSON.parse(readSymbolText(f)) as RawDoc).map((op) => `${f}: ${op}`));
    expect(missing).toEqual([]);
  });

  test('save_000800: old hidden keys move to __x__, weight_lr_mult moves onto fc1_weight, BatchNorm stats are added', () => {
    const symbol = fromJSON(readSymbolText('apache-mxnet_save_000800-symbol.json'));
    expect(symbol.listArguments()).toEqual(['data', 'fc1_weight', 'fc1_bias', 'fc2_weight', 'fc2_bias', 'fc3_weight', 'fc3_bias', 'batchnorm0_gamma', 'batchnorm0_beta', 'softmax_label']);
    expect(symbol.listAuxiliaryStates()).toEqual(['batchnorm0_moving_mean', 'batchnorm0_moving_var']);
    expect(attrsOf(symbol, 'data')).toEqual({ __ctx_group__: 'stage1', __lr_mult__: '0.2' });
    // fc1's weight_lr_mult lands on its weight; the variables' own copies stay as they were (MXNet skips variables).
    expect(attrsOf(symbol, 'fc1_weight')).toEqual({ __ctx_group__: 'stage1', __wd_mult__: '0.3', __lr_mult__: '1.2', weight_lr_mult: '1.2' });
    expect(attrsOf(symbol, 'fc1_bias')).toEqual({ __ctx_group__: 'stage1', __wd_mult__: '0.3', weight_lr_mult: '1.2' });
    expect(attrsOf(symbol, 'fc1')).toEqual({ __ctx_group__: 'stage1', __wd_mult__: '0.3', no_bias: 'False', num_hidden: '128' });
    const bn = attrsOf(symbol, 'batchnorm0');
    expect(attrsOf(symbol, 'batchnorm0_moving_mean')).toEqual({ ...bn, __init__: '["zero", {}]' });
    expect(attrsOf(symbol, 'batchnorm0_moving_var')).toEqual({ ...bn, __init__: '["one", {}]' });
    expect(symbol.getInternals().get('fc1_weight').attr('lr_mult')).toBe('1.2');
  });

  test('legacy ResNet-50 and its MXNet 1.2 re-save give identical argument and auxiliary lists', () => {
    const legacy = fromJSON(readSymbolText('plant-seeds_resnet-50-symbol.json'));
    const modern = fromJSON(readSymbolText('plant-seeds_resnet_checkpoint-symbol.json'));
    expect(legacy.listArguments()).toEqual(modern.listArguments());
    expect(legacy.listAuxiliaryStates()).toEqual(modern.listAuxiliaryStates());
    // `_Plus` is an alias: the node holds the canonical op, as in the 1.2 file.
    const opNames = (s: mx.Symbol) => s.graph.nodes.flatMap((n) => (n.kind === 'op' ? [n.op.name] : []));
    expect(opNames(legacy).filter((op) => op === 'elemwise_add')).toHaveLength(16);
    expect(opNames(legacy)).toEqual(opNames(modern));
  });

  test('the upgraded legacy ResNet-50 saves as MXNet 1.2 saved it, except the fine-tuned head', () => {
    // plant-seeds re-saved the 2016 ResNet-50 with MXNet 1.2 after replacing fc1 (12 classes) and
    // the softmax. Everything else, upgrades included (aux variables, their __init__, attribute
    // copies, _Plus -> elemwise_add, versions, node_row_ptr), must match MXNet's own output.
    const ours = JSON.parse(toJSON(fromJSON(readSymbolText('plant-seeds_resnet-50-symbol.json')))) as RawDoc & Record<string, unknown>;
    const theirs = JSON.parse(readSymbolText('plant-seeds_resnet_checkpoint-symbol.json')) as RawDoc & Record<string, unknown>;
    const changed = new Set(['fc1_weight', 'fc1_bias', 'fc1', 'softmax']);
    const strip = (d: RawDoc) => d.nodes.map((n) => (changed.has(n.name) ? { ...n, attrs: undefined } : n));
    expect(strip(ours)).toEqual(strip(theirs));
    for (const key of ['arg_nodes', 'node_row_ptr', 'heads']) expect(ours[key]).toEqual(theirs[key]);
  });

  test('U-Net: duplicate node names are kept, repeated in listArguments', () => {
    const symbol = fromJSON(readSymbolText('h2oai-deepwater_unet-cpp-symbol.json'));
    const args = symbol.listArguments();
    expect(args.filter((a) => a === 'pool5_conv1_bn_gamma')).toHaveLength(2);
    expect(new Set(args).size).toBeLessThan(args.length);
  });

  test('camixxx MLP: two Activation nodes both named relu1 load as two nodes', () => {
    const symbol = fromJSON(readSymbolText('camixxx-kaggle_mx_mlp-symbol.json'));
    expect(symbol.graph.nodes.filter((n) => n.name === 'relu1')).toHaveLength(2);
  });

  test('SqueezeNet 0.9.3: attributes copied onto variables are kept, not parsed', () => {
    const symbol = fromJSON(readSymbolText('squeezenet-v1.2_model-symbol.json'));
    expect(attrsOf(symbol, 'conv1_conv_weight')).toEqual({ kernel: '(3, 3)', num_filter: '64', pad: '(0, 0)', stride: '(2, 2)' });
  });

  test('MTCNN (pre-0.9): PReLU gammas get the Constant 0.25 initializer, as MXNet upgrades them', () => {
    const symbol = fromJSON(readSymbolText('mtcnn_det2-symbol.json'));
    const gammas = symbol.listArguments().filter((a) => a.endsWith('_gamma'));
    expect(gammas.length).toBe(4);
    for (const g of gammas) expect(attrsOf(symbol, g)['__init__']).toBe('["Constant", {"value": 0.25}]');
    expect(symbol.listArguments()).toContain('prob1_label');
  });

  test('clojurenorth: LinearRegressionOutput label is an argument', () => {
    expect(fromJSON(readSymbolText('clojurenorth_mymodel-symbol.json')).listArguments()).toContain('linear_regression_label');
  });

  describe.each(SHAPE_CASES)('inferShape %s', (prefix, dataShape, argShapes, outShapes) => {
    test(`data ${JSON.stringify(dataShape)} gives the shapes SOURCES.md states`, () => {
      const symbol = fromJSON(readSymbolText(`${prefix}-symbol.json`), prefix);
      const result = symbol.inferShape({ data: dataShape });
      expect(result.outShapes).toEqual(outShapes);
      const names = symbol.listArguments();
      for (const [name, shape] of Object.entries(argShapes)) expect(result.argShapes[names.indexOf(name)]).toEqual(shape);
      expect(result.auxShapes).toHaveLength(symbol.listAuxiliaryStates().length);
    });
  });

  test('inferShape fails on the U-Net with an error naming its Concat node', () => {
    const symbol = fromJSON(readSymbolText('h2oai-deepwater_unet-cpp-symbol.json'));
    expect(() => symbol.inferShape({ data: [1, 3, 256, 256] })).toThrow(/Concat 'pool3_concat'/);
    expect(() => symbol.inferShape({ data: [1, 3, 256, 256] })).toThrow(mx.ShapeError);
  });
});
