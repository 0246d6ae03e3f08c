/**
 * Writes src/backend/wasm/gemm.wat and gemm_fma.wat: the SIMD128 GEMM loop nest for an MR x NR
 * register tile, with f32x4.mul + f32x4.add and with relaxed SIMD's f32x4.relaxed_madd.
 * Generated because the tile's accumulators are written out one by one; the tile size is
 * MR x NR from src/backend/wasm/tuning.ts, the blocking constants are below; after a change run
 * `npm run build:wasm`, and measure with bench/gemm_kernels.ts (the kernel alone) and bench/w1_matmul.ts.
 * Run: `npx tsx scripts/gen_gemm_wat.ts`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MR, NR } from '../src/backend/wasm/tuning';

/** K block: a tile's first block stores, later ones add; 256 keeps an A and a B panel slice in L1. */
const DEFAULT_KC = 256;
/** Column panels per N block, so the block's B slice stays in L2 while row panels pass over it. */
const DEFAULT_NCP = 32;
/**
 * K steps unrolled in the inner loop. 1: with 4 steps unrolled V8 (Node 20 and 22) schedules all
 * their loads first and spills accumulators to the stack; the rolled loop ran the 4x8 kernel at
 * 43 GFLOP/s per thread against 28 (CPU time, 768^3, interleaved; BENCHMARKS.md).
 */
const DEFAULT_UNROLL = 1;

/** Copies `count` floats from `src` to `out` (byte pointers): whole vectors, then 8 and 4 bytes. */
function copyFloats(count: number, out: string, src: string): string {
  const parts: string[] = [];
  let at = 0;
  for (; at + 4 <= count; at += 4) parts.push(`(v128.store offset=${at * 4} (local.get ${out}) (v128.load offset=${at * 4} (local.get ${src})))`);
  if (at + 2 <= count) parts.push(`(i64.store offset=${at * 4} (local.get ${out}) (i64.load offset=${at * 4} (local.get ${src})))`), (at += 2);
  if (at < count) parts.push(`(f32.store offset=${at * 4} (local.get ${out}) (f32.load offset=${at * 4} (local.get ${src})))`);
  return parts.join('\n            ');
}

/**
 * Packing, in WebAssembly so it runs at native speed and on every thread: raw row-major copies
 * of op(A) and op(B)'s storage are rearranged into the kernel's panels, zero-padded. Each call
 * packs a range of panels [p0, p1), so threads can share the work. All pointers are bytes.
 */
const packFunctions = (MR: number, NR: number) => `
  ;; Row panels of ${MR} ([k][${MR}]) of op(A) (M x K). trans = 0: raw is M x K; trans = 1: raw is K x M.
  (func (export "packA") (param $raw i32) (param $M i32) (param $K i32) (param $trans i32) (param $p0 i32) (param $p1 i32) (param $dst i32)
    (local $p i32) (local $r i32) (local $k i32) (local $i i32) (local $src i32) (local $step i32) (local $out i32)
    (local.set $p (local.get $p0))
    (block $pDone (loop $pLoop
      (br_if $pDone (i32.ge_u (local.get $p) (local.get $p1)))
      (if (i32.and (local.get $trans) (i32.le_u (i32.mul (i32.add (local.get $p) (i32.const 1)) (i32.const ${MR})) (local.get $M)))
        (then
          ;;  A transposed: the panel's ${MR} rows are ${MR} adjacent floats of each raw row.
          (local.set $src (i32.add (local.get $raw) (i32.mul (local.get $p) (i32.const ${MR * 4}))))
          (local.set $out (i32.add (local.get $dst) (i32.mul (i32.mul (local.get $p) (local.get $K)) (i32.const ${MR * 4}))))
          (local.set $k (i32.const 0))
          (block $kDone (loop $kLoop
            (br_if $kDone (i32.ge_u (local.get $k) (local.get $K)))
            ${copyFloats(MR, '$out', '$src')}
            (local.set $src (i32.add (local.get $src) (i32.mul (local.get $M) (i32.const 4))))
            (local.set $out (i32.add (local.get $out) (i32.const ${MR * 4})))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $kLoop))))
        (else
          (local.set $r (i32.const 0))
          (block $rDone (loop $rLoop
            (br_if $rDone (i32.ge_u (local.get $r) (i32.const ${MR})))
            (local.set $i (i32.add (i32.mul (local.get $p) (i32.const ${MR})) (local.get $r)))
            (local.set $out (i32.add (local.get $dst) (i32.add (i32.mul (i32.mul (local.get $p) (local.get $K)) (i32.const ${MR * 4})) (i32.mul (local.get $r) (i32.const 4)))))
            ;; Rows past M read (and discard) raw[0], so no load leaves the raw copy.
            (local.set $src (select (local.get $raw) (i32.add (local.get $raw) (i32.mul (i32.const 4) (select (local.get $i) (i32.mul (local.get $i) (local.get $K)) (local.get $trans)))) (i32.ge_u (local.get $i) (local.get $M))))
            (local.set $step (select (i32.mul (local.get $M) (i32.const 4)) (i32.const 4) (local.get $trans)))
            (local.set $k (i32.const 0))
            (block $kDone2 (loop $kLoop2
              (br_if $kDone2 (i32.ge_u (local.get $k) (local.get $K)))
              (f32.store (local.get $out) (select (f32.const 0) (f32.load (local.get $src)) (i32.ge_u (local.get $i) (local.get $M))))
              (local.set $src (i32.add (local.get $src) (select (i32.const 0) (local.get $step) (i32.ge_u (local.get $i) (local.get $M)))))
              (local.set $out (i32.add (local.get $out) (i32.const ${MR * 4})))
              (local.set $k (i32.add (local.get $k) (i32.const 1)))
              (br $kLoop2)))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $rLoop)))))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $pLoop)))
  )
  ;; Column panels of ${NR} ([k][${NR}]) of op(B) (K x N). trans = 0: raw is K x N; trans = 1: raw is N x K.
  (func (export "packB") (param $raw i32) (param $K i32) (param $N i32) (param $trans i32) (param $p0 i32) (param $p1 i32) (param $dst i32)
    (local $p i32) (local $c i32) (local $k i32) (local $j i32) (local $src i32) (local $step i32) (local $out i32) (local $o i32)
    (local.set $p (local.get $p0))
    (block $pDone (loop $pLoop
      (br_if $pDone (i32.ge_u (local.get $p) (local.get $p1)))
      (local.set $out (i32.add (local.get $dst) (i32.mul (i32.mul (local.get $p) (local.get $K)) (i32.const ${NR * 4}))))
      (if (i32.and (i32.eqz (local.get $trans)) (i32.le_u (i32.mul (i32.add (local.get $p) (i32.const 1)) (i32.const ${NR})) (local.get $N)))
        (then
          ;; B as stored: each k contributes ${NR} adjacent floats.
          (local.set $src (i32.add (local.get $raw) (i32.mul (local.get $p) (i32.const ${NR * 4}))))
          (local.set $k (i32.const 0))
          (block $kDone (loop $kLoop
            (br_if $kDone (i32.ge_u (local.get $k) (local.get $K)))
            ${copyFloats(NR, '$out', '$src')}
            (local.set $src (i32.add (local.get $src) (i32.mul (local.get $N) (i32.const 4))))
            (local.set $out (i32.add (local.get $out) (i32.const ${NR * 4})))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $kLoop))))
        (else
          (local.set $c (i32.const 0))
          (block $cDone (loop $cLoop
            (br_if $cDone (i32.ge_u (local.get $c) (i32.const ${NR})))
            (local.set $j (i32.add (i32.mul (local.get $p) (i32.const ${NR})) (local.get $c)))
            (local.set $o (i32.add (local.get $out) (i32.mul (local.get $c) (i32.const 4))))
            ;; Columns past N read (and discard) raw[0], so no load leaves the raw copy.
            (local.set $src (select (local.get $raw) (i32.add (local.get $raw) (i32.mul (i32.const 4) (select (i32.mul (local.get $j) (local.get $K)) (local.get $j) (local.get $trans)))) (i32.ge_u (local.get $j) (local.get $N))))
            (local.set $step (select (i32.const 4) (i32.mul (local.get $N) (i32.const 4)) (local.get $trans)))
            (local.set $k (i32.const 0))
            (block $kDone2 (loop $kLoop2
              (br_if $kDone2 (i32.ge_u (local.get $k) (local.get $K)))
              (f32.store (local.get $o) (select (f32.const 0) (f32.load (local.get $src)) (i32.ge_u (local.get $j) (local.get $N))))
              (local.set $src (i32.add (local.get $src) (select (i32.const 0) (local.get $step) (i32.ge_u (local.get $j) (local.get $N)))))
              (local.set $o (i32.add (local.get $o) (i32.const ${NR * 4})))
              (local.set $k (i32.add (local.get $k) (i32.const 1)))
              (br $kLoop2)))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $cLoop)))))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $pLoop)))
  )`;

/** A register tile: rows x columns of C kept in registers, and whether it uses relaxed_madd. */
export interface GemmTile {
  readonly mr: number;
  readonly nr: number;
  readonly fused: boolean;
  /** K steps unrolled in the inner loop (default UNROLL). */
  readonly unroll?: number;
  /** K block (default KC) and column panels per N block (default NCP). */
  readonly kc?: number;
  readonly ncp?: number;
}

export function gemmWat({ mr: MR, nr: NR, fused, unroll: UNROLL = DEFAULT_UNROLL, kc: KC = DEFAULT_KC, ncp: NCP = DEFAULT_NCP }: GemmTile): string {
  if (NR % 4 !== 0) throw new Error('the tile must be whole vectors wide');
  const vecs = NR / 4;
  const acc = (r: number, v: number) => `$c${r}${v}`;
  const accs = Array.from({ length: MR * vecs }, (_, i) => acc(Math.floor(i / vecs), i % vecs));
  const lines: string[] = [];
  const w = (indent: number, text: string) => lines.push(' '.repeat(indent) + text);
  const kStep = (indent: number, step: number) => {
    for (let v = 0; v < vecs; v++) w(indent, `(local.set $b${v} (v128.load offset=${step * NR * 4 + v * 16} (local.get $bPtr)))`);
    for (let r = 0; r < MR; r++) {
      w(indent, `(local.set $a (v128.load32_splat offset=${step * MR * 4 + r * 4} (local.get $aPtr)))`);
      for (let v = 0; v < vecs; v++) {
        w(indent, fused
          ? `(local.set ${acc(r, v)} (f32x4.relaxed_madd (local.get $a) (local.get $b${v}) (local.get ${acc(r, v)})))`
          : `(local.set ${acc(r, v)} (f32x4.add (local.get ${acc(r, v)}) (f32x4.mul (local.get $a) (local.get $b${v}))))`);
      }
    }
  };
  const advance = (indent: number, steps: number) => {
    w(indent, `(local.set $aPtr (i32.add (local.get $aPtr) (i32.const ${MR * 4 * steps})))`);
    w(indent, `(local.set $bPtr (i32.add (local.get $bPtr) (i32.const ${NR * 4 * steps})))`);
    w(indent, `(local.set $k (i32.add (local.get $k) (i32.const ${steps})))`);
  };
  const rowPtr = (r: number) => `(i32.add (local.get $cPtr) (i32.mul (local.get $ldc) (i32.const ${r})))`;
  const minOf = (a: string, b: string) => `(select ${a} ${b} (i32.lt_u ${a} ${b}))`;

  w(0, `;; Generated by scripts/gen_gemm_wat.ts: SIMD128 GEMM over packed panels, register tile ${MR}x${NR}, ${fused ? 'relaxed_madd (fused multiply-add where the engine fuses)' : 'f32x4.mul + f32x4.add'}.`);
  w(0, `;; C (Mp x Np, row-major, rows ldc bytes apart: a band of column panels of a wider C) = Ap * Bp. Ap: Mp/${MR} row panels laid out [k][${MR}]; Bp: Np/${NR} column panels [k][${NR}].`);
  w(0, `;; Loops: K blocks of ${KC}, blocks of ${NCP} column panels, row panels, column panels, then k${UNROLL > 1 ? ` (unrolled ${UNROLL}x)` : ''}.`);
  w(0, '(module');
  w(2, '(memory (export "memory") 1)');
  w(2, '(func (export "gemm") (param $mPanels i32) (param $nPanels i32) (param $K i32) (param $ap i32) (param $bp i32) (param $cp i32) (param $ldc i32)');
  w(4, '(local $kb i32) (local $kEnd i32) (local $jb i32) (local $jEnd i32) (local $ip i32) (local $jp i32) (local $k i32)');
  w(4, '(local $aPtr i32) (local $bPtr i32) (local $cPtr i32) (local $a v128)');
  w(4, Array.from({ length: vecs }, (_, v) => `(local $b${v} v128)`).join(' '));
  w(4, accs.map((c) => `(local ${c} v128)`).join(' '));
  w(4, '(local.set $kb (i32.const 0))');
  w(4, '(block $kbDone (loop $kbLoop');
  w(6, '(br_if $kbDone (i32.ge_u (local.get $kb) (local.get $K)))');
  w(6, `(local.set $kEnd ${minOf(`(i32.add (local.get $kb) (i32.const ${KC}))`, '(local.get $K)')})`);
  w(6, '(local.set $jb (i32.const 0))');
  w(6, '(block $jbDone (loop $jbLoop');
  w(8, '(br_if $jbDone (i32.ge_u (local.get $jb) (local.get $nPanels)))');
  w(8, `(local.set $jEnd ${minOf(`(i32.add (local.get $jb) (i32.const ${NCP}))`, '(local.get $nPanels)')})`);
  w(8, '(local.set $ip (i32.const 0))');
  w(8, '(block $ipDone (loop $ipLoop');
  w(10, '(br_if $ipDone (i32.ge_u (local.get $ip) (local.get $mPanels)))');
  w(10, '(local.set $jp (local.get $jb))');
  w(10, '(block $jpDone (loop $jpLoop');
  w(12, '(br_if $jpDone (i32.ge_u (local.get $jp) (local.get $jEnd)))');
  w(12, `(local.set $cPtr (i32.add (local.get $cp) (i32.add (i32.mul (local.get $ip) (i32.mul (local.get $ldc) (i32.const ${MR}))) (i32.mul (local.get $jp) (i32.const ${NR * 4})))))`);
  w(12, '(if (i32.eqz (local.get $kb))');
  w(14, '(then');
  for (const c of accs) w(16, `(local.set ${c} (v128.const i32x4 0 0 0 0))`);
  w(14, ')');
  w(14, '(else');
  for (let r = 0; r < MR; r++) for (let v = 0; v < vecs; v++) w(16, `(local.set ${acc(r, v)} (v128.load offset=${v * 16} ${rowPtr(r)}))`);
  w(14, ')');
  w(12, ')');
  w(12, `(local.set $aPtr (i32.add (local.get $ap) (i32.mul (i32.add (i32.mul (local.get $ip) (local.get $K)) (local.get $kb)) (i32.const ${MR * 4}))))`);
  w(12, `(local.set $bPtr (i32.add (local.get $bp) (i32.mul (i32.add (i32.mul (local.get $jp) (local.get $K)) (local.get $kb)) (i32.const ${NR * 4}))))`);
  w(12, '(local.set $k (local.get $kb))');
  if (UNROLL > 1) {
    w(12, '(block $unrolledDone (loop $unrolledLoop');
    w(14, `(br_if $unrolledDone (i32.gt_u (i32.add (local.get $k) (i32.const ${UNROLL})) (local.get $kEnd)))`);
    for (let u = 0; u < UNROLL; u++) kStep(14, u);
    advance(14, UNROLL);
    w(14, '(br $unrolledLoop)))');
  }
  w(12, '(block $kDone (loop $kLoop');
  w(14, '(br_if $kDone (i32.ge_u (local.get $k) (local.get $kEnd)))');
  kStep(14, 0);
  advance(14, 1);
  w(14, '(br $kLoop)))');
  for (let r = 0; r < MR; r++) for (let v = 0; v < vecs; v++) w(12, `(v128.store offset=${v * 16} ${rowPtr(r)} (local.get ${acc(r, v)}))`);
  w(12, '(local.set $jp (i32.add (local.get $jp) (i32.const 1)))');
  w(12, '(br $jpLoop)))');
  w(10, '(local.set $ip (i32.add (local.get $ip) (i32.const 1)))');
  w(10, '(br $ipLoop)))');
  w(8, '(local.set $jb (local.get $jEnd))');
  w(8, '(br $jbLoop)))');
  w(6, '(local.set $kb (local.get $kEnd))');
  w(6, '(br $kbLoop)))');
  w(2, ')');
  lines.push(...packFunctions(MR, NR).split('\n').slice(1));
  w(0, ')');
  return lines.join('\n') + '\n';
}

/**
 * The GEMM modules: mul+add, and relaxed SIMD's fused multiply-add (chosen at load where the engine
 * has relaxed SIMD, gemm_simd.ts). Both use the MR x NR tile: larger tiles (4x12, 6x8, 8x8, 5x12)
 * spill in V8's register allocation and ran slower or no faster with either instruction.
 */
export const GEMM_SOURCES: readonly { readonly file: string; readonly tile: GemmTile }[] = [
  { file: 'gemm.wat', tile: { mr: MR, nr: NR, fused: false } },
  { file: 'gemm_fma.wat', tile: { mr: MR, nr: NR, fused: true } },
];

if (require.main === module) for (const { file, tile } of GEMM_SOURCES) writeFileSync(join(__dirname, '..', 'src', 'backend', 'wasm', file), gemmWat(tile));
