import fc from 'fast-check';
import { ParamError, ShapeError } from '../../../src/base/errors';
import { seed } from '../../../src/base/random';
import { nd, NDArray } from '../../../src/ndarray/index';
import { softmaxOutputOp as def } from '../../../src/ops/loss/softmax_output';
import { parseParams } from '../../../src/ops/params';
import { getOp } from '../../../src/ops/registry';
import { applyShapeRule, shapeSite } from '../../../src/ops/shape_rule';
import type { Req } from '../../../src/ops/types';
import { numericGradient } from '../../../src/test_utils/numeric';
import { expectClose, F32, NUMERIC } from '../../helpers/close';
import { testContext } from '../../helpers/backends';

type Given = Record<string, unknown>;
type Norm = 'null' | 'batch' | 'valid';
const CTX = testContext();

const params = (given: Given = {}) => parseParams(def.params, given, { op: def.name });
const forward = (data: NDArray, label: NDArray, given: Given = {}) => nd.SoftmaxOutput(data, label, given);

interface BackwardOptions { req?: Req; grad?: NDArray; head?: NDArray }

/** Forward through `mx.nd`, then the op's backward on the data gradient (label req 'null'). */
function backward(data: NDArray, label: NDArray, given: Given = {}, options: BackwardOptions = {}): NDArray {
  const out = forward(data, label, given);
  const grad = options.grad ?? nd.zeros(data.shape);
  const head = options.head ?? nd.ones(out.shape);
  def.backward!.compute(params(given), { inputs: [data, label], outputs: [out], outGrads: [head] }, [grad, null], [options.req ?? 'write', 'null'], CTX);
  return grad;
}

const uniform = (shape: number[], low = -1, high = 1) => nd.random.uniform(low, high, shape);
/** Class indices in [0, classes) as floats, as MXNet's tests draw them. */
const randint = (shape: number[], classes: number) => nd.array(Array.from(nd.random.uniform(0, classes, shape).data, Math.floor), { shape });
const product = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);

/** [outer, classes, inner] of the axis each mode normalizes over, straight from reference 1.3. */
function modeDims(shape: readonly number[], mode: 'flat' | 'last' | 'axis1'): [number, number, number] {
  if (mode === 'axis1') return [shape[0]!, shape[1]!, product(shape.slice(2))];
  if (mode === 'last') return [product(shape.slice(0, -1)), shape[shape.length - 1]!, 1];
  return [shape[0]!, product(shape.slice(1)), 1];
}
const modeOf = (given: Given) => (given['multi_output'] ? 'axis1' : given['preserve_shape'] ? 'last' : 'flat');

/** Float64 softmax over the middle axis of [outer, classes, inner]. */
function refSoftmax(x: ArrayLike<number>, [outer, classes, inner]: [number, number, number]): Float64Array {
  const out = new Float64Array(x.length);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const at = (c: number) => (o * classes + c) * inner + j;
      let max = -Infinity;
      for (let c = 0; c < classes; c++) max = Math.max(max, x[at(c)]!);
      let sum = 0;
      for (let c = 0; c < classes; c++) sum += Math.exp(x[at(c)]! - max);
      for (let c = 0; c < classes; c++) out[at(c)] = Math.exp(x[at(c)]! - max) / sum;
    }
  }
  return out;
}

/**
 * Float64 index-mode gradient from reference 1.6: (p - target) * mask * grad_scale / divisor,
 * target the one-hot of trunc(label) (smoothed in row mode), label j read for position j.
 */
function refIndexGrad(prob: Float64Array, label: ArrayLike<number>, dims: [number, number, number], given: Given): Float64Array {
  const [outer, classes, inner] = dims;
  const multi = given['multi_output'] === true;
  const norm = (given['normalization'] ?? 'null') as Norm;
  const ignore = Math.trunc((given['ignore_label'] as number | undefined) ?? -1);
  const alpha = multi ? 0 : ((given['smooth_alpha'] as number | undefined) ?? 0);
  const labels = Array.from(label, Math.trunc);
  const valid = Math.max(1, labels.filter((k) => k !== ignore).length);
  let divisor = norm === 'valid' ? valid : norm === 'batch' ? (multi ? outer : labels.length) : 1;
  if (multi && norm !== 'valid') divisor *= inner;
  const scale = ((given['grad_scale'] as number | undefined) ?? 1) / divisor;
  const grad = new Float64Array(prob.length);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const k = labels[o * inner + j]!;
      if (given['use_ignore'] === true && k === ignore) continue;
      for (let c = 0; c < classes; c++) {
        const target = c === k ? 1 - alpha : alpha > 0 ? alpha / (classes - 1) : 0;
        const i = (o * classes + c) * inner + j;
        grad[i] = (prob[i]! - target) * scale;
      }
    }
  }
  return grad;
}

beforeEach(() => seed(42));

describe('SoftmaxOutput definition', () => {
  it('is registered under its MXNet name and the Softmax alias, with inputs data, label and output `output`', () => {
    expect(getOp('SoftmaxOutput')).toBe(def);
    expect(getOp('Softmax')).toBe(def);
    expect(def.inputs(params())).toEqual(['data', 'label']);
    expect(def.outputs(params())).toEqual(['output']);
  });

  it('has MXNet defaults and reads JSON string forms', () => {
    expect(params()).toEqual({ grad_scale: 1, ignore_label: -1, multi_output: false, use_ignore: false, preserve_shape: false, normalization: 'null', out_grad: false, smooth_alpha: 0 });
    expect(params({ multi_output: 'True', smooth_alpha: '0.2', normalization: 'valid', grad_scale: '1.0' })).toMatchObject({ multi_output: true, smooth_alpha: 0.2, normalization: 'valid', grad_scale: 1 });
  });

  it('needs the head gradient only with out_grad, and never differentiates the label', () => {
    const usesOutGrads = def.backward!.usesOutGrads as (p: unknown) => boolean;
    expect(usesOutGrads(params())).toBe(false);
    expect(usesOutGrads(params({ out_grad: true }))).toBe(true);
    expect(def.backward!.differentiable!(params(), 0)).toBe(true);
    expect(def.backward!.differentiable!(params(), 1)).toBe(false);
  });
});

describe('SoftmaxOutput golden values', () => {
  it('blog experiment 3: probability labels give out - label with no normalization (0.25 - 0.7 = -0.45, 0.25 - 0.2 = 0.05)', () => {
    const m = nd.ones([3, 4]);
    expectClose(forward(m, nd.zeros([3, 4]).add(0.7)).data, new Float64Array(12).fill(0.25), F32.rtol, F32.atol);
    for (const norm of ['null', 'batch', 'valid']) {
      const given = { normalization: norm, use_ignore: true, ignore_label: 0, smooth_alpha: 0.3 };
      expectClose(backward(m, nd.zeros([3, 4]).add(0.7), given).data, new Float64Array(12).fill(-0.45), F32.rtol, F32.atol);
      expectClose(backward(m, nd.zeros([3, 4]).add(0.2), given).data, new Float64Array(12).fill(0.05), F32.rtol, F32.atol);
    }
  });

  it('blog: a (3,) label of 0.7 truncates to class 0, giving rows [-0.75, 0.25, 0.25, 0.25], divided by 3 for batch and valid', () => {
    const m = nd.ones([3, 4]);
    const row = [-0.75, 0.25, 0.25, 0.25];
    expectClose(backward(m, nd.full([3], 0.7)).data, [...row, ...row, ...row], F32.rtol, F32.atol);
    for (const norm of ['batch', 'valid']) {
      expectClose(backward(m, nd.full([3], 0.7), { normalization: norm }).data, [...row, ...row, ...row].map((v) => v / 3), F32.rtol, F32.atol);
    }
  });

  it('blog: out_grad multiplies by the supplied head gradient (-0.45 * G), not by the output', () => {
    const head = nd.array([[1, 2, -1, 0.5], [1, 1, 1, 1], [3, 0, 0, 0]]);
    const grad = backward(nd.ones([3, 4]), nd.full([3, 4], 0.7), { out_grad: true }, { head });
    expectClose(grad.data, Array.from(head.data, (g) => -0.45 * g), F32.rtol, F32.atol);
  });

  it("MXNet test_softmax check_softmax_grad: [[1,6,4,2]] with label [1]: grad - out is -1 at column 1", () => {
    const x = nd.array([[1, 6, 4, 2]]);
    const given = { ignore_label: 0, use_ignore: false };
    const out = forward(x, nd.array([1]), given);
    expectClose(out.data, [0.005806628, 0.861780069, 0.116629249, 0.015784052], 1e-5, 1e-6);
    const grad = backward(x, nd.array([1]), given);
    expectClose(grad.data.map((g, i) => g - out.data[i]!), [0, -1, 0, 0], 0, 1e-6);
  });

  it('MXNet check_smoothed_softmax_grad: with smooth_alpha 0.2, grad - out is -0.2/3 except -0.8 at the label', () => {
    const x = nd.array([[1, 6, 4, 2]]);
    const given = { ignore_label: 0, use_ignore: false, smooth_alpha: 0.2 };
    const out = forward(x, nd.array([1]), given);
    const grad = backward(x, nd.array([1]), given);
    expectClose(grad.data.map((g, i) => g - out.data[i]!), [-0.2 / 3, -0.8, -0.2 / 3, -0.2 / 3], 0, 1e-6);
  });

  it('MXNet executor docstring: logits relu(fc) = [5,8,8,8,9,10] with label 1', () => {
    const logits = nd.array([[5, 8, 8, 8, 9, 10]]);
    expectClose(forward(logits, nd.ones([1])).data, [0.00378404, 0.07600445, 0.07600445, 0.07600445, 0.20660152, 0.5616011], 1e-5, 1e-7);
    expectClose(backward(logits, nd.ones([1])).data[1]!, -0.92399555, 1e-5, 1e-7);
  });

  it('MXNet test_softmax: probability labels for (3,4), (3,4) preserve_shape and (3,4,2) preserve_shape', () => {
    for (const [shape, preserve] of [[[3, 4], false], [[3, 4], true], [[3, 4, 2], true]] as const) {
      const x = uniform([...shape]);
      const dims = modeDims(shape, 'last');
      const l = nd.array(refSoftmax(uniform([...shape]).data, dims), { shape: [...shape] });
      const expected = refSoftmax(x.data, dims);
      expectClose(forward(x, l, { preserve_shape: preserve }).data, expected, 1e-4, 1e-6);
      expectClose(backward(x, l, { preserve_shape: preserve }).data, expected.map((p, i) => p - l.data[i]!), F32.rtol, F32.atol);
    }
  });

  it('MXNet test_softmax_output_normalization: all 12 of multi_output x use_ignore x normalization', () => {
    for (const multi of [false, true]) {
      for (const useIgnore of [false, true]) {
        for (const norm of ['null', 'batch', 'valid'] as const) {
          const gradScale = nd.random.uniform(0, 1, [1]).data[0]!;
          const ignore = useIgnore ? Math.floor(nd.random.uniform(0, 6, [1]).data[0]!) : -1;
          const shape = multi ? [8, 6, 3, 3] : [8, 6];
          const data = uniform(shape);
          const label = randint(multi ? [8, 3, 3] : [8], 6);
          const given = { grad_scale: gradScale, normalization: norm, multi_output: multi, use_ignore: useIgnore, ignore_label: ignore };
          const prob = refSoftmax(data.data, modeDims(shape, 'axis1'));
          expectClose(forward(data, label, given).data, prob, F32.rtol, F32.atol);
          // MXNet's own expectation: (softmax - onehot) * mask * grad_scale / valid_cnt [/ (H*W) unless valid]
          const validCount = Math.max(1, Array.from(label.data).filter((k) => k !== ignore).length);
          const cnt = norm === 'null' ? 1 : norm === 'batch' ? 8 : validCount;
          const spatial = multi && norm !== 'valid' ? 9 : 1;
          const expected = prob.map((p, i) => {
            const [n, c, r] = multi ? [Math.floor(i / 54), Math.floor(i / 9) % 6, i % 9] : [Math.floor(i / 6), i % 6, 0];
            const k = label.data[multi ? n * 9 + r : n]!;
            const mask = useIgnore && k === ignore ? 0 : 1;
            return (p - (c === k ? 1 : 0)) * mask * gradScale / cnt / spatial;
          });
          expectClose(backward(data, label, given).data, expected, F32.rtol, F32.atol);
        }
      }
    }
  });

  it('MXNet check_softmax_with_ignore_label: ignored rows get zero and the others are unchanged', () => {
    const x = nd.random.uniform(0, 1, [20, 10]);
    const label = randint([20], 9);
    const given = { ignore_label: 0, use_ignore: true };
    const grad0 = backward(x, label, given);
    const relabelled = label.copy();
    relabelled.data.fill(0, 0, 10);
    const grad1 = backward(x, relabelled, given);
    expect(Math.abs(grad1.data.slice(0, 100).reduce((a, b) => a + Math.abs(b), 0))).toBeLessThan(1e-5);
    expectClose(grad1.data.slice(100), grad0.data.slice(100), 0, 0);
  });
});

describe('SoftmaxOutput modes against a float64 reference', () => {
  /** Forward and backward of `given` on random data/labels, both compared with the reference. */
  function checkIndexMode(shape: number[], labelShape: number[], given: Given, classes: number, labelValues?: NDArray): void {
    const data = uniform(shape, -3, 3);
    const label = labelValues ?? randint(labelShape, classes);
    const dims = modeDims(shape, modeOf(given));
    const prob = refSoftmax(data.data, dims);
    expectClose(forward(data, label, given).data, prob, F32.rtol, F32.atol);
    expectClose(backward(data, label, given).data, refIndexGrad(prob, label.data, dims, given), F32.rtol, F32.atol);
  }

  const norms: Norm[] = ['null', 'batch', 'valid'];
  const rowCases = norms.flatMap((normalization) =>
    [0, 0.1].flatMap((smooth_alpha) => [false, true].map((use_ignore) => ({ normalization, smooth_alpha, use_ignore }))));

  it.each(rowCases)('row index mode %o, with grad_scale and ignore_label 2', (flags) => {
    const label = nd.array([2, 0, 2, 4, 1, 3]); // two rows hit ignore_label, so valid differs from batch
    checkIndexMode([6, 5], [6], { ...flags, grad_scale: 1.7, ignore_label: 2 }, 5, label);
  });

  it.each(rowCases)('preserve_shape 3-d data (4,3,5) with a (4,3) label %o: batch counts all 12 labels', (flags) => {
    checkIndexMode([4, 3, 5], [4, 3], { ...flags, preserve_shape: true, grad_scale: 0.5, ignore_label: 1 }, 5);
  });

  it.each(norms)('default 3-d data (2,3,4) with a (2,3) label (MXNet quirk): rows of 12, labels 0..1 used, batch divides by 6 (%s)', (normalization) => {
    const label = nd.array([[5, 11, 0], [-1, 3, -1]]);
    checkIndexMode([2, 3, 4], [2, 3], { normalization, use_ignore: true }, 12, label);
    const grad = backward(nd.zeros([2, 3, 4]), label, { normalization: 'batch' });
    expectClose(grad.data[5]!, (1 / 12 - 1) / 6, F32.rtol, F32.atol); // row 0 reads label[0] = 5
    expectClose(grad.data[12 + 11]!, (1 / 12 - 1) / 6, F32.rtol, F32.atol); // row 1 reads label[1] = 11
    expectClose(grad.data[12 + 3]!, 1 / 12 / 6, F32.rtol, F32.atol);
  });

  const multiLabelShapes: [string, number[]][] = [['(n, r) = [2,12]', [2, 12]], ['(n, d2, d3) = [2,3,4]', [2, 3, 4]], ['(n, 1, d2, d3) = [2,1,3,4]', [2, 1, 3, 4]]];
  const multiCases = multiLabelShapes.flatMap(([name, labelShape]) =>
    norms.flatMap((normalization) => [false, true].map((use_ignore) => ({ name, labelShape, normalization, use_ignore }))));

  it.each(multiCases)('multi_output (2,5,3,4) with label $name, $normalization, use_ignore $use_ignore; smooth_alpha ignored', ({ labelShape, normalization, use_ignore }) => {
    const given = { multi_output: true, normalization, use_ignore, ignore_label: 3, grad_scale: 2, smooth_alpha: 0.4 };
    checkIndexMode([2, 5, 3, 4], labelShape, given, 5);
  });

  it('multi_output gives the same gradient for its three label shapes', () => {
    const data = uniform([2, 5, 3, 4]);
    const label = randint([2, 12], 5);
    const grads = multiLabelShapes.map(([, shape]) => backward(data, label.reshape(shape), { multi_output: true, normalization: 'valid' }).data);
    expectClose(grads[1]!, grads[0]!, 0, 0);
    expectClose(grads[2]!, grads[0]!, 0, 0);
  });

  it.each([{}, { preserve_shape: true }, { multi_output: true }])('probability mode ignores normalization, ignore and smoothing (%o)', (layout) => {
    const shape = [3, 4, 2];
    const data = uniform(shape);
    const label = uniform(shape, 0, 1); // rows need not sum to 1
    const prob = refSoftmax(data.data, modeDims(shape, modeOf(layout)));
    const given = { ...layout, normalization: 'batch', use_ignore: true, ignore_label: 0, smooth_alpha: 0.5, grad_scale: 3 };
    expectClose(forward(data, label, given).data, prob, F32.rtol, F32.atol);
    expectClose(backward(data, label, given).data, prob.map((p, i) => 3 * (p - label.data[i]!)), F32.rtol, F32.atol);
  });

  it.each([
    ['probability', [4, 3], [4, 3], {}],
    ['row index', [4, 3], [4], { normalization: 'valid', smooth_alpha: 0.2 }],
    ['multi_output', [2, 3, 4], [2, 4], { multi_output: true, normalization: 'batch' }],
  ] as const)('out_grad multiplies the %s gradient by the head gradient', (_mode, shape, labelShape, flags) => {
    const data = uniform([...shape]);
    const label = labelShape.length === shape.length ? uniform([...shape], 0, 1) : randint([...labelShape], 3);
    const head = uniform([...shape], -2, 2);
    const plain = backward(data, label, flags);
    const scaled = backward(data, label, { ...flags, out_grad: true }, { head });
    expectClose(scaled.data, Array.from(plain.data, (g, i) => g * head.data[i]!), F32.rtol, F32.atol);
  });

  it('truncates labels toward zero (0.7 -> 0, 1.9 -> 1, -0.5 -> 0) and ignore_label the same way', () => {
    const data = uniform([4, 3]);
    const truncated = backward(data, nd.array([0.7, 1.9, -0.5, -1.2]), { use_ignore: true, ignore_label: -1.5 });
    expectClose(truncated.data, backward(data, nd.array([0, 1, 0, -1]), { use_ignore: true, ignore_label: -1 }).data, 0, 0);
    expect(Array.from(truncated.data.slice(9))).toEqual([0, 0, 0]);
  });

  it('out-of-range labels are not an error: the row gradient is out (minus smoothing), and valid still counts them', () => {
    const data = uniform([3, 4]);
    const label = nd.array([7, -3, 1]);
    const prob = refSoftmax(data.data, [3, 4, 1]);
    const grad = backward(data, label, { normalization: 'valid', use_ignore: false, ignore_label: -3 });
    // valid counts labels != trunc(ignore_label) even without use_ignore: 2 of 3
    expectClose(grad.data.slice(0, 8), prob.slice(0, 8).map((p) => p / 2), F32.rtol, F32.atol);
    const smoothed = backward(data, label, { smooth_alpha: 0.3 });
    expectClose(smoothed.data.slice(0, 4), prob.slice(0, 4).map((p) => p - 0.1), F32.rtol, F32.atol);
  });
});

describe('SoftmaxOutput write requests', () => {
  const configs = fc.constantFrom<[number[], number[], Given]>(
    [[3, 4], [3, 4], {}],
    [[3, 4], [3], { normalization: 'batch', smooth_alpha: 0.1 }],
    [[2, 3, 4], [2, 3], { preserve_shape: true, use_ignore: true, ignore_label: 1, normalization: 'valid' }],
    [[2, 3, 2, 2], [2, 2, 2], { multi_output: true, out_grad: true }],
  );

  it("'add' twice from zeros equals twice 'write', and 'add' onto old values gives old + grad", () => {
    fc.assert(fc.property(configs, fc.integer(), ([shape, labelShape, given], s) => {
      seed(s);
      const data = uniform(shape);
      const label = labelShape.length === shape.length ? uniform(shape, 0, 1) : randint(labelShape, 2);
      const options = { head: uniform(shape) };
      const written = backward(data, label, given, { ...options, req: 'write' });
      const accumulated = nd.zeros(shape);
      backward(data, label, given, { ...options, req: 'add', grad: accumulated });
      backward(data, label, given, { ...options, req: 'add', grad: accumulated });
      expectClose(accumulated.data, Array.from(written.data, (g) => 2 * g), 0, 0);
      const old = uniform(shape);
      const added = backward(data, label, given, { ...options, req: 'add', grad: old.copy() });
      expectClose(added.data, Array.from(written.data, (g, i) => g + old.data[i]!), F32.rtol, F32.atol);
    }), { numRuns: 40 });
  });

  it("'null' leaves the gradient buffer untouched, and a null buffer is accepted", () => {
    const data = uniform([3, 4]);
    const label = nd.array([0, 1, 2]);
    const grad = nd.full([3, 4], 7);
    backward(data, label, {}, { req: 'null', grad });
    expect(Array.from(grad.data)).toEqual(new Array(12).fill(7));
    const out = forward(data, label);
    expect(() => def.backward!.compute(params(), { inputs: [data, label], outputs: [out], outGrads: [out] }, [null, null], ['null', 'null'], CTX)).not.toThrow();
  });
});

describe('SoftmaxOutput numeric gradients of the implied cross-entropy', () => {
  /** d loss(op(x)) / dx, with op run in float32 through mx.nd and the loss in float64. */
  function numeric(data: NDArray, label: NDArray, given: Given, loss: (out: Float32Array) => number): Float64Array {
    const f = (x: Float64Array) => loss(forward(nd.array(Float32Array.from(x), { shape: data.shape }), label, given).data);
    return numericGradient(f, Float64Array.from(data.data), 1e-2);
  }

  it('probability mode: grad_scale * -sum(label * log(out)) with label rows summing to 1 (2-d and preserve_shape 3-d)', () => {
    for (const [shape, preserve] of [[[3, 4], false], [[2, 3, 4], true]] as const) {
      const data = uniform([...shape]);
      const label = nd.array(refSoftmax(uniform([...shape], -2, 2).data, modeDims(shape, 'last')), { shape: [...shape] });
      const given = { grad_scale: 1.5, preserve_shape: preserve };
      const loss = (out: Float32Array) => -1.5 * out.reduce((sum, p, i) => sum + label.data[i]! * Math.log(p), 0);
      expectClose(backward(data, label, given).data, numeric(data, label, given, loss), NUMERIC.rtol, NUMERIC.atol);
    }
  });

  it.each([
    { normalization: 'batch', smooth_alpha: 0 },
    { normalization: 'valid', use_ignore: true, ignore_label: 2, smooth_alpha: 0 },
    { normalization: 'null', smooth_alpha: 0.3, grad_scale: 0.5 },
  ])('row index mode %o: smoothed cross-entropy over non-ignored rows / normalization', (given) => {
    const classes = 4;
    const data = uniform([5, classes]);
    const label = nd.array([2, 0, 3, 2, 1]);
    const alpha = given.smooth_alpha;
    const ignored = (k: number) => given.use_ignore === true && k === given.ignore_label;
    const divisor = given.normalization === 'batch' ? 5 : given.normalization === 'valid' ? 3 : 1;
    const loss = (out: Float32Array) => {
      let total = 0;
      label.data.forEach((k, row) => {
        if (ignored(k)) return;
        for (let c = 0; c < classes; c++) total -= (c === k ? 1 - alpha : alpha / (classes - 1)) * Math.log(out[row * classes + c]!);
      });
      return (total * (given.grad_scale ?? 1)) / divisor;
    };
    expectClose(backward(data, label, given).data, numeric(data, label, given, loss), NUMERIC.rtol, NUMERIC.atol);
  });

  it.each(['null', 'batch', 'valid'] as const)('multi_output (2,3,2,2), %s: -sum(log p[label]) / divisor', (normalization) => {
    const data = uniform([2, 3, 2, 2]);
    const label = nd.array([[0, 2, 1, 1], [2, 2, 0, 1]]);
    const given = { multi_output: true, normalization, use_ignore: true, ignore_label: 1 };
    const divisor = { null: 4, batch: 8, valid: 5 }[normalization];
    const loss = (out: Float32Array) => {
      let total = 0;
      label.data.forEach((k, pos) => {
        const [n, r] = [Math.floor(pos / 4), pos % 4];
        if (k !== 1) total -= Math.log(out[(n * 3 + k) * 4 + r]!);
      });
      return total / divisor;
    };
    expectClose(backward(data, label, given).data, numeric(data, label, given, loss), NUMERIC.rtol, NUMERIC.atol);
  });
});

describe('SoftmaxOutput properties', () => {
  const shapes = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 2, maxLength: 4 });
  const layouts = fc.constantFrom<Given>({}, { preserve_shape: true }, { multi_output: true });

  it('softmax sums to 1 along the axis of each layout, even for large logits', () => {
    fc.assert(fc.property(shapes, layouts, fc.integer(), fc.constantFrom(1, 1e3), (shape, layout, s, magnitude) => {
      seed(s);
      const data = uniform(shape).mul(magnitude);
      const out = forward(data, nd.array(new Float32Array(product(shape)), { shape }), layout).data;
      const [outer, classes, inner] = modeDims(shape, modeOf(layout));
      for (let o = 0; o < outer; o++) {
        for (let j = 0; j < inner; j++) {
          let sum = 0;
          for (let c = 0; c < classes; c++) sum += out[(o * classes + c) * inner + j]!;
          expectClose(sum, 1, 0, 1e-5);
        }
      }
    }), { numRuns: 60 });
  });

  it('the index-mode gradient sums to 0 along the class axis for in-range labels', () => {
    fc.assert(fc.property(shapes, layouts, fc.integer(), fc.constantFrom<Norm>('null', 'batch', 'valid'), (shape, layout, s, normalization) => {
      seed(s);
      const [outer, classes, inner] = modeDims(shape, modeOf(layout));
      // (n, d2, ...) never equals the data shape, which would switch to probability mode.
      const labelShape = layout['multi_output'] ? [shape[0]!, ...shape.slice(2)] : shape.slice(0, -1);
      const given = { ...layout, normalization, grad_scale: 2 };
      const data = uniform(shape, -5, 5);
      // Flat layout reads one label per sample; keep every label a valid class of that view.
      const grad = backward(data, randint(labelShape, layout['preserve_shape'] || layout['multi_output'] ? classes : shape[shape.length - 1]!), given).data;
      for (let o = 0; o < outer; o++) {
        for (let j = 0; j < inner; j++) {
          let sum = 0;
          for (let c = 0; c < classes; c++) sum += grad[(o * classes + c) * inner + j]!;
          expectClose(sum, 0, 0, 1e-5);
        }
      }
    }), { numRuns: 60 });
  });

  it('the shape rule accepts exactly the label shapes of reference 1.2 and infers the first when unknown', () => {
    const candidates = (data: number[]) => [
      data, data.slice(0, -1), data.slice(1), [data[0]!], [data[0]!, product(data.slice(2))], [data[0]!, ...data.slice(2)],
      [data[0]!, 1, ...data.slice(2)], [...data.slice(0, -1), 1], [data[0]! + 1, ...data.slice(1, -1)], [product(data)],
    ];
    fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 2, maxLength: 4 }), fc.boolean(), (data, multi) => {
      const p = params({ multi_output: multi });
      const reference = multi
        ? [data, [data[0]!, product(data.slice(2))], [data[0]!, ...data.slice(2)], [data[0]!, 1, ...data.slice(2)]]
        : [data, data.slice(0, -1)];
      const key = (shape: readonly number[]) => `[${shape.join(',')}]`;
      for (const label of candidates(data)) {
        const run = () => applyShapeRule(def, p, [data, label], [null], shapeSite('SoftmaxOutput', 'sm'));
        if (reference.some((r) => key(r) === key(label))) expect(run().outputs).toEqual([data]);
        else expect(run).toThrow(ShapeError);
      }
      const inferred = applyShapeRule(def, p, [data, null], [null], shapeSite('SoftmaxOutput', 'sm'));
      expect(inferred.inputs[1]).toEqual(reference[1]);
    }), { numRuns: 100 });
  });
});

describe('SoftmaxOutput bad input', () => {
  const fails = (data: number[], label: number[], given: Given = {}) => () => forward(nd.zeros(data), nd.zeros(label), given);

  it.each([
    [[3, 4], [4], {}, "label shape [4] fits no mode of data [3,4]: expected [3] (class indices) or [3,4] (probabilities)"],
    [[3, 4], [3, 1], {}, "label shape [3,1] fits no mode of data [3,4]: expected [3] (class indices) or [3,4] (probabilities)"],
    [[2, 3, 4], [2], { preserve_shape: true }, "label shape [2] fits no mode of data [2,3,4]: expected [2,3] (class indices) or [2,3,4] (probabilities)"],
    [[2, 3, 4, 5], [2, 4], { multi_output: true }, "label shape [2,4] fits no mode of data [2,3,4,5]: expected [2,20], [2,4,5] or [2,1,4,5] (class indices) or [2,3,4,5] (probabilities)"],
    [[3, 4], [3, 4, 1], { multi_output: true }, "label shape [3,4,1] fits no mode of data [3,4]: expected [3,1] or [3] (class indices) or [3,4] (probabilities)"],
    [[3], [2], {}, "label shape [2] fits no mode of data [3]: expected [3] (probabilities); class indices need data with at least 2 axes"],
  ])('data %j with label %j (%o) is a ShapeError naming the label', (data, label, given, problem) => {
    expect(fails(data, label, given)).toThrow(ShapeError);
    expect(fails(data, label, given)).toThrow(`SoftmaxOutput 'softmaxoutput': ${problem}`);
  });

  it('multi_output needs data with a class axis', () => {
    expect(fails([3], [3], { multi_output: true })).toThrow("SoftmaxOutput 'softmaxoutput': data shape [3] needs at least 2 axes (n, classes, ...) with multi_output");
  });

  it('rejects unknown parameters with a suggestion, smooth_alpha outside [0, 1] and unknown normalization values', () => {
    const call = (given: Given) => () => forward(nd.zeros([2, 3]), nd.zeros([2]), given);
    expect(call({ grad_scal: 2 })).toThrow(ParamError);
    expect(call({ grad_scal: 2 })).toThrow("did you mean 'grad_scale'?");
    expect(call({ smooth_alpha: 1.5 })).toThrow(ParamError);
    expect(call({ smooth_alpha: 1.5 })).toThrow('smooth_alpha must be in [0, 1], got 1.5');
    expect(call({ smooth_alpha: -0.1 })).toThrow('smooth_alpha must be in [0, 1], got -0.1');
    expect(call({ normalization: 'batc' })).toThrow(ParamError);
    expect(call({ normalization: 'batc' })).toThrow("normalization must be one of 'null', 'batch', 'valid', got 'batc' (did you mean 'batch'?)");
    expect(() => forward(nd.zeros([2, 3]), nd.zeros([2]), { smooth_alpha: 1 })).not.toThrow();
  });

  it('forward and backward leave data, label and head gradient untouched', () => {
    for (const given of [{ out_grad: true, smooth_alpha: 0.1 }, { multi_output: true, out_grad: true }]) {
      const data = uniform([2, 3, 4]);
      const label = given.multi_output ? randint([2, 4], 3) : randint([2, 3], 4);
      const head = uniform([2, 3, 4]);
      const copies = [data, label, head].map((a) => Array.from(a.data));
      backward(data, label, given, { head, req: 'add' });
      expect([data, label, head].map((a) => Array.from(a.data))).toEqual(copies);
    }
  });
});
