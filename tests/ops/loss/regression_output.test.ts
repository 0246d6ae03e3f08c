import fc from 'fast-check';
import { ParamError, ShapeError } from '../../../src/base/errors';
import { seed } from '../../../src/base/random';
import { nd, NDArray } from '../../../src/ndarray/index';
import { regressionOutputOps } from '../../../src/ops/loss/regression_output';
import { parseParams } from '../../../src/ops/params';
import { getOp } from '../../../src/ops/registry';
import { applyShapeRule, shapeSite } from '../../../src/ops/shape_rule';
import type { AnyOpDef, Req } from '../../../src/ops/types';
import { numericGradient } from '../../../src/test_utils/numeric';
import { expectClose, F32, NUMERIC } from '../../helpers/close';
import { testContext } from '../../helpers/backends';

type Name = 'LinearRegressionOutput' | 'LogisticRegressionOutput' | 'MAERegressionOutput';
const NAMES: Name[] = ['LinearRegressionOutput', 'LogisticRegressionOutput', 'MAERegressionOutput'];
const CTX = testContext();

const opDef = (name: Name): AnyOpDef => regressionOutputOps.find((d) => d.name === name)!;
const forward = (name: Name, data: NDArray, label: NDArray, given: Record<string, unknown> = {}) => nd[name](data, label, given);

interface BackwardOptions { req?: Req; grad?: NDArray; gradScale?: number }

function backward(name: Name, data: NDArray, label: NDArray, options: BackwardOptions = {}): NDArray {
  const given = options.gradScale === undefined ? {} : { grad_scale: options.gradScale };
  const def = opDef(name);
  const out = forward(name, data, label, given);
  const grad = options.grad ?? nd.zeros(data.shape);
  const io = { inputs: [data, label], outputs: [out], outGrads: [nd.full(out.shape, 5)] };
  def.backward!.compute(parseParams(def.params, given, { op: name }), io, [grad, null], [options.req ?? 'write', 'null'], CTX);
  return grad;
}

/** Float64 formulas of reference 2.2/2.3: forward f and the unscaled gradient B(out, label). */
const REFERENCE: Record<Name, { f: (x: number) => number; b: (out: number, label: number) => number }> = {
  LinearRegressionOutput: { f: (x) => x, b: (o, l) => o - l },
  LogisticRegressionOutput: { f: (x) => 1 / (1 + Math.exp(-x)), b: (o, l) => o - l },
  MAERegressionOutput: { f: (x) => x, b: (o, l) => (o > l ? 1 : -1) },
};

beforeEach(() => seed(7));

describe('regression outputs: definitions', () => {
  it.each(NAMES)('%s is registered with inputs data, label, output `output`, grad_scale 1, no head gradient, no label gradient', (name) => {
    const def = opDef(name);
    const p = parseParams(def.params, {}, { op: name });
    expect(getOp(name)).toBe(def);
    expect(p).toEqual({ grad_scale: 1 });
    expect(def.inputs(p)).toEqual(['data', 'label']);
    expect(def.outputs(p)).toEqual(['output']);
    expect(def.backward!.usesOutGrads).toBe(false);
    expect([0, 1].map((i) => def.backward!.differentiable!(p, i))).toEqual([true, false]);
  });
});

describe('regression outputs: golden values', () => {
  it('blog experiment 1: Logistic(ones(3,4), zeros(3,4)) = 0.7310586, grad 0.7310586 / 4 = 0.18276465', () => {
    expectClose(forward('LogisticRegressionOutput', nd.ones([3, 4]), nd.zeros([3, 4])).data, new Array(12).fill(0.7310586), F32.rtol, F32.atol);
    expectClose(backward('LogisticRegressionOutput', nd.ones([3, 4]), nd.zeros([3, 4])).data, new Array(12).fill(0.18276465), F32.rtol, F32.atol);
  });

  it('blog experiment 2: Logistic(ones+0.3, zeros+0.2) = 0.78583497, grad 0.1464587', () => {
    const [m, n] = [nd.full([3, 4], 1.3), nd.full([3, 4], 0.2)];
    expectClose(forward('LogisticRegressionOutput', m, n).data, new Array(12).fill(0.78583497), F32.rtol, F32.atol);
    expectClose(backward('LogisticRegressionOutput', m, n).data, new Array(12).fill(0.1464587), F32.rtol, F32.atol);
  });

  it('blog comparisons: Linear gives 1 / 0.25 and 1.3 / 0.275; MAE gives +0.25 both times and -0.25 at equality', () => {
    expectClose(forward('LinearRegressionOutput', nd.ones([3, 4]), nd.zeros([3, 4])).data, new Array(12).fill(1), 0, 0);
    expectClose(backward('LinearRegressionOutput', nd.ones([3, 4]), nd.zeros([3, 4])).data, new Array(12).fill(0.25), F32.rtol, F32.atol);
    expectClose(forward('LinearRegressionOutput', nd.full([3, 4], 1.3), nd.full([3, 4], 0.2)).data, new Array(12).fill(1.3), F32.rtol, 0);
    expectClose(backward('LinearRegressionOutput', nd.full([3, 4], 1.3), nd.full([3, 4], 0.2)).data, new Array(12).fill(0.275), F32.rtol, F32.atol);
    expectClose(backward('MAERegressionOutput', nd.ones([3, 4]), nd.zeros([3, 4])).data, new Array(12).fill(0.25), 0, 0);
    expectClose(backward('MAERegressionOutput', nd.full([3, 4], 1.3), nd.full([3, 4], 0.2)).data, new Array(12).fill(0.25), 0, 0);
    expectClose(backward('MAERegressionOutput', nd.full([3, 4], 0.5), nd.full([3, 4], 0.5)).data, new Array(12).fill(-0.25), 0, 0);
  });

  it.each(NAMES)('MXNet test_regression: %s on (50,30) gives f(x) and B(out, label) / 30', (name) => {
    const data = nd.random.uniform(-1, 1, [50, 30]);
    const label = nd.random.normal(0, 1, [50, 30]);
    const ref = REFERENCE[name];
    const out = Array.from(data.data, ref.f);
    expectClose(forward(name, data, label).data, out, F32.rtol, F32.atol);
    expectClose(backward(name, data, label).data, out.map((o, i) => ref.b(o, label.data[i]!) / 30), 0, 1e-5);
  });

  it.each(NAMES)('%s divides by the outputs per sample of the label, times grad_scale, never by the batch', (name) => {
    const ref = REFERENCE[name];
    const data = nd.random.uniform(-1, 1, [3, 4]);
    const label = nd.random.uniform(-1, 1, [3, 2, 2]);
    const expected = Array.from(data.data, (x, i) => (ref.b(ref.f(x), label.data[i]!) * 0.5) / 4);
    expectClose(backward(name, data, label, { gradScale: 0.5 }).data, expected, F32.rtol, F32.atol);
    const column = nd.random.uniform(-1, 1, [5, 1]);
    const labels = nd.random.uniform(-1, 1, [5]);
    expectClose(backward(name, column, labels).data, Array.from(column.data, (x, i) => ref.b(ref.f(x), labels.data[i]!)), F32.rtol, F32.atol);
  });
});

describe('regression outputs: write requests', () => {
  it.each(NAMES)("%s: 'add' twice equals twice 'write', 'add' gives old + grad (not MXNet's (old + B)(1 + s))", (name) => {
    fc.assert(fc.property(fc.integer(), fc.constantFrom([2, 3], [4, 1], [2, 2, 2]), (s, shape) => {
      seed(s);
      const data = nd.random.uniform(-2, 2, shape);
      const label = nd.random.uniform(-2, 2, shape);
      const written = backward(name, data, label, { req: 'write' });
      const twice = nd.zeros(shape);
      backward(name, data, label, { req: 'add', grad: twice });
      backward(name, data, label, { req: 'add', grad: twice });
      expectClose(twice.data, Array.from(written.data, (g) => 2 * g), 0, 0);
      const old = nd.random.uniform(-1, 1, shape);
      const added = backward(name, data, label, { req: 'add', grad: old.copy() });
      expectClose(added.data, Array.from(written.data, (g, i) => old.data[i]! + g), F32.rtol, F32.atol);
    }), { numRuns: 25 });
  });

  it.each(NAMES)("%s: 'null' leaves the buffer untouched", (name) => {
    const grad = nd.full([2, 3], 9);
    backward(name, nd.ones([2, 3]), nd.zeros([2, 3]), { req: 'null', grad });
    expect(Array.from(grad.data)).toEqual(new Array(6).fill(9));
  });
});

describe('regression outputs: numeric gradients of the implied losses', () => {
  const LOSSES: Record<Name, (out: number, label: number) => number> = {
    LinearRegressionOutput: (o, l) => 0.5 * (o - l) ** 2,
    LogisticRegressionOutput: (o, l) => -(l * Math.log(o) + (1 - l) * Math.log(1 - o)),
    MAERegressionOutput: (o, l) => Math.abs(o - l),
  };

  it.each(NAMES)('%s: grad_scale * sum(loss(out, label)) / num_output', (name) => {
    const data = nd.random.uniform(-2, 2, [3, 4]);
    // Labels in [0, 1] for the logistic loss, kept at least 0.1 away from the data so MAE has no tie nearby.
    const label = nd.array(Array.from(data.data, (x, i) => (x > 0.5 ? 0.3 : 0.8) + 0.05 * (i % 3)), { shape: [3, 4] });
    const lossOf = (x: Float64Array) => {
      const out = forward(name, nd.array(Float32Array.from(x), { shape: [3, 4] }), label).data;
      return (1.5 * out.reduce((sum, o, i) => sum + LOSSES[name](o, label.data[i]!), 0)) / 4;
    };
    const numeric = numericGradient(lossOf, Float64Array.from(data.data), 1e-2);
    expectClose(backward(name, data, label, { gradScale: 1.5 }).data, numeric, NUMERIC.rtol, NUMERIC.atol);
  });
});

describe('regression outputs: shapes and bad input', () => {
  const rule = (name: Name, data: number[] | null, label: number[] | null) =>
    applyShapeRule(opDef(name), { grad_scale: 1 }, [data, label], [null], shapeSite(name, 'reg'));

  it.each(NAMES)('%s infers an unknown label as (n,) for (n,1) data and as the data shape otherwise', (name) => {
    expect(rule(name, [5, 1], null).inputs[1]).toEqual([5]);
    expect(rule(name, [5, 3], null).inputs[1]).toEqual([5, 3]);
    expect(rule(name, [5, 1, 1], null).inputs[1]).toEqual([5, 1, 1]);
    expect(rule(name, null, [5]).outputs[0]).toBeNull();
  });

  it('accepts exactly the labels with the data first dimension and size', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }), fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }), (data, label) => {
      const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
      const fits = label[0] === data[0] && size(label) === size(data);
      for (const name of NAMES) {
        if (fits) expect(rule(name, data, label).outputs[0]).toEqual(data);
        else expect(() => rule(name, data, label)).toThrow(ShapeError);
      }
    }), { numRuns: 200 });
  });

  it.each(NAMES)('%s: a (3,) label for (3,4) data is a ShapeError, not a broadcast', (name) => {
    const call = () => forward(name, nd.zeros([3, 4]), nd.zeros([3]));
    expect(call).toThrow(ShapeError);
    expect(call).toThrow(`${name} '${name.toLowerCase()}': label shape [3] does not match data [3,4]: a label needs the same first dimension (3) and the same size (12), e.g. [3,4]`);
    expect(() => forward(name, nd.zeros([3, 4]), nd.zeros([4, 3]))).toThrow('label shape [4,3] does not match data [3,4]');
  });

  it.each(NAMES)('%s rejects misspelt and non-numeric grad_scale', (name) => {
    expect(() => forward(name, nd.zeros([2]), nd.zeros([2]), { grad_sacle: 2 })).toThrow(ParamError);
    expect(() => forward(name, nd.zeros([2]), nd.zeros([2]), { grad_sacle: 2 })).toThrow("did you mean 'grad_scale'?");
    expect(() => forward(name, nd.zeros([2]), nd.zeros([2]), { grad_scale: 'big' })).toThrow(ParamError);
  });

  it.each(NAMES)('%s leaves data and label untouched', (name) => {
    const data = nd.random.uniform(-1, 1, [3, 4]);
    const label = nd.random.uniform(-1, 1, [3, 4]);
    const copies = [Array.from(data.data), Array.from(label.data)];
    backward(name, data, label, { req: 'add' });
    expect([Array.from(data.data), Array.from(label.data)]).toEqual(copies);
  });
});
