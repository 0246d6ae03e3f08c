/**
 * NDArray (reference 7, API.md "NDArray"): creation, seeded random draws, float32 arithmetic with
 * scalars and broadcasting, conversion and printing, views and copies, every op callable.
 */
import fc from 'fast-check';
import * as mx from 'mxts';
import { expectClose } from '../helpers/close';

const values = (a: mx.NDArray) => Array.from(a.data);

describe('creation', () => {
  test('array from a nested list infers the shape and stores float32 row-major', () => {
    const a = mx.nd.array([[1, 2, 3], [4, 5, 6]]);
    expect(a.shape).toEqual([2, 3]);
    expect(a.size).toBe(6);
    expect(a.ndim).toBe(2);
    expect(a.dtype).toBe('float32');
    expect(a.data).toBeInstanceOf(Float32Array);
    expect(values(a)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  test('array values are rounded to float32', () => {
    expect(mx.nd.array([0.1]).data[0]).toBe(Math.fround(0.1));
  });

  test('array from a typed array with a shape option', () => {
    const a = mx.nd.array(new Float64Array([1, 2, 3, 4, 5, 6]), { shape: [3, 2] });
    expect(a.shape).toEqual([3, 2]);
    expect(a.toArray()).toEqual([[1, 2], [3, 4], [5, 6]]);
  });

  test('array copies its source: later edits to the source change nothing', () => {
    const source = new Float32Array([1, 2]);
    const a = mx.nd.array(source);
    source[0] = 9;
    expect(values(a)).toEqual([1, 2]);
    const b = mx.nd.array(a);
    a.data[1] = 9;
    expect(values(b)).toEqual([1, 2]);
  });

  test('a shape option that does not hold the values is a ShapeError', () => {
    expect(() => mx.nd.array([1, 2, 3], { shape: [2, 2] })).toThrow(mx.ShapeError);
  });

  test.each([
    ['ragged rows', [[1, 2], [3]]],
    ['mixed depth', [[1, 2], 3]],
  ])('a non-rectangular nested list (%s) is a ShapeError', (_label, nested) => {
    expect(() => mx.nd.array(nested as mx.NestedArray)).toThrow(mx.ShapeError);
  });

  test('a list nested deeper in a later row is rejected', () => {
    expect(() => mx.nd.array([[1], [[2]]] as mx.NestedArray)).toThrow(mx.MXNetError);
  });

  test('ones / zeros / full give float32 constants of the shape', () => {
    expect(values(mx.nd.ones([2, 2]))).toEqual([1, 1, 1, 1]);
    expect(values(mx.nd.zeros([3]))).toEqual([0, 0, 0]);
    const f = mx.nd.full([2, 1], 0.3);
    expect(f.shape).toEqual([2, 1]);
    expect(values(f)).toEqual([Math.fround(0.3), Math.fround(0.3)]);
  });

  test('a zero-size shape is allowed', () => {
    const z = mx.nd.zeros([2, 0]);
    expect(z.size).toBe(0);
    expect(z.toArray()).toEqual([[], []]);
  });

  test('arange(stop) and arange(start, stop, step)', () => {
    expect(values(mx.nd.arange(5))).toEqual([0, 1, 2, 3, 4]);
    expect(values(mx.nd.arange(1, 2, 0.25))).toEqual([1, 1.25, 1.5, 1.75]);
    expect(values(mx.nd.arange(3, 0, -1))).toEqual([3, 2, 1]);
  });

  test('arange with a zero step is rejected', () => {
    expect(() => mx.nd.arange(0, 1, 0)).toThrow(mx.MXNetError);
  });

  test.each([
    ['negative', [2, -1]],
    ['fractional', [1.5]],
    ['NaN', [NaN]],
    ['Infinity', [Infinity]],
  ])('a %s dimension is a ShapeError in ones, zeros, full and random', (_label, shape) => {
    expect(() => mx.nd.ones(shape)).toThrow(mx.ShapeError);
    expect(() => mx.nd.zeros(shape)).toThrow(mx.ShapeError);
    expect(() => mx.nd.full(shape, 1)).toThrow(mx.ShapeError);
    expect(() => mx.nd.random.uniform(0, 1, shape)).toThrow(mx.ShapeError);
  });
});

describe('seeded random draws', () => {
  test('mx.random.seed(7) twice gives identical uniform(0, 1, [3, 4]) draws', () => {
    mx.random.seed(7);
    const a = mx.nd.random.uniform(0, 1, [3, 4]);
    mx.random.seed(7);
    const b = mx.nd.random.uniform(0, 1, [3, 4]);
    expect(a.shape).toEqual([3, 4]);
    expect(values(a)).toEqual(values(b));
  });

  test('different seeds give different draws, and consecutive draws differ', () => {
    mx.random.seed(7);
    const a = values(mx.nd.random.uniform(0, 1, [8]));
    const a2 = values(mx.nd.random.uniform(0, 1, [8]));
    mx.random.seed(8);
    const b = values(mx.nd.random.uniform(0, 1, [8]));
    expect(a).not.toEqual(b);
    expect(a).not.toEqual(a2);
  });

  test('the aliases mx.nd.uniform and mx.random.uniform draw from the same seeded stream', () => {
    mx.random.seed(11);
    const a = values(mx.nd.random.uniform(-1, 1, [5]));
    mx.random.seed(11);
    expect(values(mx.nd.uniform(-1, 1, [5]))).toEqual(a);
    mx.random.seed(11);
    expect(values(mx.random.uniform(-1, 1, [5]))).toEqual(a);
  });

  test('uniform(low, high) draws lie in [low, high) with the right mean', () => {
    mx.random.seed(1);
    const d = values(mx.nd.random.uniform(-2, 3, [10000]));
    expect(d.every((v) => v >= -2 && v < 3)).toBe(true);
    const mean = d.reduce((a, b) => a + b, 0) / d.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.1); // std of the mean is 5/sqrt(12)/100 = 0.014
  });

  test('normal(loc, scale) over 10k draws has mean ~loc and std ~scale', () => {
    mx.random.seed(2);
    const d = values(mx.nd.random.normal(1, 2, [10000]));
    const mean = d.reduce((a, b) => a + b, 0) / d.length;
    const std = Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / d.length);
    expect(Math.abs(mean - 1)).toBeLessThan(0.1); // std of the mean is 0.02
    expect(Math.abs(std - 2)).toBeLessThan(0.1);
  });

  test('seeded normal draws are reproducible too', () => {
    mx.random.seed(5);
    const a = values(mx.nd.random.normal(0, 1, [7]));
    mx.random.seed(5);
    expect(values(mx.nd.normal(0, 1, [7]))).toEqual(a);
  });
});

describe('arithmetic', () => {
  test('ones([3,4]).add(0.3) is float32 1.3, i.e. Math.fround(1.3) = 1.29999995', () => {
    const a = mx.nd.ones([3, 4]).add(0.3);
    expect(a.shape).toEqual([3, 4]);
    expect(values(a).every((v) => v === Math.fround(1.3))).toBe(true);
  });

  test('scalar sub, mul, div, rsub, rdiv and neg compute in float32', () => {
    const a = mx.nd.array([1, 2, 4]);
    expect(values(a.sub(0.5))).toEqual([0.5, 1.5, 3.5]);
    expect(values(a.mul(3))).toEqual([3, 6, 12]);
    expect(values(a.div(4))).toEqual([0.25, 0.5, 1]);
    expect(values(a.rsub(1))).toEqual([0, -1, -3]);
    expect(values(a.rdiv(2))).toEqual([2, 1, 0.5]);
    expect(values(a.neg())).toEqual([-1, -2, -4]);
  });

  test('[3,1] + [1,4] broadcasts to [3,4] with a_i + b_j', () => {
    const a = mx.nd.array([[1], [2], [3]]);
    const b = mx.nd.array([[10, 20, 30, 40]]);
    const c = a.add(b);
    expect(c.shape).toEqual([3, 4]);
    expect(c.toArray()).toEqual([1, 2, 3].map((i) => [10, 20, 30, 40].map((j) => i + j)));
  });

  test('a trailing-axis vector broadcasts over rows: [2,3] * [3]', () => {
    const c = mx.nd.array([[1, 2, 3], [4, 5, 6]]).mul(mx.nd.array([1, 0, -1]));
    expect(c.toArray()).toEqual([[1, 0, -3], [4, 0, -6]]);
  });

  test('mx.nd.add / sub / mul / div are the same as the methods', () => {
    const a = mx.nd.array([[1, 2]]);
    const b = mx.nd.array([[4], [8]]);
    expect(values(mx.nd.add(a, b))).toEqual(values(a.add(b)));
    expect(values(mx.nd.sub(a, b))).toEqual(values(a.sub(b)));
    expect(values(mx.nd.mul(a, b))).toEqual(values(a.mul(b)));
    expect(values(mx.nd.div(a, b))).toEqual(values(a.div(b)));
    expect(values(mx.nd.add(a, 1))).toEqual([2, 3]);
  });

  test('incompatible shapes are a ShapeError naming the broadcast op', () => {
    const call = () => mx.nd.ones([3, 4]).add(mx.nd.ones([4, 3]));
    expect(call).toThrow(mx.ShapeError);
    expect(call).toThrow(/broadcast_add/);
    expect(() => mx.nd.ones([2]).mul(mx.nd.ones([3]))).toThrow(/broadcast_mul/);
  });

  test('elemwise_add needs identical shapes (no broadcasting)', () => {
    expect(() => mx.nd.elemwise_add(mx.nd.ones([3, 1]), mx.nd.ones([1, 3]))).toThrow(mx.ShapeError);
    expect(values(mx.nd.elemwise_add(mx.nd.ones([2]), mx.nd.ones([2])))).toEqual([2, 2]);
  });

  test('arithmetic never mutates its inputs', () => {
    const a = mx.nd.array([[1], [2]]);
    const b = mx.nd.array([[3, 4]]);
    a.add(b);
    a.mul(2);
    b.div(a);
    expect(values(a)).toEqual([1, 2]);
    expect(values(b)).toEqual([3, 4]);
  });
});

describe('conversion, views and copies', () => {
  test('toArray and asnumpy give nested plain arrays; a 0-d array gives a number', () => {
    const a = mx.nd.array([[1, 2], [3, 4]]);
    expect(a.toArray()).toEqual([[1, 2], [3, 4]]);
    expect(a.asnumpy()).toEqual([[1, 2], [3, 4]]);
    expect(mx.nd.array(5).toArray()).toBe(5);
    expect(mx.nd.array(5).shape).toEqual([]);
  });

  test("toString prints like numpy's repr", () => {
    expect(mx.nd.ones([2, 2]).toString()).toBe('array([[1., 1.],\n       [1., 1.]], dtype=float32)');
    expect(mx.nd.full([2], Math.fround(0.7310586)).toString()).toBe('array([0.7310586, 0.7310586], dtype=float32)');
  });

  test('reshape is a view sharing memory', () => {
    const a = mx.nd.arange(6);
    const b = a.reshape([2, 3]);
    expect(b.shape).toEqual([2, 3]);
    b.data[0] = 42;
    expect(a.data[0]).toBe(42);
    a.data[5] = -1;
    expect(b.toArray()).toEqual([[42, 1, 2], [3, 4, -1]]);
  });

  // NDArray.reshape docstring: "-1 infers the dimension of the output shape by using the remainder"
  test('reshape infers a -1 dimension from the size, as MXNet does', () => {
    const a = mx.nd.arange(6);
    expect(a.reshape([-1, 2]).shape).toEqual([3, 2]);
    expect(a.reshape([2, -1]).shape).toEqual([2, 3]);
    expect(a.reshape([2, 3]).reshape([-1]).shape).toEqual([6]);
  });

  test('reshape to another size is a ShapeError', () => {
    expect(() => mx.nd.arange(6).reshape([4, 2])).toThrow(mx.ShapeError);
  });

  test('copy is deep', () => {
    const a = mx.nd.array([1, 2, 3]);
    const b = a.copy();
    b.data[0] = 9;
    expect(values(a)).toEqual([1, 2, 3]);
    expect(b.shape).toEqual(a.shape);
  });

  test('set fills from a number, an NDArray of the same shape, or a flat list', () => {
    const a = mx.nd.zeros([2, 2]);
    expect(values(a.set(3))).toEqual([3, 3, 3, 3]);
    expect(values(a.set(mx.nd.array([[1, 2], [3, 4]])))).toEqual([1, 2, 3, 4]);
    expect(values(a.set([5, 6, 7, 8]))).toEqual([5, 6, 7, 8]);
    expect(() => a.set(mx.nd.ones([4]))).toThrow(mx.ShapeError);
  });

  test('copyTo copies values into another array of the same shape and returns it', () => {
    const a = mx.nd.array([1, 2]);
    const b = mx.nd.zeros([2]);
    expect(a.copyTo(b)).toBe(b);
    expect(values(b)).toEqual([1, 2]);
    a.data[0] = 5;
    expect(b.data[0]).toBe(1);
  });

  test('arrays live on mx.cpu(), printed as cpu(0)', () => {
    expect(mx.nd.ones([1]).context.toString()).toBe('cpu(0)');
    expect(mx.cpu()).toBeInstanceOf(mx.Context);
  });

  test('asscalar returns the value of a one-element array and rejects others', () => {
    expect(mx.nd.array([2.5]).asscalar()).toBe(2.5);
    expect(() => mx.nd.ones([2]).asscalar()).toThrow(mx.MXNetError);
  });
});

describe('every registered op is callable as mx.nd.<Op>', () => {
  const data = () => mx.nd.array([[0.5, -1, 2], [0.25, 1, -0.5]]);
  /** Inputs for each op, by its family. */
  function inputsFor(name: string): mx.NdArg[] {
    if (/^(SoftmaxOutput|Softmax)$/.test(name)) return [data(), mx.nd.array([2, 0])];
    if (/RegressionOutput$/.test(name)) return [data(), mx.nd.zeros([2, 3])];
    if (/scalar$/i.test(name)) return [data(), { scalar: 2 }];
    if (/^(broadcast_|elemwise_|_(add|plus|Plus|sub|minus|Minus|mul|Mul|div|Div|maximum|Maximum|minimum|Minimum|power|Power|pow)$)/.test(name)) return [data(), mx.nd.full([2, 3], 2)];
    return [data()];
  }

  /** The ops of the core engine (later layers such as FullyConnected have their own tests). */
  const CORE_OPS = [
    'elemwise_add', '_add', '_plus', '_Plus', 'elemwise_sub', '_sub', '_minus', '_Minus',
    'elemwise_mul', '_mul', '_Mul', 'elemwise_div', '_div', '_Div',
    '_maximum', '_Maximum', '_minimum', '_Minimum', '_power', '_Power', '_pow',
    'broadcast_add', 'broadcast_plus', 'broadcast_sub', 'broadcast_minus', 'broadcast_mul', 'broadcast_div',
    'broadcast_maximum', 'broadcast_minimum', 'broadcast_power',
    '_plus_scalar', '_PlusScalar', '_minus_scalar', '_MinusScalar', '_rminus_scalar', '_RMinusScalar',
    '_mul_scalar', '_MulScalar', '_div_scalar', '_DivScalar', '_rdiv_scalar', '_RDivScalar',
    '_power_scalar', '_PowerScalar', '_rpower_scalar', '_RPowerScalar',
    'sigmoid', 'softmax', 'log_softmax',
    'SoftmaxOutput', 'Softmax', 'LinearRegressionOutput', 'LogisticRegressionOutput', 'MAERegressionOutput',
    'MakeLoss', 'make_loss', 'BlockGrad', 'stop_gradient',
  ] as const;

  test.each([...CORE_OPS])('mx.nd.%s runs its forward and returns an NDArray', (name) => {
    const inputs = inputsFor(name);
    const before = inputs.map((i) => (i instanceof mx.NDArray ? values(i) : null));
    const out = (mx.nd[name] as mx.NdOp)(...inputs);
    expect(out).toBeInstanceOf(mx.NDArray);
    expect(out.shape).toEqual([2, 3]);
    expect(values(out).every(Number.isFinite)).toBe(true);
    inputs.forEach((input, i) => {
      if (input instanceof mx.NDArray) expect(values(input)).toEqual(before[i]);
    });
  });

  test('mx.nd.LogisticRegressionOutput(m, n) returns sigmoid(m) (reference 7)', () => {
    const out = mx.nd.LogisticRegressionOutput(mx.nd.ones([3, 4]), mx.nd.zeros([3, 4]));
    expectClose(values(out), new Array(12).fill(1 / (1 + Math.exp(-1))), 1e-6, 1e-7);
  });

  test('mx.nd.SoftmaxOutput with a label of the wrong shape raises the op shape rule', () => {
    expect(() => mx.nd.SoftmaxOutput(mx.nd.ones([3, 4]), mx.nd.ones([4]))).toThrow(mx.ShapeError);
    expect(() => mx.nd.LinearRegressionOutput(mx.nd.ones([3, 4]), mx.nd.ones([3]))).toThrow(mx.ShapeError);
  });

  test('parameters go in a trailing object; inputs can be named', () => {
    const x = mx.nd.array([[1, 2], [3, 4]]);
    const byAxis = mx.nd.softmax(x, { axis: 0 });
    expectClose(values(byAxis), [1 / (1 + Math.exp(2)), 1 / (1 + Math.exp(2)), 1 / (1 + Math.exp(-2)), 1 / (1 + Math.exp(-2))], 1e-6, 1e-7);
    expect(values(mx.nd.sigmoid({ data: x }))).toEqual(values(mx.nd.sigmoid(x)));
  });
});

describe('properties', () => {
  /** Random pair of shapes that broadcast, with the expected result shape. */
  const compatibleArb = fc
    .array(fc.tuple(fc.integer({ min: 1, max: 4 }), fc.constantFrom('both', 'lhs1', 'rhs1')), { minLength: 0, maxLength: 4 })
    .chain((dims) =>
      fc.tuple(fc.constant(dims), fc.integer({ min: 0, max: dims.length }), fc.integer({ min: 0, max: dims.length })),
    )
    .map(([dims, dropL, dropR]) => {
      const lhs = dims.map(([d, kind]) => (kind === 'lhs1' ? 1 : d));
      const rhs = dims.map(([d, kind]) => (kind === 'rhs1' ? 1 : d));
      return { lhs: lhs.slice(dropL), rhs: rhs.slice(dropR), out: dims.map(([d], i) => (i < Math.min(dropL, dropR) ? (dropL < dropR ? lhs[i]! : rhs[i]!) : d)) };
    });

  test('compatible shapes broadcast to the maximum of the aligned dims, with a_i - b_j values', () => {
    fc.assert(
      fc.property(compatibleArb, ({ lhs, rhs }) => {
        const n = Math.max(lhs.length, rhs.length);
        const expected = Array.from({ length: n }, (_, i) => {
          const a = lhs[lhs.length - n + i] ?? 1;
          const b = rhs[rhs.length - n + i] ?? 1;
          return Math.max(a, b);
        });
        const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
        const a = mx.nd.arange(size(lhs)).reshape(lhs);
        const b = mx.nd.arange(size(rhs)).mul(0.5).reshape(rhs);
        const out = a.sub(b);
        expect(out.shape).toEqual(expected);
        // float64 reference: index each operand with its own (broadcast) coordinates
        const want: number[] = [];
        const strides = (shape: number[]) => shape.map((_, i) => size(shape.slice(i + 1)));
        const [sa, sb] = [strides(lhs), strides(rhs)];
        for (let flat = 0; flat < size(expected); flat++) {
          let rest = flat;
          let ia = 0;
          let ib = 0;
          for (let axis = n - 1; axis >= 0; axis--) {
            const coord = rest % expected[axis]!;
            rest = Math.floor(rest / expected[axis]!);
            const axA = axis - (n - lhs.length);
            const axB = axis - (n - rhs.length);
            if (axA >= 0 && lhs[axA] !== 1) ia += coord * sa[axA]!;
            if (axB >= 0 && rhs[axB] !== 1) ib += coord * sb[axB]!;
          }
          want.push(ia - 0.5 * ib);
        }
        expect(values(out)).toEqual(want);
      }),
      { numRuns: 200, seed: 1 },
    );
  });

  test('shapes with a mismatched non-1 aligned pair throw a ShapeError', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 3 }),
        fc.integer({ min: 2, max: 4 }),
        fc.integer({ min: 2, max: 4 }),
        (tail, a, b) => {
          fc.pre(a !== b);
          expect(() => mx.nd.ones([a, ...tail]).sub(mx.nd.ones([b, ...tail]))).toThrow(mx.ShapeError);
        },
      ),
      { numRuns: 100, seed: 2 },
    );
  });

  test('softmax along any axis gives values in [0, 1] summing to 1, even for large magnitudes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }).chain((shape) =>
          fc.tuple(
            fc.constant(shape),
            fc.integer({ min: -shape.length, max: shape.length - 1 }),
            fc.array(fc.integer({ min: -5000, max: 5000 }), { minLength: shape.reduce((a, b) => a * b, 1), maxLength: shape.reduce((a, b) => a * b, 1) }),
          ),
        ),
        ([shape, axis, raw]) => {
          const x = mx.nd.array(raw.map((v) => v / 50), { shape });
          const y = mx.nd.softmax(x, { axis });
          const ax = axis < 0 ? axis + shape.length : axis;
          const inner = shape.slice(ax + 1).reduce((a, b) => a * b, 1);
          const n = shape[ax]!;
          const outer = y.size / (n * inner);
          for (let o = 0; o < outer; o++) {
            for (let j = 0; j < inner; j++) {
              let sum = 0;
              for (let c = 0; c < n; c++) {
                const v = y.data[(o * n + c) * inner + j]!;
                expect(v).toBeGreaterThanOrEqual(0);
                expect(v).toBeLessThanOrEqual(1);
                sum += v;
              }
              expect(Math.abs(sum - 1)).toBeLessThan(1e-5);
            }
          }
        },
      ),
      { numRuns: 200, seed: 3 },
    );
  });
});

test('an invalid shape is reported once, naming the call: "ones: shape [2,-1] has an invalid dimension -1"', () => {
  expect(() => mx.nd.ones([2, -1])).toThrow(/^ones: shape \[2,-1\] has an invalid dimension -1: dimensions must be non-negative integers$/);
});

test('empty is zero-filled (mxts never exposes uninitialized memory); zerosLike/onesLike copy the shape', () => {
  expect(Array.from(mx.nd.empty([2, 3]).data)).toEqual([0, 0, 0, 0, 0, 0]);
  const a = mx.nd.array([[1, 2], [3, 4], [5, 6]]);
  for (const zeros of [mx.nd.zerosLike(a), mx.nd.zeros_like(a)]) {
    expect(zeros.shape).toEqual([3, 2]);
    expect(Array.from(zeros.data)).toEqual([0, 0, 0, 0, 0, 0]);
  }
  for (const ones of [mx.nd.onesLike(a), mx.nd.ones_like(a)]) {
    expect(ones.shape).toEqual([3, 2]);
    expect(Array.from(ones.data)).toEqual([1, 1, 1, 1, 1, 1]);
  }
  expect(Array.from(a.data)).toEqual([1, 2, 3, 4, 5, 6]);
});
