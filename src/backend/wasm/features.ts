/**
 * What the engine offers the WebAssembly kernels, decided once, when the backend loads (before any
 * module is compiled): SIMD itself, and relaxed SIMD, whose fused `f32x4.relaxed_madd` the GEMM
 * uses where it is on (Chrome >= 114, Node >= 22 by default).
 *
 * `MXTS_RELAXED_SIMD` (read at load): `0` keeps the mul+add kernels even where relaxed SIMD is on;
 * `1` also switches it on under Node 20, where it sits behind V8's `--experimental-wasm-relaxed-simd`
 * (set here with `v8.setFlagsFromString`, which affects the whole process, so only on request);
 * unset, the fused kernels run exactly where the engine already has relaxed SIMD.
 */

// (module (func (result v128) i32.const 0 i8x16.splat))
const SIMD_PROBE = [0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 8, 1, 6, 0, 65, 0, 253, 15, 11];
// (module (func (param v128 v128 v128) (result v128) local.get 0 local.get 1 local.get 2 f32x4.relaxed_madd))
const RELAXED_PROBE = [
  0, 97, 115, 109, 1, 0, 0, 0, 1, 8, 1, 96, 3, 123, 123, 123, 1, 123, 3, 2, 1, 0, 10, 13, 1, 11, 0, 32, 0, 32, 1, 32, 2, 253, 133, 2, 11,
];

function validates(bytes: readonly number[]): boolean {
  if (typeof WebAssembly === 'undefined') return false;
  try {
    return WebAssembly.validate(new Uint8Array(bytes));
  } catch {
    return false;
  }
}

/** Whether this host runs WebAssembly with the SIMD extension. */
export function wasmSimdAvailable(): boolean {
  return validates(SIMD_PROBE);
}

/** Node's V8 flag switch, where the host is Node (process.getBuiltinModule: Node >= 20.16). */
function enableRelaxedSimdFlag(): void {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const v8 = proc?.getBuiltinModule?.('node:v8') as { setFlagsFromString?: (flags: string) => void } | undefined;
  try {
    v8?.setFlagsFromString?.('--experimental-wasm-relaxed-simd');
  } catch {
    // Not Node, or a V8 without the flag: relaxed SIMD stays as the engine has it.
  }
}

function relaxedSimdChoice(): { readonly engine: boolean; readonly fused: boolean } {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  const wanted = proc?.env?.['MXTS_RELAXED_SIMD'];
  if (wanted === '1' && !validates(RELAXED_PROBE)) enableRelaxedSimdFlag();
  const engine = validates(RELAXED_PROBE);
  return { engine, fused: engine && wanted !== '0' };
}

/**
 * `engine`: the engine validates relaxed SIMD (after MXTS_RELAXED_SIMD=1 switched it on);
 * `fused`: the GEMM runs its relaxed_madd kernel (gemm_fma.wat) rather than mul+add (gemm.wat).
 */
export const RELAXED_SIMD = Object.freeze(relaxedSimdChoice());
