/**
 * _contrib_hawkesll: the golden values of MXNet's tests/python/unittest/test_contrib_hawkesll.py
 * (forward, multivariate, backward, single mark), a float64 reference written from the model's
 * definition (intensity and compensator, no state recursion), numeric gradients, shape errors.
 */
import * as mx from 'mxts';
import { describeEachBackend } from '../../helpers/backends';

const GOLDEN = { rtol: 1e-5, atol: 1e-8 }; // numpy.allclose defaults, as MXNet's test

function hawkes(mu: mx.NDArray, alpha: number[], beta: number[], lags: number[][], marks: number[][], valid: number[], maxTime: number[], states?: mx.NDArray) {
  const [n, k] = mu.shape as [number, number];
  return mx.nd._contrib_hawkesll(mu, mx.nd.array(alpha), mx.nd.array(beta), states ?? mx.nd.zeros([n, k]), mx.nd.array(lags), mx.nd.array(marks), mx.nd.array(valid), mx.nd.array(maxTime)) as mx.NDArray[];
}

/**
 * log L of sample i straight from the definition: sum over points of log(lda_c + alpha_c beta_c sum_{earlier j, same mark}
 * exp(-beta_c (t - t_j))) minus, per mark, the integral of the intensity over (0, T]; zero initial state.
 */
function logLikelihoodRef(lda: number[], alpha: number[], beta: number[], lags: number[], marks: number[], valid: number, maxTime: number): number {
  const times: number[] = [];
  lags.slice(0, valid).reduce((t, lag) => (times.push(t + lag), t + lag), 0);
  let ll = 0;
  times.forEach((t, j) => {
    const c = marks[j]!;
    let excite = 0;
    for (let e = 0; e < j; e++) if (marks[e] === c) excite += alpha[c]! * beta[c]! * Math.exp(-beta[c]! * (t - times[e]!));
    ll += Math.log(lda[c]! + excite);
  });
  lda.forEach((mu, c) => {
    ll -= mu * maxTime;
    times.forEach((t, j) => {
      if (marks[j] === c) ll -= alpha[c]! * (1 - Math.exp(-beta[c]! * (maxTime - t)));
    });
  });
  return ll;
}

describeEachBackend('_contrib_hawkesll', () => {
  test('MXNet test_hawkesll_output_ok: one mark, valid lengths 1..4', () => {
    const [ll, state] = hawkes(mx.nd.tile(mx.nd.array([1.5, 2.0, 3.0]), { reps: [4, 1] }), [0.2, 0.3, 0.4], [1, 2, 3],
      [[6, 7, 8, 9], [1, 2, 3, 4], [3, 4, 5, 6], [8, 9, 10, 11]], [[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]], [1, 2, 3, 4], [100, 100, 100, 100]);
    mx.testUtils.assertAlmostEqual(ll!, [-649.79453489, -649.57118596, -649.38025115, -649.17811484], GOLDEN);
    expect(state!.shape).toEqual([4, 3]);
  });

  test('MXNet test_hawkesll_output_multivariate_ok: three marks, valid lengths 7 and 9', () => {
    const [ll] = hawkes(mx.nd.tile(mx.nd.array([1.5, 2.0, 3.0]), { reps: [2, 1] }), [0.2, 0.3, 0.4], [2, 2, 2],
      [[6, 7, 8, 9, 3, 2, 5, 1, 7], [1, 2, 3, 4, 2, 1, 2, 1, 4]], [[0, 1, 2, 1, 0, 2, 1, 0, 2], [1, 2, 0, 0, 0, 2, 2, 1, 0]], [7, 9], [100, 100]);
    mx.testUtils.assertAlmostEqual(ll!, [-647.01240372, -646.28617272], GOLDEN);
  });

  test('MXNet test_hawkesll_forward_single_mark: -148.4815', () => {
    const [ll] = hawkes(mx.nd.array([[1.5]]), [0.2], [1], [[6, 7, 8, 3, 2, 1, 7]], [[0, 0, 0, 0, 0, 0, 0]], [7], [100]);
    mx.testUtils.assertAlmostEqual(ll!, [-148.4815], { rtol: 1e-5, atol: 1e-5 });
  });

  test('MXNet test_hawkesll_backward_correct: d mu, d alpha, d beta through tile', () => {
    const s = mx.sym._contrib_hawkesll(mx.sym.tile(mx.sym.Variable('mu'), { reps: [2, 1] }), mx.sym.Variable('alpha'), mx.sym.Variable('beta'),
      mx.sym.Variable('state'), mx.sym.Variable('lags'), mx.sym.Variable('marks'), mx.sym.Variable('valid_length'), mx.sym.Variable('max_time')).get(0);
    const exec = s.bind(mx.cpu(), {
      mu: mx.nd.array([1.5, 2.0, 3.0]), alpha: mx.nd.array([0.2, 0.3, 0.4]), beta: mx.nd.array([2, 2, 2]), state: mx.nd.zeros([2, 3]),
      lags: mx.nd.array([[6, 7, 8, 9, 3, 2, 5, 1, 7], [1, 2, 3, 4, 2, 1, 2, 1, 4]]), marks: mx.nd.array([[0, 0, 0, 1, 0, 0, 1, 2, 0], [1, 2, 0, 0, 0, 2, 2, 1, 0]]),
      valid_length: mx.nd.array([9, 9]), max_time: mx.nd.array([100, 100]),
    }, { gradReq: { mu: 'write', alpha: 'write', beta: 'write', state: 'null', lags: 'null', marks: 'null', valid_length: 'null', max_time: 'null' } });
    exec.forward(true);
    exec.backward([mx.nd.ones([2])]);
    mx.testUtils.assertAlmostEqual(exec.gradDict['mu']!, [-193.33987481, -198.0, -198.66828681], GOLDEN);
    mx.testUtils.assertAlmostEqual(exec.gradDict['alpha']!, [-9.95093892, -4.0, -3.98784892], GOLDEN);
    mx.testUtils.assertAlmostEqual(exec.gradDict['beta']!, [-1.49052169e-02, -5.87469511e-09, -7.29065224e-03], { rtol: 1e-4, atol: 1e-8 });
  });

  test('MXNet test_hawkesll_backward_single_mark: sum of d beta = -0.05371582', () => {
    const s = mx.sym._contrib_hawkesll(mx.sym.Variable('mu'), mx.sym.Variable('alpha'), mx.sym.Variable('beta'), mx.sym.Variable('state'),
      mx.sym.Variable('lags'), mx.sym.Variable('marks'), mx.sym.Variable('valid_length'), mx.sym.Variable('max_time')).get(0);
    const exec = s.bind(mx.cpu(), {
      mu: mx.nd.array([[1.5]]), alpha: mx.nd.array([0.2]), beta: mx.nd.array([1]), state: mx.nd.zeros([1, 1]), lags: mx.nd.array([[6, 7, 8, 3, 2, 1, 7]]),
      marks: mx.nd.zeros([1, 7]), valid_length: mx.nd.array([7]), max_time: mx.nd.array([40]),
    }, { gradReq: { mu: 'write', alpha: 'null', beta: 'write', state: 'null', lags: 'null', marks: 'null', valid_length: 'null', max_time: 'null' } });
    exec.forward(true);
    exec.backward([mx.nd.ones([1])]);
    mx.testUtils.assertAlmostEqual(exec.gradDict['beta']!, [-0.05371582], { rtol: 1e-5, atol: 1e-7 });
  });

  test('seeded sequences match the float64 definition; out_state is the decayed excitation at max_time', () => {
    mx.random.seed(3);
    const [n, k, t] = [3, 2, 6];
    const lda = mx.nd.random.uniform(0.5, 2, [n, k]);
    const alpha = [0.3, 0.6];
    const beta = [1.5, 0.7];
    const lags = Array.from({ length: n }, () => Array.from(mx.nd.random.uniform(0.1, 1, [t]).data));
    const marks = Array.from({ length: n }, (_, i) => Array.from({ length: t }, (_, j) => (i + j * j) % k));
    const valid = [6, 3, 0];
    const [ll, state] = hawkes(lda, alpha, beta, lags, marks, valid, [5, 5, 5]);
    const expected = lags.map((row, i) => logLikelihoodRef(Array.from(lda.data.subarray(i * k, i * k + k)), alpha, beta, row, marks[i]!, valid[i]!, 5));
    mx.testUtils.assertAlmostEqual(ll!, expected, { rtol: 1e-5, atol: 1e-5 });
    const stateRef = lags.flatMap((row, i) => [0, 1].map((c) => {
      let time = 0;
      let excitation = 0;
      row.slice(0, valid[i]).forEach((lag, j) => {
        time += lag;
        if (marks[i]![j] === c) excitation += Math.exp(-beta[c]! * (5 - time));
      });
      return excitation;
    }));
    mx.testUtils.assertAlmostEqual(state!.data, stateRef, { rtol: 1e-5, atol: 1e-6 });
  });

  test('numeric gradients of lda, alpha and beta (log likelihood output)', () => {
    mx.random.seed(9);
    const names = ['lda', 'alpha', 'beta', 'state', 'lags', 'marks', 'valid_length', 'max_time'];
    const s = mx.sym._contrib_hawkesll(...names.map((name) => mx.sym.Variable(name))).get(0);
    const location = {
      lda: mx.nd.random.uniform(0.5, 1.5, [2, 2]), alpha: mx.nd.array([0.4, 0.7]), beta: mx.nd.array([1.2, 0.8]), state: mx.nd.array([[0.5, 0], [0, 1]]),
      lags: mx.nd.array([[0.3, 0.5, 0.2, 0.9], [1, 0.1, 0.4, 0.6]]), marks: mx.nd.array([[0, 1, 0, 0], [1, 1, 0, 1]]),
      valid_length: mx.nd.array([4, 3]), max_time: mx.nd.array([3, 4]),
    };
    mx.testUtils.checkNumericGradient(s, location, { rtol: 1e-2, atol: 1e-3, gradNodes: ['lda', 'alpha', 'beta'] });
  });
});

describe('_contrib_hawkesll shapes', () => {
  const s = () => mx.sym._contrib_hawkesll(...['lda', 'alpha', 'beta', 'state', 'lags', 'marks', 'valid_length', 'max_time'].map((name) => mx.sym.Variable(name)), { name: 'h' });
  const good = { lda: [2, 3], alpha: [3], beta: [3], state: [2, 3], lags: [2, 5], marks: [2, 5], valid_length: [2], max_time: [2] };

  test('outputs (N,) and (N, K) named output and out_state; mx.nd and mx.sym + bind agree', () => {
    expect(s().inferShape(good).outShapes).toEqual([[2], [2, 3]]);
    expect(s().listOutputs()).toEqual(['h_output', 'h_out_state']);
    mx.random.seed(4);
    const args = {
      lda: mx.nd.random.uniform(0.5, 1, [2, 3]), alpha: mx.nd.array([0.1, 0.2, 0.3]), beta: mx.nd.array([1, 2, 3]), state: mx.nd.random.uniform(0, 1, [2, 3]),
      lags: mx.nd.random.uniform(0, 1, [2, 5]), marks: mx.nd.array([[0, 1, 2, 1, 0], [2, 2, 1, 0, 0]]), valid_length: mx.nd.array([5, 2]), max_time: mx.nd.array([6, 6]),
    };
    const nd = mx.nd._contrib_hawkesll(...Object.values(args)) as mx.NDArray[];
    const outs = s().bind(mx.cpu(), args).forward();
    for (const k of [0, 1]) mx.testUtils.assertAlmostEqual(outs[k]!.data, nd[k]!.data, { rtol: 0, atol: 0 });
  });

  test('inconsistent N, K or T and wrong ranks are shape errors naming the input', () => {
    expect(() => s().inferShape({ ...good, alpha: [2] })).toThrow("_contrib_hawkesll 'h': alpha shape [2] must be [3] (N = 2 samples, K = 3 marks, T = 5 points from lda and lags)");
    expect(() => s().inferShape({ ...good, marks: [2, 4] })).toThrow(/marks shape \[2,4\] must be \[2,5\]/);
    expect(() => s().inferShape({ ...good, max_time: [2, 1] })).toThrow(/max_time must be 1-d/);
  });
});
