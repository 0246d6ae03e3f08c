/**
 * W7: ONNX Runtime as the peer, on inference: W5b (LeNet, batch 64) and W6 (ResNet-50 and
 * Inception-BN from ../shared/mxnet-files, one 224x224 image). The same graph and weights go to
 * ONNX Runtime through `mx.onnx.exportModel`; onnxruntime-web (WebAssembly SIMD, its own threads)
 * and onnxruntime-node (native) run it in the same process, interleaved round by round with mxts,
 * on the same input, and their outputs are compared with mxts's.
 *
 * Thread counts match mxts's (`mx.backendInfo().threads`, from MXTS_NUM_THREADS or the cores):
 *   MXTS_NUM_THREADS=1 npx tsx bench/w7_onnx_peers.ts   # one thread each
 *   npx tsx bench/w7_onnx_peers.ts                      # all cores each
 * onnxruntime-web comes from bench/node_modules (`npm install` in bench/), onnxruntime-node from
 * the root's devDependencies.
 */
import * as mx from '../src/index';
import { Result, report } from './harness';
import { W5_BATCH, W6_FILES, w5LenetInference, lenetSymbol, w6RealModel, type Workload } from './workloads';

interface OrtTensor { readonly data: Float32Array }
interface OrtSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, unknown>): Promise<Record<string, OrtTensor>>;
  release?(): Promise<void>;
}
interface Ort {
  readonly Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => unknown;
  readonly InferenceSession: { create(bytes: Uint8Array, options?: object): Promise<OrtSession> };
  readonly env: { wasm: { numThreads: number; simd?: boolean } };
}

function optional(name: string): Ort | null {
  try {
    return require(name) as Ort;
  } catch {
    console.log(`  (${name} is not installed: skipped)`);
    return null;
  }
}

/** Each round runs every contender once, in turn; medians per contender. */
async function measureAsync(contenders: readonly { name: string; run: () => unknown }[], rounds: number, warmup: number): Promise<Result[]> {
  const samples = contenders.map(() => [] as number[]);
  for (let r = 0; r < warmup + rounds; r++) {
    for (let i = 0; i < contenders.length; i++) {
      const start = performance.now();
      await contenders[i]!.run();
      if (r >= warmup) samples[i]!.push(performance.now() - start);
    }
  }
  return contenders.map((c, i) => ({ name: c.name, medianMs: samples[i]!.sort((a, b) => a - b)[Math.floor(samples[i]!.length / 2)]! }));
}

function argMax(values: Float32Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

function worstDifference(ours: Float32Array, theirs: Float32Array): string {
  let abs = 0;
  let scale = 0;
  for (let i = 0; i < ours.length; i++) {
    abs = Math.max(abs, Math.abs(ours[i]! - theirs[i]!));
    scale = Math.max(scale, Math.abs(ours[i]!));
  }
  return `max |diff| ${abs.toExponential(2)} (${(abs / scale).toExponential(2)} of max |output| ${scale.toPrecision(3)}), same arg max: ${argMax(ours) === argMax(theirs)}`;
}

async function compare(label: string, symbol: mx.Symbol, workload: Workload & { readonly exec: mx.Executor }, shape: number[], rounds: number): Promise<void> {
  const threads = mx.backendInfo().threads;
  const { exec } = workload;
  // W6 leaves BatchNorm's gamma at 0 (its outputs are then the same for every class): 1 here, so
  // comparing outputs tests the whole graph.
  for (const [name, array] of Object.entries(exec.argDict)) if (name.endsWith('_gamma')) array.set(1);
  const params: Record<string, mx.NDArray> = {};
  for (const [name, array] of Object.entries(exec.argDict)) if (name !== 'data' && !name.endsWith('_label')) params[name] = array;
  for (const [name, array] of Object.entries(exec.auxDict)) params[name] = array;
  let bytes: Uint8Array;
  try {
    bytes = mx.onnx.exportModel(symbol, params, { inputShapes: { data: shape } });
  } catch (error) {
    console.log(`\n${label}: mx.onnx.exportModel failed (${(error as Error).message}); no ONNX Runtime peers`);
    return;
  }
  const data = exec.argDict['data']!.data.slice();
  workload.run();
  const ours = exec.outputs[0]!.data.slice();
  // CPU time over wall time while mxts runs (its calls are synchronous, the peers' threads idle):
  // how busy mxts keeps the cores.
  const busy = { cpu: 0, wall: 0 };
  const ownRun = () => {
    const cpu = process.cpuUsage();
    const start = performance.now();
    workload.run();
    const used = process.cpuUsage(cpu);
    busy.cpu += (used.user + used.system) / 1000;
    busy.wall += performance.now() - start;
  };
  const contenders: { name: string; run: () => unknown }[] = [{ name: `mxts Executor (${threads} thr)`, run: ownRun }];
  const notes: string[] = [];
  for (const [name, ort, options] of [
    ['onnxruntime-web', web, { executionProviders: ['wasm'] }],
    ['onnxruntime-node', native, { intraOpNumThreads: threads, interOpNumThreads: 1 }],
  ] as const) {
    if (!ort) continue;
    const session = await ort.InferenceSession.create(bytes, options);
    const feeds = { [session.inputNames[0]!]: new ort.Tensor('float32', data, shape) };
    const out = (await session.run(feeds))[session.outputNames[0]!]!.data;
    notes.push(`  ${name}: ${worstDifference(ours, out)}`);
    contenders.push({ name: `${name} (${threads} thr)`, run: () => session.run(feeds) });
  }
  const results = await measureAsync(contenders, rounds, 2);
  report(`${label}: mxts vs ONNX Runtime, same weights and input`, results);
  notes.forEach((n) => console.log(n));
  console.log(`  mxts kept ${(busy.cpu / busy.wall).toFixed(2)} cores busy on average (CPU time / wall time)`);
}

let web: Ort | null = null;
let native: Ort | null = null;

export async function benchW7(): Promise<void> {
  const threads = mx.backendInfo().threads;
  web = optional('onnxruntime-web');
  native = optional('onnxruntime-node');
  // onnxruntime-web reads its thread count once, at its first session.
  if (web) web.env.wasm.numThreads = threads;
  await compare(`W5b LeNet inference, batch ${W5_BATCH}`, lenetSymbol(mx), w5LenetInference(mx, true), [W5_BATCH, 1, 28, 28], 15);
  for (const file of W6_FILES) {
    const model = w6RealModel(mx, file);
    if (!model) continue;
    await compare(`W6 ${file}, batch 1`, mx.sym.load(`${__dirname}/../../shared/mxnet-files/symbols/${file}`), model, [1, 3, 224, 224], 7);
  }
}

if (require.main === module) void benchW7().then(() => process.exit(0));
