/**
 * Every linalg op through both front ends: `mx.nd.X` equals `mx.sym.X` + bind bit for bit, and
 * the backward honours gradReq 'add' (the gradient lands on top of what the array held).
 */
import * as mx from 'mxts';
import { describeEachBackend } from '../../helpers/backends';
import { F32 } from '../../helpers/close';
import { cholesky, identity, plus, randomMatrix, randomSpd, scale, type Mat } from './reference';

interface Case {
  readonly op: string;
  readonly inputs: () => Record<string, Mat[] | number[][]>;
  readonly params?: Record<string, unknown>;
}

const wellConditioned = (n: number): Mat => plus(randomMatrix(n, n), scale(identity(n), 2));
const lowerFactor = (n: number): Mat => cholesky(randomSpd(n));
const distinctSymmetric = (): Mat => [[2, 0.3, -0.2], [0.3, 0.5, 0.1], [-0.2, 0.1, -1.5]];

const CASES: readonly Case[] = [
  { op: 'linalg_gemm', inputs: () => ({ A: [randomMatrix(2, 3)], B: [randomMatrix(3, 4)], C: [randomMatrix(2, 4)] }), params: { alpha: 2, beta: -1 } },
  { op: 'linalg_gemm2', inputs: () => ({ A: [randomMatrix(3, 2)], B: [randomMatrix(3, 4)] }), params: { transpose_a: true } },
  { op: 'linalg_potrf', inputs: () => ({ A: [randomSpd(3)] }) },
  { op: 'linalg_potri', inputs: () => ({ A: [lowerFactor(3)] }) },
  { op: 'linalg_trsm', inputs: () => ({ A: [wellConditioned(3)], B: [randomMatrix(3, 2)] }), params: { transpose: true } },
  { op: 'linalg_trmm', inputs: () => ({ A: [wellConditioned(3)], B: [randomMatrix(2, 3)] }), params: { rightside: true, lower: false } },
  { op: 'linalg_syrk', inputs: () => ({ A: [randomMatrix(2, 3)] }), params: { transpose: true, alpha: 0.5 } },
  { op: 'linalg_gelqf', inputs: () => ({ A: [randomMatrix(2, 3)] }) },
  { op: '_linalg_syevd', inputs: () => ({ A: [distinctSymmetric()] }) },
  { op: 'linalg_inverse', inputs: () => ({ A: [wellConditioned(3)] }) },
  { op: 'linalg_det', inputs: () => ({ A: [wellConditioned(3)] }) },
  { op: 'linalg_slogdet', inputs: () => ({ A: [wellConditioned(3)] }) },
  { op: 'linalg_sumlogdiag', inputs: () => ({ A: [randomSpd(3)] }) },
  { op: 'linalg_extractdiag', inputs: () => ({ A: [randomMatrix(3, 3)] }), params: { offset: -1 } },
  { op: 'linalg_makediag', inputs: () => ({ A: [[1, 2, 3]] }), params: { offset: 1 } },
  { op: 'linalg_extracttrian', inputs: () => ({ A: [randomMatrix(3, 3)] }), params: { lower: false } },
  { op: 'linalg_maketrian', inputs: () => ({ A: [[1, 2, 3, 4, 5, 6]] }), params: { offset: -1 } },
];

const ndOps = mx.nd as unknown as Record<string, (...args: unknown[]) => mx.NDArray | mx.NDArray[]>;
const symOps = mx.sym as unknown as Record<string, (...args: unknown[]) => mx.Symbol>;

beforeEach(() => mx.random.seed(29));

describeEachBackend('linalg ops through both front ends', () => {
  test.each(CASES.map((c) => [c.op, c] as const))('%s: mx.nd equals mx.sym + bind', (_name, c) => {
    const inputs = c.inputs();
    const names = Object.keys(inputs);
    const arrays = names.map((n) => mx.nd.array(inputs[n]!));
    const viaNd = ndOps[c.op]!(...arrays, c.params ?? {});
    const symbol = symOps[c.op]!(...names.map((n) => mx.sym.Variable(n)), c.params ?? {});
    const viaSym = symbol.bind(mx.cpu(), Object.fromEntries(names.map((n, i) => [n, arrays[i]!]))).forward();
    const ndList = Array.isArray(viaNd) ? viaNd : [viaNd];
    expect(viaSym.length).toBe(ndList.length);
    ndList.forEach((out, i) => mx.testUtils.assertAlmostEqual(viaSym[i]!, out, { rtol: 0, atol: 0 }));
  });

  test.each(CASES.map((c) => [c.op, c] as const))("%s: gradReq 'add' adds the 'write' gradient", (_name, c) => {
    const inputs = c.inputs();
    const names = Object.keys(inputs);
    const symbol = symOps[c.op]!(...names.map((n) => mx.sym.Variable(n)), c.params ?? {});
    const location = Object.fromEntries(names.map((n) => [n, mx.nd.array(inputs[n]!)]));
    const probe = symbol.bind(mx.cpu(), location);
    const heads = probe.forward().map((out) => mx.nd.random.uniform(-1, 1, out.shape));
    const exec = symbol.bind(mx.cpu(), location, { gradReq: 'write' });
    exec.forward(true);
    exec.backward(heads);
    const written = Object.fromEntries(names.map((n) => [n, exec.gradDict[n]!.toArray() as number[][]]));
    mx.testUtils.checkSymbolicBackward(symbol, location, heads.map((h) => h.toArray() as number[]), written, { ...F32, gradReq: 'add' });
  });
});
