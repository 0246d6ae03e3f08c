/**
 * Executors' buffers in a WebAssembly arena: simpleBind carves every array from one memory when the
 * executor is large (forced here with a zero threshold), and the element-wise SIMD kernels then run
 * on them in place. Results must be bit for bit those of the same executor on plain arrays, at
 * lengths that are not whole vectors, with 'add', and for softmax rows; small executors keep plain
 * arrays.
 */
import * as mx from 'mxts';
import { Arena } from '../../src/backend/wasm/arena';
import { ARENA } from '../../src/backend/wasm/tuning';
import { expInto, logSoftmaxRows, sigmoidInto, softmaxRows, tanhInto } from '../../src/backend/wasm/vector_simd';
import { arenaMemory } from '../../src/backend/wasm/staging';
import { activationGradInto, axpby, binaryInto, reluInto } from '../../src/backend/wasm/level1_simd';
import { disableThreadsForTesting } from '../../src/backend/wasm/gemm_simd';

function sameBits(actual: Float32Array, expected: Float32Array): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) if (!Object.is(actual[i], expected[i])) throw new Error(`element ${i}: ${actual[i]}, expected ${expected[i]}`);
}

function seeded(count: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: count }, () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296) * 12 - 6);
}

const DEFAULT_MIN_BYTES = ARENA.minBytes;
afterEach(() => (ARENA.minBytes = DEFAULT_MIN_BYTES));

const GUARD = new Array(8).fill(42);

/** exp/sigmoid/tanh on arena views x -> out, write then add, against plain arrays; guard behind out intact. */
function checkMaps(x: Float32Array, out: Float32Array, guard: Float32Array): void {
  for (const kernel of [expInto, sigmoidInto, tanhInto]) {
    const plain = new Float32Array(x.length);
    for (const req of ['write', 'add'] as const) {
      kernel(x.slice(), plain, req);
      kernel(x, out, req);
      sameBits(out, plain);
    }
    expect(Array.from(guard)).toEqual(GUARD);
  }
}

/** softmax and log-softmax rows of arena views, against plain arrays; the 8 floats after ys intact. */
function checkRows(arena: Arena, rows: number, cols: number): void {
  const xs = arena.alloc(rows * cols);
  const ys = arena.alloc(rows * cols);
  const after = arena.alloc(8).fill(42); // right behind ys: must survive the in-place rows
  xs.set(seeded(rows * cols, rows));
  for (const rowsKernel of [softmaxRows, logSoftmaxRows]) {
    const plain = new Float32Array(rows * cols);
    expect(rowsKernel(xs.slice(), plain, rows, cols)).toBe(true);
    expect(rowsKernel(xs, ys, rows, cols)).toBe(true);
    sameBits(ys, plain);
    expect(Array.from(after)).toEqual(GUARD);
  }
}

/** data -> exp, sigmoid, tanh, softmax, log_softmax heads, trained so backward runs too. */
function heads(): mx.Symbol {
  const data = mx.sym.Variable('data');
  return mx.sym.Group([
    mx.sym.MakeLoss(mx.sym.exp(mx.sym.tanh(data))),
    mx.sym.MakeLoss(mx.sym.Activation(data, { act_type: 'sigmoid' })),
    mx.sym.MakeLoss(mx.sym.softmax(data)),
    mx.sym.MakeLoss(mx.sym.log_softmax(data)),
  ]);
}

function run(shape: number[]): { outputs: Float32Array[]; grad: Float32Array; inArena: boolean } {
  const exec = heads().simpleBind(mx.cpu(), { shapes: { data: shape }, gradReq: 'write', backend: 'wasm' });
  exec.argDict['data']!.set(seeded(shape.reduce((a, b) => a * b, 1), 3));
  exec.forward(true);
  exec.backward();
  return { outputs: exec.outputs.map((o) => o.data.slice()), grad: exec.gradDict['data']!.data.slice(), inArena: arenaMemory(exec.outputs[0]!.data.buffer) !== undefined };
}

// [300, 301] and [3, 40, 999] are large enough for the kernels to split across the worker threads.
test.each([[[37, 53]], [[8, 128]], [[3, 5, 41]], [[300, 301]], [[3, 40, 999]]])('data %j: the same bits in an arena as in plain arrays, forward and backward', (shape) => {
  ARENA.minBytes = Number.MAX_SAFE_INTEGER;
  const plain = run(shape);
  ARENA.minBytes = 0;
  const arena = run(shape);
  expect(plain.inArena).toBe(false);
  expect(arena.inArena).toBe(true);
  arena.outputs.forEach((o, i) => sameBits(o, plain.outputs[i]!));
  sameBits(arena.grad, plain.grad);
});

test('small executors keep plain arrays by default', () => {
  expect(run([4, 5]).inArena).toBe(false);
});

test("kernels on arena views: in place, 'add', x as the output, and softmax rows", () => {
  ARENA.minBytes = 0;
  const arena = Arena.reserve(1 << 16)!;
  const n = 1003; // not a whole number of vectors
  const x = arena.alloc(n);
  const out = arena.alloc(n);
  const guard = arena.alloc(8).fill(42); // right behind out: in-place kernels must not store past it
  x.set(seeded(n, 7));
  checkMaps(x, out, guard);
  for (const kernel of [expInto, sigmoidInto, tanhInto]) {
    const plainOut = new Float32Array(n);
    const self = arena.alloc(n);
    self.set(x);
    kernel(self, self, 'write');
    sameBits(self, (kernel(x.slice(), plainOut, 'write'), plainOut));
  }
  checkRows(arena, 17, 59);
});

test('level-1 kernels on arena views: the same bits as on plain arrays, nothing stored past the output', () => {
  ARENA.minBytes = 0;
  const arena = Arena.reserve(1 << 16)!;
  const n = 1001;
  const a = arena.alloc(n).fill(0);
  const b = arena.alloc(n);
  const out = arena.alloc(n);
  const guard = arena.alloc(8).fill(42);
  a.set(seeded(n, 21));
  b.set(seeded(n, 22));
  const check = (run: (x: Float32Array, y: Float32Array, o: Float32Array) => void) => {
    const plain = out.slice();
    run(a.slice(), b.slice(), plain);
    run(a, b, out);
    sameBits(out, plain);
    expect(Array.from(guard)).toEqual(new Array(8).fill(42));
  };
  check((x, _y, o) => reluInto(x, o, 'write'));
  check((x, _y, o) => reluInto(x, o, 'add'));
  check((x, y, o) => activationGradInto('tanh', x, y, o, 'write'));
  check((x, y, o) => activationGradInto('relu', x, y, o, 'add'));
  check((x, y, o) => binaryInto('div', x, y, o, 'write'));
  check((x, y, o) => binaryInto('sub', x, y, o, 'add'));
  check((x, _y, o) => axpby(-0.25, x, 0.5, o));
});

describe('in-place kernels split across the worker threads', () => {
  afterEach(() => disableThreadsForTesting(false));

  test.each([false, true])('maps and softmax rows on a large arena, single thread only: %s', (single) => {
    disableThreadsForTesting(single);
    ARENA.minBytes = 0;
    const arena = Arena.reserve(1 << 21)!;
    const n = 200_003;
    const x = arena.alloc(n);
    const out = arena.alloc(n);
    const guard = arena.alloc(8).fill(42);
    x.set(seeded(n, 31));
    checkMaps(x, out, guard);
    for (const [rows, cols] of [[513, 257], [7, 20000], [1000, 65]] as const) checkRows(arena, rows, cols);
  });
});
