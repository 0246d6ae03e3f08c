/**
 * Fuzzing the symbol-JSON loader (mx.sym.fromJSON) and what a loaded graph is used for next
 * (listing, shape inference, simpleBind, forward). Documents are built from MXNet's structure
 * with hostile parts: counts and dims made huge, negative, NaN, fractional or strings; node
 * inputs cyclic, dangling or duplicated; unknown ops, attributes and fields; then the text is
 * sometimes truncated or has characters flipped.
 */
import fc from 'fast-check';
import * as mx from 'mxts';
import { FUZZ_RUNS, fuzzParams, hostileName, hostileNumber, hostileNumberText, newStats, report, runCase, withFuzzBudget } from './harness';

/** Ops a generated graph uses: input count (or the parameter holding it) and valid parameter values. */
const OP_SPECS: Readonly<Record<string, { inputs: number | 'num_args'; params: Record<string, readonly string[]> }>> = {
  FullyConnected: { inputs: 3, params: { num_hidden: ['1', '4', '8'] } },
  Activation: { inputs: 1, params: { act_type: ['relu', 'tanh', 'sigmoid'] } },
  elemwise_add: { inputs: 2, params: {} },
  SliceChannel: { inputs: 1, params: { num_outputs: ['1', '2'], axis: ['0', '1', '-1'] } },
  Convolution: { inputs: 3, params: { kernel: ['(1,1)', '(3,3)', '(1)'], num_filter: ['1', '2'], pad: ['(0,0)', '(1,1)'] } },
  Flatten: { inputs: 1, params: {} },
  _copy: { inputs: 1, params: {} },
  Reshape: { inputs: 1, params: { shape: ['(-1,)', '(0,-1)', '(2,-1)'] } },
  broadcast_to: { inputs: 1, params: { shape: ['(2,3)', '(0,4)'] } },
  Concat: { inputs: 'num_args', params: { num_args: ['1', '2', '3'], dim: ['0', '1'] } },
  Pooling: { inputs: 1, params: { kernel: ['(2,2)', '(1,1)'], pool_type: ['max', 'avg'] } },
  Dropout: { inputs: 1, params: { p: ['0', '0.5'] } },
  SoftmaxOutput: { inputs: 2, params: { multi_output: ['False', 'True'] } },
  sum: { inputs: 1, params: { axis: ['()', '0', '(0,1)'] } },
};
const OP_NAMES = Object.keys(OP_SPECS);

/** One op of a generated graph: which op, parameter values (valid or hostile), where each input comes from. */
const opPlan = fc.record({
  op: fc.constantFrom(...OP_NAMES),
  values: fc.array(fc.oneof({ weight: 5, arbitrary: fc.nat() }, { weight: 1, arbitrary: hostileNumberText }), { minLength: 4, maxLength: 4 }),
  /** Per input slot: a new variable (-1) or the output of an earlier op (k picks which). */
  sources: fc.array(fc.integer({ min: -1, max: 5 }), { minLength: 3, maxLength: 3 }),
  variableHint: fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: hostileNumberText.map((t) => (t.startsWith('(') ? t : `(${t}, 2)`)) }),
});

type Doc = { nodes: { op: string; name: string; inputs: unknown[]; attrs?: Record<string, string> }[]; arg_nodes: number[]; heads: unknown[]; attrs: unknown };

/** A well-formed MXNet document from the plan (variables created for free input slots). */
type OpPlan = typeof opPlan extends fc.Arbitrary<infer T> ? T : never;

function buildDocument(plans: readonly OpPlan[]): Doc {
  const nodes: Doc['nodes'] = [];
  const argNodes: number[] = [];
  const opIds: number[] = [];
  plans.forEach((plan, k) => {
    const spec = OP_SPECS[plan.op]!;
    const attrs: Record<string, string> = {};
    Object.entries(spec.params).forEach(([key, choices], i) => {
      const v = plan.values[i % plan.values.length]!;
      attrs[key] = typeof v === 'number' ? choices[v % choices.length]! : v;
    });
    const count = spec.inputs === 'num_args' ? Math.max(0, Math.min(3, Number.parseInt(attrs['num_args'] ?? '1', 10) || 0)) : spec.inputs;
    const inputs = Array.from({ length: count }, (_, slot) => {
      const source = plan.sources[slot % plan.sources.length]!;
      if (source >= 0 && opIds.length > 0) return [opIds[source % opIds.length]!, 0, 0];
      const id = nodes.length;
      nodes.push({ op: 'null', name: `op${k}_in${slot}`, inputs: [], ...(plan.variableHint ? { attrs: { __shape__: plan.variableHint } } : {}) });
      argNodes.push(id);
      return [id, 0, 0];
    });
    opIds.push(nodes.length);
    nodes.push({ op: plan.op, name: `op${k}`, inputs, attrs });
  });
  return { nodes, arg_nodes: argNodes, heads: [[opIds[opIds.length - 1]!, 0, 0]], attrs: { mxnet_version: ['int', 10901] } };
}

/** Structural damage: inputs made cyclic, dangling or duplicated, unknown ops, attributes and fields, absurd counts. */
const damage = fc.oneof(
  { weight: 6, arbitrary: fc.constant((doc: Doc) => doc) },
  { weight: 1, arbitrary: fc.tuple(fc.nat(), fc.integer({ min: 0, max: 3 })).map(([at, delta]) => (doc: Doc) => {
    const node = doc.nodes[at % doc.nodes.length]!;
    if (node.inputs.length > 0) node.inputs[0] = [at % doc.nodes.length + delta, 0, 0]; // itself or a later node: a cycle
    return doc;
  }) },
  { weight: 1, arbitrary: fc.tuple(fc.nat(), hostileNumber, hostileNumber).map(([at, id, index]) => (doc: Doc) => {
    const node = doc.nodes[at % doc.nodes.length]!;
    if (node.inputs.length > 0) node.inputs[node.inputs.length - 1] = [id, index, 0]; // dangling or absurd
    return doc;
  }) },
  { weight: 1, arbitrary: fc.nat().map((at) => (doc: Doc) => {
    const node = doc.nodes[at % doc.nodes.length]!;
    if (node.inputs.length > 1) node.inputs[1] = node.inputs[0]; // duplicated input
    else node.inputs.push(...node.inputs); // one input more than the op takes
    return doc;
  }) },
  { weight: 1, arbitrary: fc.tuple(fc.nat(), fc.oneof(fc.constantFrom('NoSuchOp', '__proto__', 'constructor', 'null', ''), fc.string({ maxLength: 6 }))).map(([at, op]) => (doc: Doc) => {
    doc.nodes[at % doc.nodes.length]!.op = op;
    return doc;
  }) },
  { weight: 1, arbitrary: fc.tuple(fc.nat(), hostileName, hostileNumberText).map(([at, key, value]) => (doc: Doc) => {
    const node = doc.nodes[at % doc.nodes.length]!;
    node.attrs = Object.assign(Object.create(null), node.attrs ?? {}, { [key]: value });
    return doc;
  }) },
  { weight: 1, arbitrary: fc.tuple(fc.nat(), fc.constantFrom('num_outputs', 'num_hidden', 'num_args', 'num_filter', 'kernel', 'shape'), fc.constantFrom('1000000000', '4294967297', '1e300', '-1', '(1000000,1000000)', '(100000)')).map(([at, key, value]) => (doc: Doc) => {
    const node = doc.nodes[at % doc.nodes.length]!;
    if (node.op !== 'null') node.attrs = { ...(node.attrs ?? {}), [key]: value };
    return doc;
  }) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('arg_nodes', 'heads', 'attrs', 'node_row_ptr', 'extra'), fc.anything({ maxDepth: 2 })).map(([key, value]) => (doc: Doc) => {
    (doc as unknown as Record<string, unknown>)[key] = value;
    return doc;
  }) },
);

const documentArb = fc.tuple(fc.array(opPlan, { minLength: 1, maxLength: 6 }), fc.array(damage, { maxLength: 2 })).map(([plans, hits]) => hits.reduce((doc, hit) => hit(doc), buildDocument(plans)));

/** The text, perhaps truncated, with characters flipped, or with a chunk repeated. */
const mutatedText = documentArb.chain((doc) => {
  const text = JSON.stringify(doc);
  return fc.oneof(
    { weight: 4, arbitrary: fc.constant(text) },
    { weight: 1, arbitrary: fc.nat({ max: text.length }).map((k) => text.slice(0, k)) },
    { weight: 1, arbitrary: fc.array(fc.tuple(fc.nat({ max: text.length - 1 }), fc.constantFrom('"', '[', ']', '{', '}', ',', '0', '9', '-', 'e', ':', ' ', 'x')), { minLength: 1, maxLength: 4 }).map((flips) => {
      const chars = [...text];
      for (const [at, ch] of flips) chars[at] = ch;
      return chars.join('');
    }) },
  );
});

/** Shapes a caller might give for a loaded graph's arguments. */
const shapesFor = (names: readonly string[]) =>
  fc.tuple(
    ...names.map(() =>
      fc.oneof(
        { weight: 3, arbitrary: fc.constant(undefined) },
        { weight: 3, arbitrary: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 3 }) },
        { weight: 1, arbitrary: fc.oneof(fc.array(hostileNumber, { maxLength: 3 }), hostileNumber, fc.string({ maxLength: 3 })) },
      ),
    ),
  );

describe(`fuzz: symbol JSON loader (${FUZZ_RUNS} cases)`, () => {
  withFuzzBudget();
  const stats = newStats();
  const shapeStats = newStats();
  afterAll(() => {
    report('symbol JSON', stats);
    report('symbol JSON argument shapes', shapeStats);
  });

  test('only MXNetErrors escape; cases end in time; no prototype is touched', () => {
    fc.assert(
      fc.property(mutatedText, fc.infiniteStream(fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 4 })), (text, shapeStream) => {
        runCase(stats, () => {
          const net = mx.sym.fromJSON(text, 'fuzz.json');
          net.listOutputs();
          net.listAuxiliaryStates();
          net.toJSON();
          // The first argument (the data) gets a shape; inference decides the weights.
          const args = net.listArguments();
          const shapes = args.length > 0 ? { [args[0]!]: shapeStream.next().value as number[] } : {};
          net.inferShapePartial(shapes);
          const exec = net.simpleBind(mx.cpu(), { shapes, gradReq: 'write' });
          exec.forward(true);
        });
      }),
      fuzzParams(1),
    );
  });

  test('a loaded graph with hostile argument shapes (huge, negative, NaN, strings)', () => {
    const json = mx.sym.SoftmaxOutput(mx.sym.FullyConnected(mx.sym.Variable('data'), { num_hidden: 3, name: 'fc' }), { name: 'sm' }).toJSON();
    const net = mx.sym.fromJSON(json);
    const names = net.listArguments();
    fc.assert(
      fc.property(shapesFor(names), (shapes) => {
        runCase(shapeStats, () => {
          const record = Object.fromEntries(names.flatMap((n, i) => (shapes[i] === undefined ? [] : [[n, shapes[i]]]))) as Record<string, number[]>;
          net.inferShapePartial(record);
          net.simpleBind(mx.cpu(), { shapes: record }).forward(false);
        });
      }),
      fuzzParams(2),
    );
  });
});
