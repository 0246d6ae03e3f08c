/**
 * `_random_pdf_X` (MXNet random/pdf_op.cc): the MXNet docstring examples, float64 closed forms on
 * seeded inputs (density and log density), numeric gradient checks, summed parameter gradients,
 * the all-or-nothing shape rule (fast-check), errors, aliases, and mx.nd / mx.sym agreement.
 */
import fc from 'fast-check';
import * as mx from 'mxts';
import { describeEachBackend } from '../../helpers/backends';
import { thrown } from '../../helpers/errors';
import { logGamma } from './statistics';

type Op = (...args: unknown[]) => mx.NDArray;
const nd = (op: string) => (mx.nd as unknown as Record<string, Op>)[op]!;
const sym = (op: string) => (mx.sym as unknown as Record<string, (...args: unknown[]) => mx.Symbol>)[op]!;
const DOC = { rtol: 1e-4, atol: 1e-6 }; // docstring values are printed to 4-8 digits
const F32 = { rtol: 1e-5, atol: 1e-6 };
const NUMERIC = { rtol: 1e-2, atol: 1e-3 };

/** Float64 log densities (scipy's closed forms; gamma with beta as a rate, as MXNet's density). */
const nbLog = (x: number, k: number, p: number) => logGamma(x + k) - logGamma(x + 1) - logGamma(k) + k * Math.log(p) + x * Math.log(1 - p);
const LOG_PDF: Record<string, (x: number, a: number, b: number) => number> = {
  uniform: (_x, lo, hi) => -Math.log(hi - lo),
  normal: (x, mu, s) => -((x - mu) ** 2) / (2 * s * s) - Math.log(Math.sqrt(2 * Math.PI) * s),
  gamma: (x, a, b) => a * Math.log(b) + (a - 1) * Math.log(x) - b * x - logGamma(a),
  exponential: (x, lam) => Math.log(lam) - lam * x,
  poisson: (x, lam) => x * Math.log(lam) - lam - logGamma(x + 1),
  negative_binomial: nbLog,
  generalized_negative_binomial: (x, mu, alpha) => nbLog(x, 1 / alpha, 1 / (mu * alpha + 1)),
};

interface Law {
  name: string;
  params: string[];
  /** Seeded parameter values in a range where the density is defined, and a sample maker. */
  draw: () => { params: mx.NDArray[]; sample: mx.NDArray };
  /** The sample gradient is MXNet's zero (discrete samples, and the uniform's flat density). */
  flatInSample: boolean;
}

const P_SHAPE = [2, 3];
const S_SHAPE = [2, 3, 4];
const u = (lo: number, hi: number, shape = P_SHAPE) => mx.nd.random.uniform(lo, hi, shape);
const counts = (hi: number) => mx.nd.array(Array.from(u(0, hi, S_SHAPE).data, Math.floor)).reshape(S_SHAPE);
const LAWS: Law[] = [
  { name: 'uniform', params: ['low', 'high'], flatInSample: true, draw: () => ({ params: [u(-2, 0), u(1, 3)], sample: u(0, 1, S_SHAPE) }) },
  { name: 'normal', params: ['mu', 'sigma'], flatInSample: false, draw: () => ({ params: [u(-1, 1), u(0.5, 2)], sample: u(-2, 2, S_SHAPE) }) },
  { name: 'gamma', params: ['alpha', 'beta'], flatInSample: false, draw: () => ({ params: [u(1.5, 4), u(0.5, 2)], sample: u(0.5, 4, S_SHAPE) }) },
  { name: 'exponential', params: ['lam'], flatInSample: false, draw: () => ({ params: [u(0.5, 2)], sample: u(0.1, 3, S_SHAPE) }) },
  { name: 'poisson', params: ['lam'], flatInSample: true, draw: () => ({ params: [u(0.5, 4)], sample: counts(6) }) },
  { name: 'negative_binomial', params: ['k', 'p'], flatInSample: true, draw: () => ({ params: [u(0.5, 4), u(0.2, 0.8)], sample: counts(6) }) },
  { name: 'generalized_negative_binomial', params: ['mu', 'alpha'], flatInSample: true, draw: () => ({ params: [u(0.5, 3), u(0.3, 1.5)], sample: counts(6) }) },
];

/** Dirichlet inputs: alpha (2, 3), sample (2, 4, 3) with rows on the simplex. */
function dirichletInputs(): { alpha: mx.NDArray; sample: mx.NDArray } {
  const raw = u(0.2, 1, [2, 4, 3]).data;
  const rows = Array.from({ length: 8 }, (_, r) => {
    const row = Array.from(raw.subarray(r * 3, r * 3 + 3));
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((v) => v / total);
  });
  return { alpha: u(0.5, 3), sample: mx.nd.array(rows.flat()).reshape([2, 4, 3]) };
}

function dirichletLogRef(x: ArrayLike<number>, alpha: ArrayLike<number>): number {
  let sum = 0;
  let total = 0;
  for (let j = 0; j < alpha.length; j++) {
    sum += (alpha[j]! - 1) * Math.log(x[j]!) - logGamma(alpha[j]!);
    total += alpha[j]!;
  }
  return sum + logGamma(total);
}

beforeEach(() => mx.random.seed(29));

describeEachBackend('_random_pdf_X values', () => {
  test('MXNet docstring examples (pdf_op.cc) for the scalar laws', () => {
    const a = mx.nd.array;
    const check = (op: string, inputs: mx.NDArray[], expected: number[][] | number[][][]) => mx.testUtils.assertAlmostEqual(nd(op)(...inputs), expected, DOC);
    check('random_pdf_uniform', [a([[1, 2, 3, 4]]), a([0]), a([10])], [[0.1, 0.1, 0.1, 0.1]]);
    check('random_pdf_uniform', [a([[[1, 2, 3], [1, 2, 3]], [[1, 2, 3], [1, 2, 3]]]), a([[0, 0], [0, 0]]), a([[5, 10], [15, 20]])],
      [[[0.2, 0.2, 0.2], [0.1, 0.1, 0.1]], [[1 / 15, 1 / 15, 1 / 15], [0.05, 0.05, 0.05]]]);
    check('random_pdf_normal', [a([[-2, -1, 0, 1, 2], [-2, -1, 0, 1, 2]]), a([0, 0]), a([1, 2])],
      [[0.05399097, 0.24197073, 0.3989423, 0.24197073, 0.05399097], [0.12098537, 0.17603266, 0.19947115, 0.17603266, 0.12098537]]);
    check('random_pdf_gamma', [a([[1, 2, 3, 4, 5], [2, 3, 4, 5, 6], [3, 4, 5, 6, 7]]), a([5, 6, 7]), a([1, 1, 1])], [
      [0.01532831, 0.09022352, 0.16803136, 0.19536681, 0.17546739],
      [0.03608941, 0.10081882, 0.15629345, 0.17546739, 0.16062315],
      [0.05040941, 0.10419563, 0.14622283, 0.16062315, 0.14900276],
    ]);
    check('random_pdf_exponential', [a([[1, 2, 3], [1, 2, 3], [1, 2, 3]]), a([1, 0.5, 0.25])],
      [[0.36787945, 0.13533528, 0.04978707], [0.30326533, 0.18393973, 0.11156508], [0.1947002, 0.15163267, 0.11809164]]);
    check('random_pdf_poisson', [a([[0, 1, 2, 3], [0, 1, 2, 3], [0, 1, 2, 3]]), a([1, 2, 3])], [
      [0.36787945, 0.36787945, 0.18393973, 0.06131324], [0.13533528, 0.27067056, 0.27067056, 0.18044704], [0.04978707, 0.14936121, 0.22404182, 0.22404182],
    ]);
    check('random_pdf_negative_binomial', [a([[1, 2, 3, 4], [1, 2, 3, 4]]), a([1, 1.5]), a([0.5, 0.5])],
      [[0.25, 0.125, 0.0625, 0.03125], [0.26516506, 0.16572815, 0.09667476, 0.05437956]]);
    check('random_pdf_generalized_negative_binomial', [a([[1, 2, 3, 4], [1, 2, 3, 4]]), a([1, 1.5]), a([1, 0.6666])],
      [[0.25, 0.125, 0.0625, 0.03125], [0.26517063, 0.16573331, 0.09667706, 0.05437994]]);
  });

  test('MXNet docstring examples for the Dirichlet law: (3, 2) samples of one law, then (2, 3, 3) samples', () => {
    const one = nd('random_pdf_dirichlet')(mx.nd.array([[1, 2], [2, 3], [3, 4]]), mx.nd.array([2.5, 2.5]));
    mx.testUtils.assertAlmostEqual(one, [38.413498, 199.60245, 564.56085], DOC);
    const sample = mx.nd.array([[[1, 2, 3], [10, 20, 30], [100, 200, 300]], [[0.1, 0.2, 0.3], [0.01, 0.02, 0.03], [0.001, 0.002, 0.003]]]);
    const many = nd('random_pdf_dirichlet')(sample, mx.nd.array([0.1, 0.4, 0.9]));
    mx.testUtils.assertAlmostEqual(many, [[2.3257459e-2, 5.8420084e-4, 1.4674458e-5], [9.2589635e-1, 3.6860607e1, 1.4674468e3]], DOC);
  });

  test.each(LAWS)('_random_pdf_$name on seeded (2, 3) parameters and (2, 3, 4) samples matches the float64 closed form, density and log', ({ name, draw }) => {
    const { params, sample } = draw();
    for (const isLog of [false, true]) {
      const out = nd(`_random_pdf_${name}`)(sample, ...params, { is_log: isLog });
      expect(out.shape).toEqual(S_SHAPE);
      const expected = Array.from(sample.data, (x, i) => {
        const d = Math.floor(i / 4);
        const logPdf = LOG_PDF[name]!(x, params[0]!.data[d]!, params[1]?.data[d] ?? 0);
        return isLog ? logPdf : Math.exp(logPdf);
      });
      mx.testUtils.assertAlmostEqual(out.data, expected, F32);
    }
  });

  test('_random_pdf_dirichlet on seeded (2, 3) alpha and (2, 4, 3) simplex samples matches the float64 closed form', () => {
    const { alpha, sample } = dirichletInputs();
    for (const isLog of [false, true]) {
      const out = nd('_random_pdf_dirichlet')(sample, alpha, { is_log: isLog });
      expect(out.shape).toEqual([2, 4]);
      const expected = Array.from({ length: 8 }, (_, i) => {
        const logPdf = dirichletLogRef(sample.data.subarray(i * 3, i * 3 + 3), alpha.data.subarray(Math.floor(i / 4) * 3, Math.floor(i / 4) * 3 + 3));
        return isLog ? logPdf : Math.exp(logPdf);
      });
      mx.testUtils.assertAlmostEqual(out.data, expected, F32);
    }
  });

  test('a single Dirichlet vector gives shape (1); sample shaped like its parameters gives one density each', () => {
    const single = nd('_random_pdf_dirichlet')(mx.nd.array([0.2, 0.3, 0.5]), mx.nd.array([1, 2, 3]));
    expect(single.shape).toEqual([1]);
    mx.testUtils.assertAlmostEqual(single.data, [Math.exp(dirichletLogRef([0.2, 0.3, 0.5], [1, 2, 3]))], F32);
    const same = nd('_random_pdf_normal')(mx.nd.array([0, 1]), mx.nd.array([0, 0]), mx.nd.array([1, 2]));
    mx.testUtils.assertAlmostEqual(same.data, [LOG_PDF['normal']!(0, 0, 1), LOG_PDF['normal']!(1, 0, 2)].map(Math.exp), F32);
  });

  test.each(LAWS)('_random_pdf_$name: mx.nd and mx.sym + bind agree, and the random_pdf_ alias is the same op', ({ name, params, draw }) => {
    const inputs = draw();
    const viaNd = nd(`_random_pdf_${name}`)(inputs.sample, ...inputs.params, { is_log: true });
    const args: Record<string, mx.Symbol | string | boolean> = { sample: mx.sym.Variable('sample'), name: 'pdf', is_log: true };
    params.forEach((p) => (args[p] = mx.sym.Variable(p)));
    const s = sym(`random_pdf_${name}`)(args);
    expect(s.listArguments()).toEqual(['sample', ...params]);
    expect(JSON.parse(s.toJSON()).nodes.at(-1).op).toBe(`_random_pdf_${name}`);
    const feed: Record<string, mx.NDArray> = { sample: inputs.sample };
    params.forEach((p, i) => (feed[p] = inputs.params[i]!));
    const [out] = s.bind(mx.cpu(), feed, { gradReq: 'null' }).forward();
    mx.testUtils.assertAlmostEqual(out!.data, viaNd.data, { rtol: 0, atol: 0 });
  });
});

describeEachBackend('_random_pdf_X gradients', () => {
  const symbolFor = (name: string, params: string[], isLog: boolean) => {
    const args: Record<string, mx.Symbol | boolean> = { sample: mx.sym.Variable('sample'), is_log: isLog };
    params.forEach((p) => (args[p] = mx.sym.Variable(p)));
    return sym(`_random_pdf_${name}`)(args);
  };

  test.each(LAWS)('_random_pdf_$name: numeric gradient check (density and log density)', ({ name, params, draw, flatInSample }) => {
    const inputs = draw();
    const location: Record<string, mx.NDArray> = { sample: inputs.sample };
    params.forEach((p, i) => (location[p] = inputs.params[i]!));
    for (const isLog of [false, true]) {
      // Counts are discrete: MXNet defines no sample gradient there, so only parameters are checked numerically.
      const gradNodes = name === 'poisson' || name.includes('negative_binomial') ? params : ['sample', ...params];
      mx.testUtils.checkNumericGradient(symbolFor(name, params, isLog), location, { ...NUMERIC, gradNodes });
      const exec = symbolFor(name, params, isLog).bind(mx.cpu(), location, { argsGrad: Object.fromEntries(Object.entries(location).map(([k, v]) => [k, mx.nd.zeros(v.shape)])) });
      exec.forward(true);
      exec.backward([mx.nd.ones(S_SHAPE)]);
      if (flatInSample) expect(Array.from(exec.gradDict['sample']!.data).every((g) => g === 0)).toBe(true);
    }
  });

  test('_random_pdf_dirichlet: numeric gradient check on simplex samples and alpha', () => {
    const { alpha, sample } = dirichletInputs();
    for (const isLog of [false, true]) {
      mx.testUtils.checkNumericGradient(symbolFor('dirichlet', ['alpha'], isLog), { sample, alpha }, NUMERIC);
    }
  });

  test("parameter gradients sum over a distribution's samples, and grad_req 'add' accumulates", () => {
    // d/dmu of sum_j log N(x_j; mu, 1) = sum_j (x_j - mu): for samples [1, 2, 4] and mu 0 that is 7.
    const s = symbolFor('normal', ['mu', 'sigma'], true);
    const args = { sample: mx.nd.array([[1, 2, 4]]), mu: mx.nd.array([0]), sigma: mx.nd.array([1]) };
    const grads = { sample: mx.nd.zeros([1, 3]), mu: mx.nd.array([1]), sigma: mx.nd.array([0]) };
    const exec = s.bind(mx.cpu(), args, { argsGrad: grads, gradReq: { sample: 'write', mu: 'add', sigma: 'write' } });
    exec.forward(true);
    exec.backward([mx.nd.ones([1, 3])]);
    mx.testUtils.assertAlmostEqual(exec.gradDict['mu']!.data, [1 + 7], F32);
    // d/dsigma = sum_j ((x_j - mu)^2 - 1) = 0 + 3 + 15; d/dx_j = mu - x_j.
    mx.testUtils.assertAlmostEqual(exec.gradDict['sigma']!.data, [18], F32);
    mx.testUtils.assertAlmostEqual(exec.gradDict['sample']!.data, [-1, -2, -4], F32);
  });
});

describe('_random_pdf_X shapes and errors', () => {
  const normal = () => mx.sym._random_pdf_normal({ sample: mx.sym.Variable('x'), mu: mx.sym.Variable('mu'), sigma: mx.sym.Variable('sigma'), name: 'pdf' });
  const dirichlet = () => mx.sym._random_pdf_dirichlet({ sample: mx.sym.Variable('x'), alpha: mx.sym.Variable('alpha'), name: 'pdf' });

  test('property: parameters of shape P and samples of shape P + T give out.shape = P + T (Dirichlet: P[:-1] + T, k last)', () => {
    const dims = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 });
    fc.assert(fc.property(dims, fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }), (p, t) => {
      const inferred = normal().inferShape({ x: [...p, ...t], mu: p, sigma: p });
      expect(inferred.outShapes).toEqual([[...p, ...t]]);
      const k = p[p.length - 1]!;
      const lead = p.slice(0, -1);
      const sample = [...lead, ...t, k];
      const vector = dirichlet().inferShape({ x: sample, alpha: sample.slice(0, p.length - 1).concat([k]) });
      expect(vector.outShapes).toEqual([sample.length === 1 ? [1] : sample.slice(0, -1)]);
    }));
  });

  test('nothing is inferred until every input shape is known (MXNet PdfOpShape)', () => {
    const partial = normal().inferShapePartial({ x: [2, 3], mu: [2] });
    expect(partial.argShapes).toEqual([[2, 3], [2], null]);
    expect(partial.outShapes).toEqual([null]);
  });

  test('mismatched parameters, too few sample dimensions and a wrong leading sub-shape are shape errors naming the argument', () => {
    expect(() => normal().inferShape({ x: [2, 3], mu: [2], sigma: [3] })).toThrow("_random_pdf_normal 'pdf': sigma shape [3] does not match mu [2]");
    expect(thrown(() => normal().inferShape({ x: [2], mu: [2, 1], sigma: [2, 1] }))).toBeInstanceOf(mx.ShapeError);
    expect(() => normal().inferShape({ x: [2], mu: [2, 1], sigma: [2, 1] })).toThrow(/_random_pdf_normal 'pdf': sample has 1 dimensions, fewer than mu \[2,1\]/);
    expect(() => normal().inferShape({ x: [3, 4], mu: [2], sigma: [2] })).toThrow("_random_pdf_normal 'pdf': mu shape [2] must be [3] (the leading sub-shape of sample [3,4])");
    expect(() => dirichlet().inferShape({ x: [2, 5, 3], alpha: [2, 4] })).toThrow(/alpha shape \[2,4\] must be \[2,3\]/);
    expect(() => nd('_random_pdf_exponential')(mx.nd.array([[1, 2]]), mx.nd.array([1, 2]))).toThrow(mx.ShapeError);
  });

  test('is_log must be a boolean; unknown parameters are refused with a suggestion', () => {
    const e = thrown(() => nd('_random_pdf_gamma')(mx.nd.array([1]), mx.nd.array([1]), mx.nd.array([1]), { is_log: 'maybe' }));
    expect(e).toBeInstanceOf(mx.ParamError);
    expect(e.message).toMatch(/_random_pdf_gamma.*is_log must be a boolean/);
    expect(() => nd('_random_pdf_gamma')(mx.nd.array([1]), mx.nd.array([1]), mx.nd.array([1]), { islog: true })).toThrow(/did you mean 'is_log'/);
    // JSON stores the flag as a string.
    mx.testUtils.assertAlmostEqual(nd('_random_pdf_exponential')(mx.nd.array([1]), mx.nd.array([1]), { is_log: 'True' }).data, [-1], F32);
  });
});
