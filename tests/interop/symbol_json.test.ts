/**
 * Symbol JSON written and read by mxts, on graphs built in the test (runs everywhere): MXNet
 * 1.9.1's exact text layout, the three dialects, the legacy upgrades, and hostile input.
 */
import fc from 'fast-check';
import * as mx from 'mxts';
import { fromJSON, toJSON } from '../../src/symbol/json';
import { describeSharedFiles, readSymbolText } from './shared_files';

const sym = mx.sym as unknown as Record<string, (...args: unknown[]) => mx.Symbol> & typeof mx.sym;

/** Section 5.2 of the reference: MXNet 1.9.1's text for this graph, byte for byte. */
const EXAMPLE_5_2 = `{
  "nodes": [
    {
      "op": "null", 
      "name": "data", 
      "inputs": []
    }, 
    {
      "op": "null", 
      "name": "fc1_weight", 
      "attrs": {"num_hidden": "10"}, 
      "inputs": []
    }, 
    {
      "op": "null", 
      "name": "fc1_bias", 
      "attrs": {"num_hidden": "10"}, 
      "inputs": []
    }, 
    {
      "op": "FullyConnected", 
      "name": "fc1", 
      "attrs": {"num_hidden": "10"}, 
      "inputs": [[0, 0, 0], [1, 0, 0], [2, 0, 0]]
    }, 
    {
      "op": "null", 
      "name": "softmax_label", 
      "inputs": []
    }, 
    {
      "op": "SoftmaxOutput", 
      "name": "softmax", 
      "inputs": [[3, 0, 0], [4, 0, 0]]
    }
  ], 
  "arg_nodes": [0, 1, 2, 4], 
  "node_row_ptr": [0, 1, 2, 3, 4, 5, 6], 
  "heads": [[5, 0, 0]], 
  "attrs": {"mxnet_version": ["int", 10901]}
}`;

function mlp(): mx.Symbol {
  const fc1 = sym.FullyConnected(mx.sym.Variable('data'), { num_hidden: 10, name: 'fc1' });
  return sym.SoftmaxOutput(fc1, { name: 'softmax' });
}

/** A node list in JSON form, for documents written by hand in the tests. */
function doc(nodes: object[], heads: number[][], extra: Record<string, unknown> = {}): string {
  const argNodes = nodes.flatMap((n, i) => ((n as { op: string }).op === 'null' ? [i] : []));
  return JSON.stringify({ nodes, arg_nodes: argNodes, heads, ...extra });
}

const v1x = (version = 10600) => ({ attrs: { mxnet_version: ['int', version] } });

function expectFormatError(text: string, pattern: RegExp, source = 'bad.json'): void {
  let error: unknown;
  try {
    fromJSON(text, source);
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(mx.FormatError);
  expect((error as Error).message).toMatch(source);
  expect((error as Error).message).toMatch(pattern);
}

describe('toJSON: MXNet 1.9.1 text', () => {
  test('the reference example (FullyConnected + SoftmaxOutput) byte for byte', () => {
    expect(toJSON(mlp())).toBe(EXAMPLE_5_2);
  });

  test('the same text written from the layout rules alone, for a SoftmaxOutput-only graph', () => {
    const s = sym.SoftmaxOutput(mx.sym.Variable('x'), { name: 'sm', normalization: 'batch' });
    const expected = [
      '{',
      '  "nodes": [',
      '    {',
      '      "op": "null", ',
      '      "name": "x", ',
      '      "inputs": []',
      '    }, ',
      '    {',
      '      "op": "null", ',
      '      "name": "sm_label", ',
      '      "attrs": {"normalization": "batch"}, ',
      '      "inputs": []',
      '    }, ',
      '    {',
      '      "op": "SoftmaxOutput", ',
      '      "name": "sm", ',
      '      "attrs": {"normalization": "batch"}, ',
      '      "inputs": [[0, 0, 0], [1, 0, 0]]',
      '    }',
      '  ], ',
      '  "arg_nodes": [0, 1], ',
      '  "node_row_ptr": [0, 1, 2, 3], ',
      '  "heads": [[2, 0, 0]], ',
      '  "attrs": {"mxnet_version": ["int", 10901]}',
      '}',
    ].join('\n');
    expect(toJSON(s)).toBe(expected);
  });

  test('maps with several entries are multi-line and sorted; vectors over 10 items go one per line', () => {
    const data = Array.from({ length: 11 }, (_, i) => mx.sym.Variable(`v${i}`, { attr: { zeta: 'z', alpha: 'a' } }));
    const text = toJSON(sym.Concat(...data, { name: 'cat', dim: 1 }));
    expect(text).toContain('      "attrs": {\n        "alpha": "a", \n        "zeta": "z"\n      }, \n');
    expect(text).toContain('"arg_nodes": [\n    0, \n    1, \n');
    expect(text).toContain('      "inputs": [\n        [0, 0, 0], \n        [1, 0, 0], \n');
    expect(text).toContain('        [10, 0, 0]\n      ]\n');
    expect(text).toContain('"heads": [[11, 0, 0]]');
    expect(toJSON(fromJSON(text))).toBe(text);
  });

  test('strings escape exactly \\r \\n \\\\ \\t and "', () => {
    const s = mx.sym.Variable('v', { attr: { note: 'a"b\\c\nd\te\rf/g' } });
    expect(toJSON(s)).toContain('"attrs": {"note": "a\\"b\\\\c\\nd\\te\\rf/g"}');
    expect(fromJSON(toJSON(s)).attr('note')).toBe('a"b\\c\nd\te\rf/g');
  });

  test('BatchNorm moving stats are mutated inputs: version 1, and BatchNorm counts 3 outputs in node_row_ptr', () => {
    const text = toJSON(sym.BatchNorm(mx.sym.Variable('data'), { name: 'bn' }));
    expect(text).toContain('"inputs": [[0, 0, 0], [1, 0, 0], [2, 0, 0], [3, 0, 1], [4, 0, 1]]');
    expect(text).toContain('"node_row_ptr": [0, 1, 2, 3, 4, 5, 8]');
    expect(toJSON(fromJSON(text))).toBe(text);
  });

  test('a variable mutated by two ops gets versions 1 and 2, a plain read sees the current version', () => {
    const mean = mx.sym.Variable('mean');
    const variance = mx.sym.Variable('var');
    const bn1 = sym.BatchNorm(mx.sym.Variable('a'), { name: 'bn1', moving_mean: mean, moving_var: variance });
    const bn2 = sym.BatchNorm(bn1, { name: 'bn2', moving_mean: mean, moving_var: variance });
    const text = toJSON(bn2);
    const nodes = (JSON.parse(text) as { nodes: { name: string; inputs: number[][] }[] }).nodes;
    expect(nodes.find((n) => n.name === 'bn1')!.inputs.slice(3).map((e) => e[2])).toEqual([1, 1]);
    expect(nodes.find((n) => n.name === 'bn2')!.inputs.slice(3).map((e) => e[2])).toEqual([2, 2]);
  });

  test('versions read from a file are kept (MXNet-upgraded files hold 0 for BatchNorm stats)', () => {
    const text = doc(
      [
        { op: 'null', name: 'data', inputs: [] },
        { op: 'null', name: 'g', inputs: [] },
        { op: 'null', name: 'b', inputs: [] },
        { op: 'null', name: 'm', inputs: [] },
        { op: 'null', name: 'v', inputs: [] },
        { op: 'BatchNorm', name: 'bn', inputs: [[0, 0, 0], [1, 0, 0], [2, 0, 0], [3, 0, 0], [4, 0, 0]] },
      ],
      [[5, 0, 0]],
      v1x(),
    );
    expect(toJSON(fromJSON(text))).toContain('[3, 0, 0], [4, 0, 0]]');
  });
});

describe('fromJSON: dialects and MXNet upgrades', () => {
  const legacy = JSON.stringify({
    nodes: [
      { op: 'null', param: {}, name: 'data', inputs: [], backward_source_id: -1, attr: { ctx_group: 'dev1', lr_mult: '0.5' } },
      { op: 'null', param: {}, name: 'fc_weight', inputs: [], backward_source_id: -1 },
      { op: 'null', param: {}, name: 'fc_bias', inputs: [], backward_source_id: -1 },
      { op: 'FullyConnected', param: { no_bias: 'False', num_hidden: '4' }, name: 'fc', inputs: [[0, 0], [1, 0], [2, 0]], backward_source_id: -1, attr: { bias_wd_mult: '0' } },
      { op: 'null', param: {}, name: 'bn_gamma', inputs: [], backward_source_id: -1 },
      { op: 'null', param: {}, name: 'bn_beta', inputs: [], backward_source_id: -1 },
      { op: 'BatchNorm', param: { eps: '0.001', fix_gamma: 'True' }, name: 'bn', inputs: [[3, 0], [4, 0], [5, 0]], backward_source_id: -1 },
      { op: 'null', param: {}, name: 'sm_label', inputs: [], backward_source_id: -1 },
      { op: 'Softmax', param: { grad_scale: '1' }, name: 'sm', inputs: [[6, 0], [7, 0]], backward_source_id: -1 },
    ],
    arg_nodes: [0, 1, 2, 4, 5, 7],
    heads: [[8, 0]],
  });

  test('pre-0.9 (param + attr, 2-element inputs, no version): aux added, keys upgraded, old names mapped', () => {
    const s = fromJSON(legacy, 'legacy.json');
    expect(s.listArguments()).toEqual(['data', 'fc_weight', 'fc_bias', 'bn_gamma', 'bn_beta', 'sm_label']);
    expect(s.listAuxiliaryStates()).toEqual(['bn_moving_mean', 'bn_moving_var']);
    expect(s.listOutputs()).toEqual(['sm_output']);
    const text = toJSON(s);
    expect(text).toContain('"op": "SoftmaxOutput"');
    expect(text).not.toContain('"Softmax"');
    const nodes = (JSON.parse(text) as { nodes: { name: string; attrs?: Record<string, string>; inputs: number[][] }[] }).nodes;
    const byName = (n: string) => nodes.find((x) => x.name === n)!;
    expect(byName('data').attrs).toEqual({ __ctx_group__: 'dev1', __lr_mult__: '0.5' });
    expect(byName('fc_bias').attrs).toEqual({ __wd_mult__: '0' });
    expect(byName('fc').attrs).toEqual({ no_bias: 'False', num_hidden: '4' });
    expect(byName('bn_moving_mean').attrs).toEqual({ eps: '0.001', fix_gamma: 'True', __init__: '["zero", {}]' });
    expect(byName('bn_moving_var').attrs).toEqual({ eps: '0.001', fix_gamma: 'True', __init__: '["one", {}]' });
    // Created by the upgrade, so version 0, as MXNet's re-saved files show.
    expect(byName('bn').inputs.slice(3).map((e) => e[2])).toEqual([0, 0]);
    expect(toJSON(fromJSON(text))).toBe(text);
  });

  test('0.9-0.11 (attr, 3-element inputs, node_row_ptr) and 1.x (attrs) of one graph load alike', () => {
    const nodes = [
      { op: 'null', name: 'x', inputs: [] },
      { op: 'null', name: 'y', inputs: [] },
      { op: '_Plus', name: '_plus0', inputs: [[0, 0, 0], [1, 0, 0]] },
      { op: 'null', name: 'lro_label', inputs: [] },
      { op: 'LinearRegressionOutput', name: 'lro', inputs: [[2, 0, 0], [3, 0, 0]], ATTRS: { grad_scale: '2' } },
    ];
    const as = (key: string, version: number) =>
      JSON.stringify({
        nodes: nodes.map(({ ATTRS, ...n }) => (ATTRS ? { ...n, [key]: ATTRS } : n)),
        arg_nodes: [0, 1, 3],
        node_row_ptr: [0, 1, 2, 3, 4, 5],
        heads: [[4, 0, 0]],
        attrs: { mxnet_version: ['int', version] },
      });
    const old = fromJSON(as('attr', 1100));
    const modern = fromJSON(as('attrs', 10400));
    expect(old.listArguments()).toEqual(['x', 'y', 'lro_label']);
    expect(toJSON(old)).toBe(toJSON(modern));
    expect(toJSON(old)).toContain('"op": "elemwise_add"');
    expect(modern.attr('grad_scale')).toBe('2');
  });

  test('hidden words: upgraded in files older than 1.9.1, kept as written in 1.9.1 files', () => {
    const withKey = (version: number) =>
      doc(
        [
          { op: 'null', name: 'a', inputs: [] },
          { op: 'null', name: 'a_lbl', inputs: [] },
          { op: 'LinearRegressionOutput', name: 'out', attrs: { lr_mult: '3', data_wd_mult: '2' }, inputs: [[0, 0, 0], [1, 0, 0]] },
        ],
        [[2, 0, 0]],
        v1x(version),
      );
    const upgraded = fromJSON(withKey(10600));
    expect(upgraded.listAttr()).toEqual({ __lr_mult__: '3', lr_mult: '3' });
    expect(upgraded.getInternals().get('a').attr('__wd_mult__')).toBe('2');
    const current = fromJSON(withKey(10901));
    expect(current.attr('lr_mult')).toBe('3');
    expect(current.attr('data_wd_mult')).toBe('2');
  });

  test('argmax axis "-1" is dropped for files before 0.9.5', () => {
    const text = (version: number) =>
      doc([{ op: 'null', name: 'x', inputs: [] }, { op: 'argmax', name: 'am', attrs: { axis: '-1' }, inputs: [[0, 0, 0]] }], [[1, 0, 0]], v1x(version));
    expect(fromJSON(text(904)).attr('axis')).toBeUndefined();
    expect(fromJSON(text(905)).attr('axis')).toBe('-1');
  });

  test('unknown extra attributes are kept and written back', () => {
    const s = fromJSON(doc([{ op: 'null', name: 'x', inputs: [] }, { op: 'sigmoid', name: 's', attrs: { my_note: 'keep me' }, inputs: [[0, 0, 0]] }], [[1, 0, 0]], v1x()));
    expect(s.attr('my_note')).toBe('keep me');
    expect(toJSON(s)).toContain('"attrs": {"my_note": "keep me"}');
  });

  test('duplicate node names are tolerated', () => {
    const s = fromJSON(doc([{ op: 'null', name: 'x', inputs: [] }, { op: 'null', name: 'x', inputs: [] }, { op: 'elemwise_add', name: 'x', inputs: [[0, 0, 0], [1, 0, 0]] }], [[2, 0, 0]], v1x()));
    expect(s.listArguments()).toEqual(['x', 'x']);
  });

  test('built graphs round-trip through JSON to the same text and lists', () => {
    const net = mlp();
    const back = fromJSON(toJSON(net));
    expect(back.listArguments()).toEqual(net.listArguments());
    expect(back.listOutputs()).toEqual(net.listOutputs());
    expect(toJSON(back)).toBe(toJSON(net));
  });
});

describe('fromJSON: untrusted input', () => {
  const good = () => JSON.parse(toJSON(mlp())) as { nodes: Record<string, unknown>[]; [k: string]: unknown };

  test('invalid JSON names the file and the offset', () => {
    expectFormatError('{"nodes": [}', /offset \d+.*not valid JSON/);
    expectFormatError('', /offset 0/);
  });

  test('structural problems name the file and the node', () => {
    const missingName = good();
    delete missingName.nodes[3]!['name'];
    expectFormatError(JSON.stringify(missingName), /node 3/);
    const forward = good();
    forward.nodes[3]!['inputs'] = [[4, 0, 0], [1, 0, 0], [2, 0, 0]];
    expectFormatError(JSON.stringify(forward), /node 3 input 0.*does not come before/);
    const badEntry = good();
    badEntry.nodes[3]!['inputs'] = [[0, 0, 0, 0], [1, 0, 0], [2, 0, 0]];
    expectFormatError(JSON.stringify(badEntry), /node 3 input 0/);
    const outOfRange = good();
    outOfRange.nodes[5]!['inputs'] = [[3, 7, 0], [4, 0, 0]];
    expectFormatError(JSON.stringify(outOfRange), /uses output 7 of node 3 'fc1', which has 1 outputs/);
    const strayField = good();
    strayField.nodes[0]!['weights'] = [];
    expectFormatError(JSON.stringify(strayField), /node 0: has an unknown field "weights"/);
    const notVariable = good();
    notVariable['arg_nodes'] = [0, 3];
    expectFormatError(JSON.stringify(notVariable), /arg_nodes.*node 3, which is not a variable/);
    const badAttr = good();
    badAttr.nodes[3]!['attrs'] = { num_hidden: 10 };
    expectFormatError(JSON.stringify(badAttr), /node 3 "attrs".*must be a string/);
    expectFormatError(JSON.stringify({ ...good(), extra: 1 }), /unknown field "extra"/);
    expectFormatError(JSON.stringify({ ...good(), heads: [] }), /heads/);
    expectFormatError('[1, 2]', /top level/);
  });

  test('bad parameters, missing inputs and unregistered ops name the node', () => {
    const badParam = good();
    badParam.nodes[3]!['attrs'] = { num_hidden: 'ten' };
    expectFormatError(JSON.stringify(badParam), /fc1.*num_hidden/);
    const fewInputs = good();
    fewInputs.nodes[3]!['inputs'] = [[0, 0, 0], [1, 0, 0]];
    expectFormatError(JSON.stringify(fewInputs), /node 3: FullyConnected has 2 inputs, it takes 3/);
    const unknownOp = good();
    unknownOp.nodes[3]!['op'] = 'NoSuchOp';
    expectFormatError(JSON.stringify(unknownOp), /node 3.*'NoSuchOp' \(node 3 'fc1'\)/);
  });

  test('a hostile variadic count cannot size an allocation', () => {
    const text = doc([{ op: 'null', name: 'x', inputs: [] }, { op: 'Concat', name: 'c', attrs: { num_args: '1000000000' }, inputs: [[0, 0, 0]] }], [[1, 0, 0]]);
    expectFormatError(text, /num_args=1000000000 but 1 inputs/);
  });

  test('unsupported control dependencies and subgraphs are reported, not ignored', () => {
    const deps = good();
    deps.nodes[3]!['control_deps'] = [0];
    expectFormatError(JSON.stringify(deps), /control dependencies/);
    const sub = good();
    sub.nodes[3]!['subgraphs'] = [{}];
    expectFormatError(JSON.stringify(sub), /subgraphs/);
  });

  test('__proto__ and constructor as node names and attribute keys are ordinary data', () => {
    // Written as text: an object literal would turn "__proto__" into a prototype.
    const text = `{"nodes": [
      {"op": "null", "name": "__proto__", "attrs": {"__proto__": "p", "constructor": "c", "toString": "t"}, "inputs": []},
      {"op": "null", "name": "constructor", "inputs": []},
      {"op": "elemwise_add", "name": "hasOwnProperty", "attrs": {"__proto__": "{\\"polluted\\": 1}"}, "inputs": [[0, 0, 0], [1, 0, 0]]}
    ], "arg_nodes": [0, 1], "heads": [[2, 0, 0]], "attrs": {"mxnet_version": ["int", 10600]}}`;
    const s = fromJSON(text);
    expect(s.listArguments()).toEqual(['__proto__', 'constructor']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    const written = toJSON(s);
    expect(written).toContain('"name": "__proto__"');
    expect(written).toContain('"__proto__": "p"');
    expect(s.getInternals().get('__proto__').attr('toString')).toBe('t');
    expect(toJSON(fromJSON(written))).toBe(written);
    expect(Object.prototype).not.toHaveProperty('polluted');
  });
});

/** Mutations of JSON text: character flips, deletions, truncations and inflated numbers. */
function mutatedText(base: string): fc.Arbitrary<string> {
  const at = fc.nat({ max: base.length - 1 });
  const chars = fc.constantFrom(...'{}[]",:0123456789-.e nul'.split(''));
  return fc.oneof(
    fc.tuple(at, chars).map(([i, c]) => base.slice(0, i) + c + base.slice(i + 1)),
    fc.tuple(at, fc.nat({ max: 40 })).map(([i, n]) => base.slice(0, i) + base.slice(i + n)),
    at.map((i) => base.slice(0, i)),
    fc.tuple(at, fc.constantFrom('4294967295', '4294967296', '1e9', '-1', '0.5', '99999999999999999999')).map(([i, big]) => {
      const m = /\d+/.exec(base.slice(i));
      return m ? base.slice(0, i + m.index) + big + base.slice(i + m.index + m[0].length) : base;
    }),
  );
}

function loadsOrFormatError(text: string): boolean {
  try {
    toJSON(fromJSON(text, 'mutant.json'));
    return true;
  } catch (err) {
    if (err instanceof mx.FormatError) return true;
    throw err;
  }
}

describe('fromJSON under mutation (fast-check)', () => {
  test('mutated mxts-written JSON either loads or throws FormatError', () => {
    const base = toJSON(sym.BatchNorm(mlp(), { name: 'bn' }));
    fc.assert(fc.property(mutatedText(base), loadsOrFormatError), { numRuns: 400, seed: 4 });
  });
});

describeSharedFiles('fromJSON under mutation of real files (fast-check)', () => {
  test.each(['apache-mxnet_save_000800-symbol.json', 'squeezenet-v1.2_model-symbol.json', 'fcrc-demo_lenet-symbol.json'])('%s: mutants load or throw FormatError', (file) => {
    const base = readSymbolText(file);
    fc.assert(fc.property(mutatedText(base), loadsOrFormatError), { numRuns: 200, seed: 7 });
  });
});
