/**
 * Issue 12 items 1 and 4: counts and sizes chosen by files or callers are checked before any work
 * or allocation that grows with them (mx.config limits, ResourceError naming node, shape, bytes).
 */
import * as mx from 'mxts';
import { thrown } from '../helpers/errors';

/** A symbol JSON with one SliceChannel node whose outputs are all heads. */
function sliceChannelJson(numOutputs: string, heads = 1): string {
  return JSON.stringify({
    nodes: [
      { op: 'null', name: 'x', inputs: [] },
      { op: 'SliceChannel', name: 'split', attrs: { num_outputs: numOutputs }, inputs: [[0, 0, 0]] },
    ],
    arg_nodes: [0],
    heads: Array.from({ length: heads }, (_, k) => [1, k, 0]),
  });
}

afterEach(() => mx.config.reset());

describe('declared output counts (item 1)', () => {
  test('a small file declaring 10^9 outputs is a ResourceError, not a fatal out-of-memory', () => {
    const text = sliceChannelJson('1000000000');
    expect(text.length).toBeLessThan(200);
    const started = Date.now();
    const err = thrown(() => mx.sym.fromJSON(text));
    expect(err).toBeInstanceOf(mx.ResourceError);
    expect(err.node).toBe('split');
    expect(err.message).toContain('1000000000 outputs');
    expect(err.message).toContain('maxOutputs');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  test('the limit is generic: mx.nd and mx.sym calls are checked too, and mx.config.set moves it', () => {
    expect(thrown(() => mx.sym.split(mx.sym.Variable('x'), { num_outputs: 2e9 }))).toBeInstanceOf(mx.ResourceError);
    expect(thrown(() => mx.nd.split(mx.nd.ones([2, 4]), { num_outputs: 2e9 }))).toBeInstanceOf(mx.ResourceError);
    mx.config.set({ maxOutputs: 3 });
    expect(thrown(() => mx.sym.split(mx.sym.Variable('x'), { num_outputs: 4 }))).toBeInstanceOf(mx.ResourceError);
    expect(mx.sym.split(mx.sym.Variable('x'), { num_outputs: 3 }).listOutputs()).toHaveLength(3);
  });

  test('10,000 and 20,000 outputs load, infer and list in linear time (was 3.6 s and 33 s)', () => {
    const timings: number[] = [];
    for (const n of [10000, 20000]) {
      const started = Date.now();
      const net = mx.sym.fromJSON(sliceChannelJson(String(n), n));
      const { outShapes } = net.inferShape({ x: [2, n] });
      expect(outShapes).toHaveLength(n);
      expect(net.listOutputs()[n - 1]).toBe(`split_output${n - 1}`);
      expect(net.get(`split_output${n - 1}`).listOutputs()).toEqual([`split_output${n - 1}`]);
      timings.push(Date.now() - started);
    }
    expect(timings[0]!).toBeLessThan(1500);
    expect(timings[1]!).toBeLessThan(3000);
  });
});

test('20,000 variables sharing one name: shape inference is linear (the name index was rebuilt per variable)', () => {
  const n = 20000;
  const nodes = [...Array.from({ length: n }, () => ({ op: 'null', name: 'x', inputs: [] })), { op: 'add_n', name: 'sum', attrs: { num_args: String(n) }, inputs: Array.from({ length: n }, (_, k) => [k, 0, 0]) }];
  const net = mx.sym.fromJSON(JSON.stringify({ nodes, arg_nodes: Array.from({ length: n }, (_, k) => k), heads: [[n, 0, 0]] }));
  const started = Date.now();
  expect(net.inferShape({ x: [2] }).outShapes).toEqual([[2]]);
  expect(Date.now() - started).toBeLessThan(3000);
});

describe('byte budget (item 4)', () => {
  test('mx.nd.zeros([1e5, 1e5]) is a ResourceError with shape and bytes', () => {
    const err = thrown(() => mx.nd.zeros([1e5, 1e5])) as mx.ResourceError;
    expect(err).toBeInstanceOf(mx.ResourceError);
    expect(err.shape).toEqual([1e5, 1e5]);
    expect(err.bytes).toBe(4e10);
    expect(err.message).toMatch(/^zeros: shape \[100000,100000\] needs 40000000000 bytes/);
  });

  test('every creation function checks the budget before allocating', () => {
    mx.config.set({ maxBytes: 1024 });
    for (const create of [
      () => mx.nd.zeros([257]),
      () => mx.nd.ones([257]),
      () => mx.nd.full([257], 2),
      () => mx.nd.empty([16, 17]),
      () => mx.nd.arange(0, 257),
      () => mx.nd.arange(0, 65, 1, { repeat: 4 }),
      () => mx.nd.array(new Float32Array(257)),
      () => mx.nd.array(Array.from({ length: 257 }, () => 0)),
      () => mx.nd.random.uniform(0, 1, [257]),
      () => mx.nd.broadcast_to(mx.nd.ones([1]), { shape: [257] }),
    ]) {
      expect(thrown(create)).toBeInstanceOf(mx.ResourceError);
    }
    expect(mx.nd.zeros([256]).size).toBe(256);
  });

  test('simpleBind with a [1e6, 1e6] input names the argument', () => {
    const err = thrown(() => mx.sym.Variable('x').simpleBind(mx.cpu(), { shapes: { x: [1e6, 1e6] } })) as mx.ResourceError;
    expect(err).toBeInstanceOf(mx.ResourceError);
    expect(err.node).toBe('x');
    expect(err.shape).toEqual([1e6, 1e6]);
    expect(err.bytes).toBe(4e12);
  });

  test('FullyConnected with num_hidden 2e9 names the weight', () => {
    const net = mx.sym.FullyConnected(mx.sym.Variable('data'), { num_hidden: 2e9, name: 'fc' });
    const err = thrown(() => net.simpleBind(mx.cpu(), { shapes: { data: [2, 3] } })) as mx.ResourceError;
    expect(err).toBeInstanceOf(mx.ResourceError);
    expect(err.node).toBe('fc_weight');
    expect(err.shape).toEqual([2e9, 3]);
  });

  test('a huge intermediate output is refused at bind, naming the node', () => {
    mx.config.set({ maxBytes: 4096 });
    const net = mx.sym.broadcast_to(mx.sym.Variable('x'), { shape: [100, 100], name: 'big' });
    const err = thrown(() => net.bind(mx.cpu(), { x: mx.nd.ones([1, 1]) })) as mx.ResourceError;
    expect(err).toBeInstanceOf(mx.ResourceError);
    expect(err.node).toBe('big');
    expect(err.bytes).toBe(40000);
    expect(thrown(() => net.simpleBind(mx.cpu(), { shapes: { x: [1, 1] } }))).toBeInstanceOf(mx.ResourceError);
  });

  test('mx.config: get, set (validated) and MXTS_MAX_BYTES', () => {
    const defaults = mx.config.get();
    expect(defaults.maxBytes).toBeGreaterThan(2 ** 30);
    expect(thrown(() => mx.config.set({ maxBytes: -1 }))).toBeInstanceOf(mx.ValueError);
    expect(thrown(() => mx.config.set({ maxBytes: 1.5 }))).toBeInstanceOf(mx.ValueError);
    expect(thrown(() => mx.config.set({ maxBites: 10 } as never))).toBeInstanceOf(mx.ValueError);
    mx.config.set({ maxBytes: 100 });
    expect(mx.config.get().maxBytes).toBe(100);
    process.env['MXTS_MAX_BYTES'] = '2048';
    try {
      mx.config.reset();
      expect(mx.config.get().maxBytes).toBe(2048);
      expect(thrown(() => mx.nd.zeros([513]))).toBeInstanceOf(mx.ResourceError);
      process.env['MXTS_MAX_BYTES'] = 'lots';
      mx.config.reset();
      expect(thrown(() => mx.config.get())).toBeInstanceOf(mx.ValueError);
    } finally {
      delete process.env['MXTS_MAX_BYTES'];
      mx.config.reset();
    }
    expect(mx.config.get().maxBytes).toBe(defaults.maxBytes);
  });
});

describe('nesting depth and dimensions (item 7)', () => {
  test('a 100,000-deep nested list is a ResourceError, not a stack overflow', () => {
    let deep: mx.NestedArray = 1;
    for (let i = 0; i < 100000; i++) deep = [deep];
    const err = thrown(() => mx.nd.array(deep));
    expect(err).toBeInstanceOf(mx.ResourceError);
    expect(err.message).toContain('maxNdim');
  });

  test('a shape with more than maxNdim dimensions is refused', () => {
    expect(thrown(() => mx.nd.zeros(new Array(65).fill(1)))).toBeInstanceOf(mx.ResourceError);
    expect(mx.nd.zeros(new Array(64).fill(1)).ndim).toBe(64);
  });
});

describe('cases the fuzz campaign found', () => {
  test('toArray of an empty array with a huge dimension (read from a .params file) is a ResourceError, not a RangeError', () => {
    const empty = new mx.NDArray(new Float32Array(0), [1, 2 ** 40, 0]);
    const err = thrown(() => empty.toArray()) as mx.ResourceError;
    expect(err).toBeInstanceOf(mx.ResourceError);
    expect(err.shape).toEqual([1, 2 ** 40, 0]);
    expect(new mx.NDArray(new Float32Array(0), [2, 0]).toArray()).toEqual([[], []]);
  });

  test('printing a float16-tagged array holding values below float16 subnormals ends (it looped forever)', () => {
    // Such values print as (signed) zero: below float16's smallest subnormal, 2^-24.
    const a = mx.nd.array([-2.3e-17, 1, 1e-30], { dtype: 'float16' });
    const text = String(a);
    expect(text).toMatch(/^array\(\[-0\.(e\+00)?, +1\.(e\+00)?, +0\.(e\+00)?\], dtype=float16\)$/);
  });
});
