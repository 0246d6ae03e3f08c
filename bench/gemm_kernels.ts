/**
 * The GEMM micro-kernel alone, for choosing its register tile and loop shape: every variant
 * scripts/gen_gemm_wat.ts can write, compiled here, run on packed operands in its own memory
 * (no copies, no packing, one thread), interleaved round by round. Timed in CPU time of this
 * process (process.cpuUsage), which other processes on a shared machine disturb far less than
 * wall time. Variants: `4x8` (rows x columns, mul+add), `f4x8` (relaxed_madd), suffix `u2`
 * (K steps unrolled; default 1).
 *   npx tsx bench/gemm_kernels.ts [variants] [size]
 *   npx tsx bench/gemm_kernels.ts 4x8u4,4x8,f4x8,f3x12,6x8 768
 * Under Node 20 the fused variants need relaxed SIMD, which this script switches on.
 */
import { setFlagsFromString } from 'node:v8';
import wabtFactory from 'wabt';
import { gemmWat } from '../scripts/gen_gemm_wat';

const RELAXED_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 8, 1, 96, 3, 123, 123, 123, 1, 123, 3, 2, 1, 0, 10, 13, 1, 11, 0, 32, 0, 32, 1, 32, 2, 253, 133, 2, 11]);
if (!WebAssembly.validate(RELAXED_PROBE)) setFlagsFromString('--experimental-wasm-relaxed-simd');

const variants = (process.argv[2] ?? '4x8u4,4x8,f4x8,f3x12,4x12,6x8').split(',');
const size = Number(process.argv[3] ?? 768);
const ROUNDS = 25;

async function main(): Promise<void> {
  const wabt = await wabtFactory();
  const kernels = variants.map((name) => {
    const [tile, unroll] = name.split('u');
    const fused = tile!.startsWith('f');
    const [mr, nr] = tile!.replace('f', '').split('x').map(Number) as [number, number];
    const module = wabt.parseWat('gemm.wat', gemmWat({ mr, nr, fused, unroll: Number(unroll ?? 1) }), { simd: true, relaxed_simd: true });
    const exports = new WebAssembly.Instance(new WebAssembly.Module(module.toBinary({}).buffer)).exports as unknown as {
      memory: WebAssembly.Memory; gemm: (mPanels: number, nPanels: number, K: number, ap: number, bp: number, cp: number, ldc: number) => void;
    };
    module.destroy();
    const M = Math.ceil(size / mr) * mr;
    const N = Math.ceil(size / nr) * nr;
    const K = size;
    exports.memory.grow(Math.ceil(((M * K + K * N + M * N) * 4) / 65536));
    const floats = new Float32Array(exports.memory.buffer);
    for (let i = 0; i < (M + N) * K; i++) floats[i] = Math.random() - 0.5;
    const run = () => exports.gemm(M / mr, N / nr, K, 0, M * K * 4, (M * K + K * N) * 4, N * 4);
    run();
    return { name, run, flops: 2 * M * N * K, ms: [] as number[] };
  });
  for (let r = 0; r < ROUNDS; r++) {
    for (const k of kernels) {
      const start = process.cpuUsage();
      k.run();
      const used = process.cpuUsage(start);
      k.ms.push((used.user + used.system) / 1000);
    }
  }
  console.log(`GEMM micro-kernel, ${size}^3 on packed operands, one thread, GFLOP/s of CPU time (median / best of ${ROUNDS})`);
  for (const k of kernels) {
    const sorted = k.ms.sort((a, b) => a - b);
    console.log(`  ${k.name.padEnd(8)} ${(k.flops / sorted[Math.floor(ROUNDS / 2)]! / 1e6).toFixed(1).padStart(6)} / ${(k.flops / sorted[0]! / 1e6).toFixed(1).padStart(6)}`);
  }
}

void main();
