/**
 * Optimizers against float64 references written here from MXNet's update formulas
 * (optimizer.py + optimizer_op-inl.h, 1.x), over several steps with seeded gradients.
 */
import { ValueError } from '../../src/base/errors';
import { nextFloat, seed } from '../../src/base/random';
import { NDArray } from '../../src/ndarray/ndarray';
import { sym } from '../../src/symbol/index';
import * as opt from '../../src/optimizer/index';
import { expectClose } from '../helpers/close';

const N = 64;
const STEPS = 6;
const TOL = { rtol: 1e-4, atol: 1e-6 };

function draws(n: number, scale: number): number[] {
  return Array.from({ length: n }, () => (nextFloat() * 2 - 1) * scale);
}

interface Case {
  w0: number[];
  grads: number[][];
}

function makeCase(): Case {
  seed(11);
  return { w0: draws(N, 1), grads: Array.from({ length: STEPS }, () => draws(N, 3)) };
}

/** Runs the optimizer through the case on one parameter and returns the final weights. */
function run(optimizer: opt.Optimizer, c: Case, name = 'fc_weight'): Float32Array {
  const weight = new NDArray(Float32Array.from(c.w0), [N]);
  const updater = opt.getUpdater(optimizer);
  for (const g of c.grads) updater.call(name, new NDArray(Float32Array.from(g), [N]), weight);
  return weight.data;
}

const clip = (x: number, c: number | null) => (c ? Math.min(Math.max(x, -c), c) : x);

describe('each optimizer matches a float64 reference over several steps', () => {
  const c = makeCase();
  const hp = { learningRate: 0.1, wd: 0.01, rescaleGrad: 0.5, clipGradient: 1.0 };

  test('SGD without momentum: w = (1 - lr wd) w - lr clip(rg g)', () => {
    const w = c.w0.slice();
    for (const g of c.grads) for (let i = 0; i < N; i++) w[i] = (1 - hp.learningRate * hp.wd) * w[i]! - hp.learningRate * clip(hp.rescaleGrad * g[i]!, hp.clipGradient);
    expectClose(run(new opt.SGD(hp), c), w, TOL.rtol, TOL.atol);
  });

  test('SGD with momentum: mom = m mom - lr wd w - lr g; w += mom', () => {
    const w = c.w0.slice();
    const mom = new Array<number>(N).fill(0);
    for (const g of c.grads) {
      for (let i = 0; i < N; i++) {
        mom[i] = 0.9 * mom[i]! - hp.learningRate * hp.wd * w[i]! - hp.learningRate * clip(hp.rescaleGrad * g[i]!, hp.clipGradient);
        w[i]! += mom[i]!;
      }
    }
    expectClose(run(new opt.SGD({ ...hp, momentum: 0.9 }), c), w, TOL.rtol, TOL.atol);
  });

  test('NAG (nag_mom_update): m = mu mom; w = w - m + (1 + mu)(m - d); mom = m - d, d = lr (g + wd w)', () => {
    const w = c.w0.slice();
    const mom = new Array<number>(N).fill(0);
    for (const g of c.grads) {
      for (let i = 0; i < N; i++) {
        const m = 0.9 * mom[i]!;
        const d = hp.learningRate * (clip(hp.rescaleGrad * g[i]!, hp.clipGradient) + hp.wd * w[i]!);
        w[i] = w[i]! - m + 1.9 * (m - d);
        mom[i] = m - d;
      }
    }
    expectClose(run(new opt.NAG({ ...hp, momentum: 0.9 }), c), w, TOL.rtol, TOL.atol);
  });

  test('NAG keeps lr inside the momentum: with a changing rate it follows the C++ op, not the old Python rule', async () => {
    const { MultiFactorScheduler } = await import('../../src/lr_scheduler');
    const w = c.w0.slice();
    const mom = new Array<number>(N).fill(0);
    c.grads.forEach((g, k) => {
      const lr = k + 1 > 2 ? 0.01 : 0.1; // rate drops after update 2
      for (let i = 0; i < N; i++) {
        const m = 0.9 * mom[i]!;
        const d = lr * g[i]!;
        w[i] = w[i]! - m + 1.9 * (m - d);
        mom[i] = m - d;
      }
    });
    const nag = new opt.NAG({ learningRate: 0.1, momentum: 0.9, lrScheduler: new MultiFactorScheduler({ step: [2], factor: 0.1 }) });
    expectClose(run(nag, c), w, TOL.rtol, TOL.atol);
  });

  test('NAG without momentum is SGD', () => {
    expectClose(run(new opt.NAG(hp), c), run(new opt.SGD(hp), c), 0, 0);
  });

  test('Adam: bias-corrected lr, decay added before clipping', () => {
    const w = c.w0.slice();
    const m = new Array<number>(N).fill(0);
    const v = new Array<number>(N).fill(0);
    const [b1, b2, eps, lr] = [0.9, 0.999, 1e-8, 0.01];
    c.grads.forEach((g, k) => {
      const t = k + 1;
      const lrT = (lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
      for (let i = 0; i < N; i++) {
        const gi = clip(hp.rescaleGrad * g[i]! + hp.wd * w[i]!, hp.clipGradient);
        m[i] = b1 * m[i]! + (1 - b1) * gi;
        v[i] = b2 * v[i]! + (1 - b2) * gi * gi;
        w[i] = w[i]! - (lrT * m[i]!) / (Math.sqrt(v[i]!) + eps);
      }
    });
    expectClose(run(new opt.Adam({ ...hp, learningRate: lr }), c), w, TOL.rtol, TOL.atol);
  });

  test('Adam defaults: lr 0.001, beta1 0.9, beta2 0.999, epsilon 1e-8', () => {
    const a = new opt.Adam();
    expect([a.learningRate, a.beta1, a.beta2, a.epsilon]).toEqual([0.001, 0.9, 0.999, 1e-8]);
  });

  test('RMSProp: n = (1-g1) g^2 + g1 n; w -= lr g / sqrt(n + eps); clipWeights', () => {
    const w = c.w0.slice();
    const n = new Array<number>(N).fill(0);
    const [g1, eps, lr, cw] = [0.9, 1e-8, 0.01, 0.8];
    for (const g of c.grads) {
      for (let i = 0; i < N; i++) {
        const gi = clip(hp.rescaleGrad * g[i]! + hp.wd * w[i]!, hp.clipGradient);
        n[i] = (1 - g1) * gi * gi + g1 * n[i]!;
        w[i] = clip(w[i]! - (lr * gi) / Math.sqrt(n[i]! + eps), cw);
      }
    }
    expectClose(run(new opt.RMSProp({ ...hp, learningRate: lr, clipWeights: cw }), c), w, TOL.rtol, TOL.atol);
  });

  test('RMSProp centered (Graves): delta = g2 delta - lr g / sqrt(n - s^2 + eps); w += delta', () => {
    const w = c.w0.slice();
    const n = new Array<number>(N).fill(0);
    const s = new Array<number>(N).fill(0);
    const d = new Array<number>(N).fill(0);
    const [g1, g2, eps, lr] = [0.95, 0.9, 1e-8, 0.01];
    for (const g of c.grads) {
      for (let i = 0; i < N; i++) {
        const gi = clip(hp.rescaleGrad * g[i]! + hp.wd * w[i]!, hp.clipGradient);
        n[i] = (1 - g1) * gi * gi + g1 * n[i]!;
        s[i] = (1 - g1) * gi + g1 * s[i]!;
        d[i] = g2 * d[i]! - (lr * gi) / Math.sqrt(n[i]! - s[i]! * s[i]! + eps);
        w[i]! += d[i]!;
      }
    }
    expectClose(run(new opt.RMSProp({ ...hp, learningRate: lr, gamma1: g1, gamma2: g2, centered: true }), c), w, TOL.rtol, TOL.atol);
  });

  test('AdaGrad: h += g^2; w -= lr (g / sqrt(h + eps) + wd w)', () => {
    const w = c.w0.slice();
    const h = new Array<number>(N).fill(0);
    for (const g of c.grads) {
      for (let i = 0; i < N; i++) {
        const gi = clip(hp.rescaleGrad * g[i]!, hp.clipGradient);
        h[i]! += gi * gi;
        w[i] = w[i]! - hp.learningRate * (gi / Math.sqrt(h[i]! + 1e-7) + hp.wd * w[i]!);
      }
    }
    expectClose(run(new opt.AdaGrad(hp), c), w, TOL.rtol, TOL.atol);
  });

  test('clipGradient 0 means no clipping (MXNet tests it for truth), except in AdaGrad which clips to 0', () => {
    expectClose(run(new opt.SGD({ learningRate: 0.1, clipGradient: 0 }), c), run(new opt.SGD({ learningRate: 0.1 }), c), 0, 0);
    expectClose(run(new opt.AdaGrad({ learningRate: 0.1, clipGradient: 0 }), c), c.w0, 1e-7, 0);
  });
});

describe('learning-rate and weight-decay multipliers', () => {
  const one = () => new NDArray(Float32Array.from([1]), [1]);

  test('names not ending in _weight or _gamma get no weight decay when the optimizer knows the names', () => {
    const sgd = new opt.SGD({ learningRate: 0.5, wd: 0.1, paramIdx2Name: ['fc_weight', 'fc_bias', 'bn_gamma'] });
    expect(sgd.wdMult).toEqual({ fc_bias: 0 });
    const w = one();
    const b = one();
    const zero = () => new NDArray(new Float32Array(1), [1]);
    sgd.update(0, w, zero(), []);
    sgd.update(1, b, zero(), []);
    expect(w.data[0]).toBeCloseTo(1 - 0.5 * 0.1, 6);
    expect(b.data[0]).toBe(1);
  });

  test('__lr_mult__ and __wd_mult__ variable attributes scale lr and wd', () => {
    const w = sym.Variable('w', { lr_mult: 2, wd_mult: 0 });
    const net = sym.broadcast_mul(w, sym.Variable('x'));
    const sgd = new opt.SGD({ learningRate: 0.1, wd: 0.5, sym: net });
    expect(sgd.lrMult).toEqual({ w: 2 });
    expect(sgd.wdMult).toEqual({ w: 0 });
    const weight = one();
    sgd.update('w', weight, one(), []);
    expect(weight.data[0]).toBeCloseTo(1 - 0.2, 6);
    sgd.setLrMult({ w: 1 });
    sgd.update('w', weight, one(), []);
    expect(weight.data[0]).toBeCloseTo(0.8 - 0.1, 6);
  });

  test('update counts are per parameter; numUpdate is their maximum', () => {
    const sgd = new opt.SGD({ beginNumUpdate: 3 });
    sgd.update('a', one(), one(), []);
    sgd.update('a', one(), one(), []);
    sgd.update('b', one(), one(), []);
    expect(sgd.numUpdate).toBe(5);
  });

  test('a scheduler sets the rate from numUpdate and takes the optimizer rate as its base', async () => {
    const { FactorScheduler } = await import('../../src/lr_scheduler');
    const sched = new FactorScheduler({ step: 2, factor: 0.5 });
    const sgd = new opt.SGD({ learningRate: 1, lrScheduler: sched });
    const w = new NDArray(new Float32Array(1), [1]);
    const rates: number[] = [];
    for (let k = 0; k < 5; k++) {
      const before = w.data[0]!;
      sgd.update('w', w, one(), []);
      rates.push(before - w.data[0]!);
    }
    expect(rates).toEqual([1, 1, 0.5, 0.5, 0.25]);
    expect(() => (sgd.learningRate = 3)).toThrow(ValueError);
  });
});

describe('create and bad input', () => {
  test('create takes MXNet snake_case or camelCase parameters, case-insensitive names', () => {
    const sgd = opt.create('SGD', { learning_rate: 0.2, momentum: 0.9, rescale_grad: 0.25 }) as opt.SGD;
    expect(sgd).toBeInstanceOf(opt.SGD);
    expect([sgd.learningRate, sgd.momentum, sgd.rescaleGrad]).toEqual([0.2, 0.9, 0.25]);
    expect(opt.create('adam', { learningRate: 0.1 }).learningRate).toBe(0.1);
    expect(opt.create('rmsprop')).toBeInstanceOf(opt.RMSProp);
    expect(opt.create('adagrad')).toBeInstanceOf(opt.AdaGrad);
    expect(opt.create('nag')).toBeInstanceOf(opt.NAG);
    const a = new opt.Adam();
    expect(opt.create(a)).toBe(a);
  });

  test('an unknown optimizer lists the known ones; an unknown parameter is named', () => {
    expect(() => opt.create('adamw')).toThrow("optimizer.create: name 'adamw' is not a known optimizer (did you mean 'adam'?); known optimizers are adagrad, adam, nag, rmsprop, sgd");
    expect(() => opt.create('sgd', { learning_rat: 0.1 })).toThrow(/learning_rat is not a parameter of sgd \(did you mean 'learningRate'\?\)/);
    expect(() => opt.create('adam', { momentum: 0.9 })).toThrow(/optimizer.create: momentum is not a parameter of adam; it takes learningRate, /);
  });

  test('bad hyper-parameters and mismatched gradients are ValueErrors', () => {
    expect(() => new opt.SGD({ learningRate: NaN })).toThrow(ValueError);
    expect(() => new opt.SGD({ momentum: 1.5 })).toThrow(ValueError);
    expect(() => new opt.Adam({ beta1: 1 })).toThrow(ValueError);
    expect(() => new opt.RMSProp({ epsilon: 0 })).toThrow(ValueError);
    const w = new NDArray(new Float32Array(2), [2]);
    expect(() => new opt.SGD().update('w', w, new NDArray(new Float32Array(3), [3]), [])).toThrow('SGD: grad of w has shape [3] but the weight has [2]');
  });
});
