/**
 * Every op of the family computes the same through mx.nd and through mx.sym + bind, and its
 * parameters survive MXNet's symbol JSON: string forms as JSON stores them ("None", "True",
 * "(0, 5)", "clip") parse back to the same computation.
 */
import * as mx from 'mxts';
import { describeEachBackend } from '../../helpers/backends';

const EXACT = { rtol: 0, atol: 0 };

beforeEach(() => mx.random.seed(89));

test('topk, take, pick, norm, moments, diag and _histogram round-trip through toJSON/fromJSON', () => {
  const x = mx.sym.Variable('x');
  const i = mx.sym.Variable('i');
  const heads = mx.sym.Group([
    mx.sym.topk({ data: x, axis: 'None', k: '3', ret_typ: 'both', is_ascend: 'True' }),
    mx.sym.take({ a: x, indices: i, axis: '1', mode: 'wrap' }),
    mx.sym.pick({ data: x, index: i, axis: '-1', keepdims: 'False' }),
    mx.sym.norm({ data: x, ord: '1', axis: '(0, 1)', keepdims: 'True' }),
    mx.sym.moments({ data: x, axes: '(1,)' }),
    mx.sym.diag({ data: x, k: '-1' }),
    mx.sym._histogram({ data: x, bin_cnt: '4', range: '(-1, 1)' }),
  ]);
  const again = mx.sym.fromJSON(heads.toJSON());
  expect(again.listOutputs()).toEqual(heads.listOutputs());
  const args = { x: mx.nd.random.uniform(-1, 1, [3, 3]), i: mx.nd.array([2, -1, 0]) };
  const before = heads.bind(mx.cpu(), args, { gradReq: 'null' }).forward();
  const after = again.bind(mx.cpu(), args, { gradReq: 'null' }).forward();
  expect(after.length).toBe(before.length);
  after.forEach((out, k) => mx.testUtils.assertAlmostEqual(out, before[k]!, EXACT));
  const node = JSON.parse(heads.toJSON()).nodes.find((n: { op: string }) => n.op === 'topk');
  expect(node.attrs).toMatchObject({ axis: 'None', k: '3', ret_typ: 'both', is_ascend: 'True' });
});

/** [op, inputs by name, params]: one case per op, inputs seeded below. */
type Case = [string, Record<string, number[]>, Record<string, unknown>];

const CASES: Case[] = [
  ['take', { a: [4, 3], indices: [2, 2] }, { axis: 1, mode: 'wrap' }],
  ['batch_take', { a: [4, 3], indices: [4] }, {}],
  ['pick', { data: [4, 3], index: [4] }, { axis: 1, keepdims: true }],
  ['gather_nd', { data: [4, 3], indices: [2, 5] }, {}],
  ['scatter_nd', { data: [5], indices: [2, 5] }, { shape: [4, 3] }],
  ['topk', { data: [4, 3] }, { k: 2, ret_typ: 'both', axis: 0 }],
  ['sort', { data: [4, 3] }, { is_ascend: false }],
  ['argsort', { data: [4, 3] }, { axis: 'None' }],
  ['argmin', { data: [4, 3] }, { axis: 0, keepdims: true }],
  ['argmax_channel', { data: [4, 3] }, {}],
  ['prod', { data: [4, 3] }, { axis: 1 }],
  ['nansum', { data: [4, 3] }, { axis: 0 }],
  ['nanprod', { data: [4, 3] }, {}],
  ['norm', { data: [4, 3] }, { ord: 1, axis: 1 }],
  ['moments', { data: [4, 3] }, { axes: [0] }],
  ['add_n', { arg0: [4, 3], arg1: [4, 3] }, { num_args: 2 }],
  ['diag', { data: [4, 3] }, { k: 1 }],
  ['khatri_rao', { arg0: [4, 3], arg1: [2, 3] }, { num_args: 2 }],
  ['_histogram', { data: [4, 3] }, { bin_cnt: 3, range: [-1, 1] }],
  ['_contrib_index_array', { data: [4, 3] }, { axes: [1] }],
  ['_contrib_index_copy', { old_tensor: [4, 3], index_vector: [2], new_tensor: [2, 3] }, {}],
  ['_contrib_allclose', { a: [4, 3], b: [4, 3] }, { atol: 2 }],
];

/** Seeded values; index-like inputs get small integers that are valid for every case above. */
function valuesFor(name: string, shape: number[]): mx.NDArray {
  const u = mx.nd.random.uniform(-1, 1, shape);
  if (!['indices', 'index', 'index_vector'].includes(name)) return u;
  return mx.nd.array(Array.from(u.data, (v, i) => (name === 'index_vector' ? [3, 1][i]! : Math.floor((v + 1) * 1.5))), { shape });
}

describeEachBackend('mx.nd and mx.sym + bind agree', () => {
  test.each(CASES)('%s', (op, shapes, params) => {
    const inputs = Object.fromEntries(Object.entries(shapes).map(([name, shape]) => [name, valuesFor(name, shape)]));
    const nd = (mx.nd as unknown as Record<string, (...args: unknown[]) => mx.NDArray | mx.NDArray[]>)[op]!({ ...inputs, ...params });
    const ndOutputs = Array.isArray(nd) ? nd : [nd];
    const vars = Object.fromEntries(Object.keys(shapes).map((name) => [name, mx.sym.Variable(name)]));
    const s = (mx.sym as unknown as Record<string, (...args: unknown[]) => mx.Symbol>)[op]!({ ...vars, ...params });
    const outputs = s.bind(mx.cpu(), inputs, { gradReq: 'null' }).forward();
    expect(outputs.length).toBe(ndOutputs.length);
    outputs.forEach((out, k) => mx.testUtils.assertAlmostEqual(out, ndOutputs[k]!, EXACT));
  });
});
