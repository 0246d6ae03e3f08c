/**
 * Planned training memory of one or more mxts trees: LeNet (bench W5's, batch 64, 1x28x28) and
 * ResNet-50 (../shared/mxnet-files' plant-seeds symbol, batch 32, 3x224x224), each bound with
 * simpleBind and gradReq 'write' on every parameter. Prints `exec.plannedBytes` (what the
 * executor allocated for op outputs and intermediate gradients) and `exec.naiveBytes` (one buffer
 * each, no reuse), and, where the tree has it, `exec.memoryPlan().peakBytes` (the shared region).
 * Arguments, their gradients and auxiliary states are in none of these figures.
 *
 * Run from the repository root: npx tsx bench/planned_memory.ts [checkout ...] (default: this one).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { W6_FILES, W6_SYMBOLS, lenetSymbol, type Mx } from './workloads';

type Sym = ReturnType<Mx['sym']['Variable']>;

const isData = (name: string) => name === 'data' || name.endsWith('_label');

function bindForTraining(mx: Mx, net: Sym, data: number[], params: readonly string[]) {
  const gradReq = Object.fromEntries(net.listArguments().map((n) => [n, params.includes(n) ? ('write' as const) : ('null' as const)]));
  return net.simpleBind(mx.cpu(), { shapes: { data }, gradReq });
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const roots = process.argv.length > 2 ? process.argv.slice(2).map((p) => resolve(p)) : [resolve(__dirname, '..')];
const rows: string[] = [];

for (const root of roots) {
  const mx = require(join(root, 'src', 'index.ts')) as Mx;
  const models: { label: string; build: () => { net: Sym; data: number[] } | null }[] = [
    { label: 'LeNet, batch 64, 1x28x28', build: () => ({ net: lenetSymbol(mx), data: [64, 1, 28, 28] }) },
    {
      label: 'ResNet-50, batch 32, 3x224x224',
      build: () => {
        const path = join(W6_SYMBOLS, W6_FILES[0]);
        return existsSync(path) ? { net: mx.sym.load(path), data: [32, 3, 224, 224] } : null;
      },
    },
  ];
  for (const model of models) {
    const built = model.build();
    if (!built) {
      console.log(`${root}: ${model.label}: symbol file absent under ${W6_SYMBOLS}, skipped`);
      continue;
    }
    const params = built.net.listArguments().filter((n) => !isData(n));
    const start = Date.now();
    const exec = bindForTraining(mx, built.net, built.data, params);
    const plan = (exec as { memoryPlan?: () => { peakBytes: number } }).memoryPlan?.();
    const peak = plan ? mib(plan.peakBytes) : '-';
    const line = `${model.label}: planned ${mib(exec.plannedBytes)} (${exec.plannedBytes} B), one buffer each ${mib(exec.naiveBytes)} (${exec.naiveBytes} B), region peak ${peak}`;
    console.log(`${root}: ${line}; bound in ${Date.now() - start} ms`);
    rows.push(`| ${root} | ${model.label} | ${mib(exec.plannedBytes)} | ${mib(exec.naiveBytes)} | ${peak} |`);
    (exec as { dispose?: () => void }).dispose?.();
  }
}

console.log('\n| tree | model (gradReq write on every parameter) | plannedBytes | naiveBytes | memoryPlan().peakBytes |\n|---|---|---|---|---|');
for (const row of rows) console.log(row);
process.exit(0);
