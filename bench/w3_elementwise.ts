/**
 * W3: element-wise throughput. Sigmoid over 4M floats and softmax over 4096 rows of 1000 floats,
 * in GB/s of bytes read plus written (8 bytes per element), through an mxts Executor (simpleBind:
 * its arrays live in WebAssembly memory and the kernels run on them in place), mxts's kernels on
 * JavaScript arrays (the wasm backend's unaryMap and softmaxForward kernels: copies through the
 * module's memory), mxts's
 * imperative `mx.nd.sigmoid` / `mx.nd.softmax` (which also allocate the output), and TensorFlow.js
 * on the cpu and wasm backends: the op alone (its result stays in the backend, for wasm inside
 * the module's memory) and the op plus `dataSync()` (the result readable from JavaScript, as
 * mxts's outputs are). Also times the copies alone, the part of mxts's cost that tfjs-wasm,
 * whose tensors live in wasm memory, does not pay.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import * as mx from '../src/index';
import { backendNamed } from '../src/backend/select';
import { vectorModule } from '../src/backend/wasm/vector_simd';
import { Contender, measure, report } from './harness';
import { measurePeaks, printFraction } from './peak';
import { W3_COLS as COLS, W3_ROWS as ROWS, W3_SIGMOID_N as SIGMOID_N, w3Executor, w3Inputs } from './workloads';

export async function benchW3(): Promise<void> {
  const copy = (await measurePeaks()).copy.allThreads;
  const kernels = backendNamed('wasm').kernels;
  const sigmoidKernel = (x: Float32Array, y: Float32Array) => kernels.unaryMap('sigmoid', x, y, 'write');
  const softmaxKernel = (x: Float32Array, y: Float32Array) => kernels.softmaxForward(x, y, { outer: ROWS, n: COLS, inner: 1 }, 1, false, false);
  const { sigmoid: sx, softmax: px } = w3Inputs();
  const sy = new Float32Array(SIGMOID_N);
  const mx4m = new mx.NDArray(sx, [SIGMOID_N]);
  const py = new Float32Array(ROWS * COLS);
  const mxRows = new mx.NDArray(px, [ROWS, COLS]);

  // The symbolic path: simpleBind puts a large executor's arrays in WebAssembly memory, where the
  // kernels run in place (no copies), as tfjs-wasm's tensors live in its heap.
  const sigmoidOurs: Contender[] = [
    { name: 'mxts Executor', run: w3Executor(mx, 'sigmoid', sx).run },
    { name: 'mxts kernels.unaryMap', run: () => sigmoidKernel(sx, sy) },
    { name: 'mxts nd.sigmoid', run: () => void mx.nd.sigmoid(mx4m) },
  ];
  const softmaxOurs: Contender[] = [
    { name: 'mxts Executor', run: w3Executor(mx, 'softmax', px).run },
    { name: 'mxts kernels.softmaxForward', run: () => softmaxKernel(px, py) },
    { name: 'mxts nd.softmax', run: () => void mx.nd.softmax(mxRows) },
  ];

  for (const backend of ['cpu', 'wasm']) {
    await tf.setBackend(backend);
    await tf.ready();
    const tx = tf.tensor1d(sx);
    const tp = tf.tensor2d(px, [ROWS, COLS]);
    const name = `tfjs-${backend}`;
    // The cpu backend runs a 4M-element op in ~10-100 ms: fewer rounds keep the run short.
    const rounds = backend === 'cpu' ? 7 : 15;
    const sig = measure([...sigmoidOurs,
      { name, run: () => tf.sigmoid(tx).dispose() },
      { name: `${name} +dataSync`, run: () => { const y = tf.sigmoid(tx); y.dataSync(); y.dispose(); } },
    ], { rounds, warmup: 2 });
    report(`W3 sigmoid over 4M floats (mxts vs ${name})`, sig, { unit: 'GB/s', perCall: (SIGMOID_N * 8) / 1e9 });
    printFraction('mxts Executor', (SIGMOID_N * 8) / 1e9 / (sig[0]!.medianMs / 1000), copy, 'GB/s', 'all-threads copy bandwidth');
    const sm = measure([...softmaxOurs,
      { name, run: () => tf.softmax(tp).dispose() },
      { name: `${name} +dataSync`, run: () => { const y = tf.softmax(tp); y.dataSync(); y.dispose(); } },
    ], { rounds, warmup: 2 });
    report(`W3 softmax over 4096x1000 rows (mxts vs ${name})`, sm, { unit: 'GB/s', perCall: (ROWS * COLS * 8) / 1e9 });
    printFraction('mxts Executor', (ROWS * COLS * 8) / 1e9 / (sm[0]!.medianMs / 1000), copy, 'GB/s', 'all-threads copy bandwidth');
    tx.dispose();
    tp.dispose();
  }

  // Where mxts's time goes: the kernels alone on data already in wasm memory, and the copies.
  const mod = vectorModule();
  if (mod) {
    const bytes = SIGMOID_N * 4;
    const have = mod.memory.buffer.byteLength;
    if (2 * bytes + 64 > have) mod.memory.grow(Math.ceil((2 * bytes + 64 - have) / 65536));
    const heap = new Float32Array(mod.memory.buffer);
    heap.set(sx, 0);
    const chunk = 16384;
    const softmaxN = ROWS * COLS;
    const parts: (Contender & { elems: number })[] = [
      { name: 'mxts kernels.unaryMap', elems: SIGMOID_N, run: () => sigmoidKernel(sx, sy) },
      { name: 'mxts kernels.softmaxForward', elems: softmaxN, run: () => softmaxKernel(px, py) },
      { name: 'sigmoid kernel, 16K chunks in place', elems: SIGMOID_N, run: () => { for (let s = 0; s < SIGMOID_N; s += chunk) mod.sigmoid(0, 4 * (chunk + 8), chunk, 0); } },
      { name: 'softmax kernel, 16-row chunks in place', elems: softmaxN, run: () => { for (let r = 0; r < ROWS; r += 16) mod.softmax(0, 4 * (16 * COLS + 8), 16, COLS, 0); } },
      { name: 'sigmoid kernel, whole 16 MB', elems: SIGMOID_N, run: () => mod.sigmoid(0, bytes + 32, SIGMOID_N, 0) },
      {
        elems: SIGMOID_N,
        name: 'copies in+out only',
        run: () => {
          for (let s = 0; s < SIGMOID_N; s += chunk) {
            heap.set(sx.subarray(s, s + chunk), 0);
            sy.set(heap.subarray(chunk + 8, 2 * chunk + 8), s);
          }
        },
      },
      { name: 'one memcpy (y.set(x))', elems: SIGMOID_N, run: () => sy.set(sx) },
    ];
    // Medians and minima (the machine is shared: the minimum approximates an uncontended run).
    const samples = parts.map(() => [] as number[]);
    for (let round = 0; round < 27; round++) {
      parts.forEach((c, i) => {
        const start = process.hrtime.bigint();
        c.run();
        if (round >= 2) samples[i]!.push(Number(process.hrtime.bigint() - start) / 1e6);
      });
    }
    console.log("\nW3 where mxts's time goes (GB/s counts 8 bytes per element), median / minimum of 25");
    parts.forEach((c, i) => {
      const sorted = samples[i]!.sort((a, b) => a - b);
      const med = sorted[sorted.length >> 1]!;
      const min = sorted[0]!;
      const rate = (ms: number) => ((c.elems * 8) / 1e6 / ms).toFixed(2);
      console.log(`  ${c.name.padEnd(40)} ${med.toFixed(2).padStart(7)} / ${min.toFixed(2).padStart(6)} ms  ${rate(med).padStart(6)} / ${rate(min).padStart(6)} GB/s`);
    });
  }
}

if (require.main === module) void benchW3();
