/**
 * A/B of two mxts trees in one process: this checkout ("new") against another checkout ("old",
 * e.g. a `git worktree` of an earlier commit with node_modules symlinked in). Each workload of
 * W1-W6 is built from each tree's own `src/index.ts` with the same seeds and shapes
 * (`workloads.ts`), the two trees' results are compared (bits, else the largest absolute
 * difference), and the two are timed interleaved round by round with `harness.ts`'s measure()
 * (one round per call, so the per-round new/old ratios are kept: their median and quartiles).
 *
 * Where the same seeds give different inputs (a sampler's float32 rounding changed), the old
 * tree's values are copied into the new tree's arrays first, and the output says so.
 *
 * Run from the repository root:
 *   npx tsx bench/ab_trees.ts <other-checkout> [--new <checkout>] [--old-first] [--only W1,W5]
 *     [--json out.jsonl]
 * (or `npm run bench:ab -- <other-checkout> ...`). "new" is this checkout unless --new names
 * another (two copies of one tree give an A/A run: the method's noise floor). The tree loaded
 * first can run the smallest workloads much faster (W4: 0.64-0.73 vs 1.42-1.62 in A/A runs), so
 * the new tree is loaded first unless --old-first: run both orders and combine them. Within each
 * round the contenders run in load order. --json appends each workload's per-round times as one
 * JSON line, to pool several runs.
 */
import { appendFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { measure } from './harness';
import type * as W from './workloads';

interface Case {
  readonly id: string;
  readonly label: string;
  /** Builds the workload from one tree's mxts, with that tree's own instance of workloads.ts. */
  readonly build: (mx: W.Mx, w: typeof W) => W.Workload | null;
  readonly rounds: number;
  readonly warmup: number;
  readonly inner?: number;
}

function usage(): never {
  console.error('usage: npx tsx bench/ab_trees.ts <other-checkout> [--new <checkout>] [--old-first] [--only W1,W5b,...] [--json out.jsonl]');
  process.exit(2);
}

const argv = process.argv.slice(2);
const valueOf = (flag: string) => {
  const at = argv.indexOf(flag);
  return at < 0 ? null : (argv[at + 1] ?? usage());
};
const only = valueOf('--only') === null ? null : new Set(valueOf('--only')!.split(','));
const jsonPath = valueOf('--json');
const oldFirst = argv.includes('--old-first');
const newRoot = valueOf('--new');
const otherRoot = argv.find((a, i) => !a.startsWith('--') && (i === 0 || !['--only', '--json', '--new'].includes(argv[i - 1]!)));
if (!otherRoot) usage();

/** Loads a tree's mxts; the old tree resolves its own imports from its own paths. */
const loadTree = (root: string): W.Mx => require(join(resolve(root), 'src', 'index.ts')) as W.Mx;

/**
 * A fresh instance of workloads.ts per tree: its closures (the timed `run` functions) are then
 * separate functions for each tree, so V8's type feedback for one tree's objects does not make
 * the other's call sites polymorphic.
 */
function freshWorkloads(): typeof W {
  const path = require.resolve('./workloads');
  delete require.cache[path];
  return require(path) as typeof W;
}

const started = new Date();
const order = oldFirst ? (['old', 'new'] as const) : (['new', 'old'] as const);
const roots = { new: resolve(newRoot ?? join(__dirname, '..')), old: resolve(otherRoot) };
const trees = {} as Record<'old' | 'new', W.Mx>;
const benches = {} as Record<'old' | 'new', typeof W>;
for (const which of order) {
  trees[which] = loadTree(roots[which]);
  benches[which] = freshWorkloads();
}
const { W6_FILES, W6_SYMBOLS } = benches.new;

const w3 = benches.new.w3Inputs();
const cases: Case[] = [
  { id: 'W1', label: 'W1 matmul 1024x1024 (nd.dot)', build: (mx, w) => w.w1Matmul(mx), rounds: 15, warmup: 2 },
  { id: 'W2', label: 'W2 MLP train step, batch 128, 784-512-256-10', build: (mx, w) => w.w2Mlp(mx), rounds: 25, warmup: 3 },
  { id: 'W3s', label: 'W3 sigmoid over 4M floats, Executor', build: (mx, w) => w.w3Executor(mx, 'sigmoid', w3.sigmoid), rounds: 25, warmup: 3 },
  { id: 'W3m', label: 'W3 softmax rows 4096x1000, Executor', build: (mx, w) => w.w3Executor(mx, 'softmax', w3.softmax), rounds: 25, warmup: 3 },
  { id: 'W4', label: 'W4 3x4 LogisticRegressionOutput fwd+bwd', build: (mx, w) => w.w4SmallHead(mx), rounds: 25, warmup: 3, inner: 2000 },
  { id: 'W5', label: 'W5 LeNet train step, batch 64', build: (mx, w) => w.w5LenetTrain(mx), rounds: 15, warmup: 2 },
  { id: 'W5b', label: 'W5b LeNet inference, batch 64', build: (mx, w) => w.w5LenetInference(mx, true), rounds: 15, warmup: 2 },
  { id: 'W6r', label: 'W6 ResNet-50 forward, 1x3x224x224', build: (mx, w) => w.w6RealModel(mx, W6_FILES[0]), rounds: 9, warmup: 1 },
  { id: 'W6i', label: 'W6 Inception-BN forward, 1x3x224x224', build: (mx, w) => w.w6RealModel(mx, W6_FILES[1]), rounds: 9, warmup: 1 },
];

/** 'same bits', or which results differ and their largest absolute difference. */
function compare(a: readonly [string, Float32Array][], b: readonly [string, Float32Array][]): string {
  if (a.length !== b.length) return `different result counts (${a.length} vs ${b.length})`;
  const differing: string[] = [];
  for (let k = 0; k < a.length; k++) {
    const [name, x] = a[k]!;
    const y = b[k]![1];
    if (x.length !== y.length) return `${name}: lengths ${x.length} vs ${y.length}`;
    const xb = new Uint32Array(x.buffer, x.byteOffset, x.length);
    const yb = new Uint32Array(y.buffer, y.byteOffset, y.length);
    let maxDiff = 0;
    let maxAbs = 0;
    let count = 0;
    for (let i = 0; i < x.length; i++) {
      if (xb[i] === yb[i]) continue;
      count++;
      const d = Math.abs(x[i]! - y[i]!);
      maxDiff = Number.isNaN(d) ? NaN : Math.max(maxDiff, d);
      maxAbs = Math.max(maxAbs, Math.abs(x[i]!));
    }
    if (count > 0) differing.push(`${name}: ${count}/${x.length} differ, max |diff| ${maxDiff.toExponential(2)} (|value| up to ${maxAbs.toExponential(2)})`);
  }
  return differing.length === 0 ? `same bits (${a.length} arrays)` : `${differing.length} of ${a.length} arrays differ: ${differing.join('; ')}`;
}

/** Compares the inputs both trees built and copies the old tree's into the new tree's where they differ. */
function sameInputs(oldW: W.Workload, newW: W.Workload): string {
  const olds = oldW.inputs();
  const news = new Map(newW.inputs());
  const copied: string[] = [];
  for (const [name, array] of olds) {
    const mine = news.get(name);
    if (!mine) throw new Error(`the new tree's workload has no input ${name}`);
    const a = new Uint32Array(array.data.buffer, array.data.byteOffset, array.size);
    const b = new Uint32Array(mine.data.buffer, mine.data.byteOffset, mine.size);
    if (a.length === b.length && a.every((v, i) => v === b[i])) continue;
    copied.push(name);
    mine.set(array.data);
  }
  return copied.length === 0 ? `same bits (${olds.length} arrays)` : `${copied.length} of ${olds.length} differed (${copied.join(', ')}): the old tree's values copied into the new tree's`;
}

function median(values: readonly number[]): number {
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const format = (ms: number) => (ms >= 1 ? `${ms.toFixed(2)} ms` : `${(ms * 1000).toFixed(3)} µs`);
const dispose = (w: W.Workload | null) => (w?.exec as { dispose?: () => void } | undefined)?.dispose?.();

const cpu = cpus();
console.log(`node ${process.version}, ${cpu.length} cores, ${cpu[0]?.model ?? ''}; MXTS_NUM_THREADS=${process.env['MXTS_NUM_THREADS'] ?? '(unset)'}`);
console.log(`new = ${roots.new} (backend ${trees.new.getBackend?.() ?? '?'}), old = ${roots.old}; loaded ${order.join(' then ')}; started ${started.toISOString()}`);

const rows: string[] = [];
for (const c of cases) {
  if (only && !only.has(c.id)) continue;
  const built = {} as Record<'old' | 'new', W.Workload | null>;
  for (const which of order) built[which] = c.build(trees[which], benches[which]);
  const [oldW, newW] = [built.old, built.new];
  if (!oldW || !newW) {
    console.log(`\n${c.label}: skipped (symbol file absent under ${W6_SYMBOLS})`);
    continue;
  }
  // The same seeds should give the same inputs; where they do not (a sampler's rounding changed),
  // the old tree's values are copied into the new tree's arrays so that the kernels see the same
  // data, and the results compare the kernels alone.
  const inputs = sameInputs(oldW, newW);
  oldW.run();
  newW.run();
  const agreement = compare(oldW.results(), newW.results());
  // measure() one round at a time (after its warm-up rounds), so that each round's pair of
  // timings is kept: the median of the per-round new/old ratios and their quartiles show the noise.
  // Repeated calls loop in each tree's own copy of workloads.ts (see `repeated`), not in measure().
  const perCall = c.inner ?? 1;
  const contenders = order.map((which) => ({ name: which, run: perCall > 1 ? benches[which].repeated(built[which]!.run, perCall) : built[which]!.run }));
  measure(contenders, { rounds: 0, warmup: c.warmup });
  const times = { old: [] as number[], new: [] as number[] };
  for (let r = 0; r < c.rounds; r++) {
    for (const result of measure(contenders, { rounds: 1, warmup: 0 })) times[result.name as 'old' | 'new'].push(result.medianMs / perCall);
  }
  const oldMs = median(times.old);
  const newMs = median(times.new);
  const ratios = times.new.map((t, r) => t / times.old[r]!).sort((a, b) => a - b);
  const quartile = (q: number) => ratios[Math.floor(q * (ratios.length - 1))]!.toFixed(2);
  const ratio = (newMs / oldMs).toFixed(3);
  const spread = `${median(ratios).toFixed(3)} [${quartile(0.25)}-${quartile(0.75)}]`;
  console.log(`\n${c.label}  (${c.rounds} rounds${c.inner ? ` x ${c.inner} calls` : ''})`);
  console.log(`  old ${format(oldMs).padStart(11)}   new ${format(newMs).padStart(11)}   new/old ${ratio}   per-round new/old: median ${spread}`);
  console.log(`  inputs: ${inputs}\n  results after one call: ${agreement}`);
  if (jsonPath) appendFileSync(jsonPath, `${JSON.stringify({ id: c.id, label: c.label, order, at: new Date().toISOString(), old: times.old, new: times.new })}\n`);
  rows.push(`| ${c.label} | ${format(oldMs)} | ${format(newMs)} | ${ratio} | ${spread} | ${agreement.startsWith('same bits') ? 'same bits' : agreement} |`);
  dispose(oldW);
  dispose(newW);
}

console.log(`\nfinished ${new Date().toISOString()}; load order ${order.join(' then ')}\n`);
console.log('| workload | old | new | new/old | per-round new/old, median [quartiles] | results |\n|---|---|---|---|---|---|');
for (const row of rows) console.log(row);
process.exit(0);
