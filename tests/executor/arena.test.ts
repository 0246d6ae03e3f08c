/**
 * Executors' buffers in a WebAssembly arena: simpleBind carves every array from one memory when the
 * executor is large, and the element-wise SIMD kernels then run on them in place. Results must be
 * bit for bit those of the same executor on plain arrays (bind with arrays of our own), at lengths
 * that are not whole vectors, with 'add', and for softmax rows; small executors keep plain arrays.
 * Arenas reserved directly (Arena.reserve with a zero threshold) check the kernels on small views,
 * on the worker threads and on a single-threaded instance of the backend (MXTS_NUM_THREADS=1).
 */
import * as mx from 'mxts';
import type { Kernels } from '../../src/backend/backend';
import { Arena } from '../../src/backend/wasm/arena';
import { wasmBackend } from '../../src/backend/wasm/index';
import { arenaMemory } from '../../src/backend/wasm/staging';
import { logSoftmaxRows, softmaxRows } from '../../src/backend/wasm/vector_simd';
import { singleThreadedWasm } from '../helpers/isolated_wasm';

function sameBits(actual: Float32Array, expected: Float32Array): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) if (!Object.is(actual[i], expected[i])) throw new Error(`element ${i}: ${actual[i]}, expected ${expected[i]}`);
}

function seeded(count: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: count }, () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296) * 12 - 6);
}

const GUARD = new Array(8).fill(42);

/** One instance of the wasm backend: its kernels, its arenas and its SIMD softmax rows. */
interface Instance {
  readonly kernels: Kernels;
  readonly reserve: (floats: number) => Arena | null;
  readonly rows: readonly (typeof softmaxRows)[];
}

const pooled: Instance = { kernels: wasmBackend.kernels, reserve: (floats) => Arena.reserve(floats, 0), rows: [softmaxRows, logSoftmaxRows] };

function singleThreaded(): Instance {
  const { index, arena, vector } = singleThreadedWasm();
  return { kernels: index.wasmBackend.kernels, reserve: (floats) => arena.Arena.reserve(floats, 0), rows: [vector.softmaxRows, vector.logSoftmaxRows] };
}

const MAPS = ['exp', 'sigmoid', 'tanh'] as const;

/** exp/sigmoid/tanh on arena views x -> out, write then add, against plain arrays; guard behind out intact. */
function checkMaps(kernels: Kernels, x: Float32Array, out: Float32Array, guard: Float32Array): void {
  for (const fn of MAPS) {
    const plain = new Float32Array(x.length);
    for (const req of ['write', 'add'] as const) {
      kernels.unaryMap(fn, x.slice(), plain, req);
      kernels.unaryMap(fn, x, out, req);
      sameBits(out, plain);
    }
    expect(Array.from(guard)).toEqual(GUARD);
  }
}

/** softmax and log-softmax rows of arena views, against plain arrays; the 8 floats after ys intact. */
function checkRows(instance: Instance, arena: Arena, rows: number, cols: number): void {
  const xs = arena.alloc(rows * cols);
  const ys = arena.alloc(rows * cols);
  const after = arena.alloc(8).fill(42); // right behind ys: must survive the in-place rows
  xs.set(seeded(rows * cols, rows));
  for (const rowsKernel of instance.rows) {
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

/** simpleBind (an arena where the executor is large enough) or bind on arrays made here (plain memory). */
function run(shape: number[], how: 'simpleBind' | 'bind'): { outputs: Float32Array[]; grad: Float32Array; inArena: boolean } {
  const exec = how === 'simpleBind'
    ? heads().simpleBind(mx.cpu(), { shapes: { data: shape }, gradReq: 'write', backend: 'wasm' })
    : heads().bind(mx.cpu(), { data: mx.nd.zeros(shape) }, { argsGrad: { data: mx.nd.zeros(shape) }, gradReq: 'write', backend: 'wasm' });
  exec.argDict['data']!.set(seeded(shape.reduce((a, b) => a * b, 1), 3));
  exec.forward(true);
  exec.backward();
  return { outputs: exec.outputs.map((o) => o.data.slice()), grad: exec.gradDict['data']!.data.slice(), inArena: arenaMemory(exec.outputs[0]!.data.buffer) !== undefined };
}

// Every shape is large enough for an arena (its 4 MiB threshold), with rows that are not whole
// vectors; [300, 301] and [3, 40, 999] are large enough for the kernels to split across the
// worker threads.
test.each([[[1000, 53]], [[500, 128]], [[3, 500, 41]], [[300, 301]], [[3, 40, 999]]])('data %j: the same bits in an arena as in plain arrays, forward and backward', (shape) => {
  const plain = run(shape, 'bind');
  const arena = run(shape, 'simpleBind');
  expect(plain.inArena).toBe(false);
  expect(arena.inArena).toBe(true);
  arena.outputs.forEach((o, i) => sameBits(o, plain.outputs[i]!));
  sameBits(arena.grad, plain.grad);
});

test('small executors keep plain arrays by default', () => {
  expect(run([4, 5], 'simpleBind').inArena).toBe(false);
  expect(Arena.reserve(4 * 5 * 21)).toBeNull();
});

test("kernels on arena views: in place, 'add', x as the output, and softmax rows", () => {
  const arena = pooled.reserve(1 << 16)!;
  const n = 1003; // not a whole number of vectors
  const x = arena.alloc(n);
  const out = arena.alloc(n);
  const guard = arena.alloc(8).fill(42); // right behind out: in-place kernels must not store past it
  x.set(seeded(n, 7));
  checkMaps(pooled.kernels, x, out, guard);
  for (const fn of MAPS) {
    const plainOut = new Float32Array(n);
    const self = arena.alloc(n);
    self.set(x);
    pooled.kernels.unaryMap(fn, self, self, 'write');
    pooled.kernels.unaryMap(fn, x.slice(), plainOut, 'write');
    sameBits(self, plainOut);
  }
  checkRows(pooled, arena, 17, 59);
});

test('level-1 kernels on arena views: the same bits as on plain arrays, nothing stored past the output', () => {
  const { kernels } = pooled;
  const arena = pooled.reserve(1 << 16)!;
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
  check((x, _y, o) => kernels.unaryMap('relu', x, o, 'write'));
  check((x, _y, o) => kernels.unaryMap('relu', x, o, 'add'));
  check((x, y, o) => kernels.unaryGrad('tanh', x, x, y, o, 'write'));
  check((x, y, o) => kernels.unaryGrad('relu', x, x, y, o, 'add'));
  check((x, y, o) => kernels.binaryMap('div', x, y, o, 'write'));
  check((x, y, o) => kernels.binaryMap('sub', x, y, o, 'add'));
  check((x, _y, o) => kernels.axpby(-0.25, x, 0.5, o));
});

describe('in-place kernels split across the worker threads', () => {
  test.each([false, true])('maps and softmax rows on a large arena, single-threaded backend: %s', (single) => {
    const instance = single ? singleThreaded() : pooled;
    const arena = instance.reserve(1 << 21)!;
    const n = 200_003;
    const x = arena.alloc(n);
    const out = arena.alloc(n);
    const guard = arena.alloc(8).fill(42);
    x.set(seeded(n, 31));
    checkMaps(instance.kernels, x, out, guard);
    for (const [rows, cols] of [[513, 257], [7, 20000], [1000, 65]] as const) checkRows(instance, arena, rows, cols);
  });
});
