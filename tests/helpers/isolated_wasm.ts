/**
 * The wasm backend loaded afresh, in a module registry of its own, with environment variables set
 * while it loads. The backend reads its configuration (MXTS_NUM_THREADS) once, when it loads, so a
 * test that needs, say, a single-threaded backend beside the default one loads a second instance
 * instead of flipping a switch in the library.
 */
import { join } from 'node:path';

const WASM = join(__dirname, '..', '..', 'src', 'backend', 'wasm');

export interface WasmModules {
  readonly index: typeof import('../../src/backend/wasm/index');
  readonly arena: typeof import('../../src/backend/wasm/arena');
  readonly threads: typeof import('../../src/backend/wasm/gemm_threads');
  readonly gemmSimd: typeof import('../../src/backend/wasm/gemm_simd');
  readonly vector: typeof import('../../src/backend/wasm/vector_simd');
}

/** A fresh instance of the wasm backend's modules, loaded with `env` added to process.env. */
export function loadWasmWith(env: Readonly<Record<string, string>>): WasmModules {
  const saved = Object.keys(env).map((key) => [key, process.env[key]] as const);
  let modules: WasmModules | undefined;
  try {
    Object.assign(process.env, env);
    jest.isolateModules(() => {
      modules = {
        index: require(join(WASM, 'index')),
        arena: require(join(WASM, 'arena')),
        threads: require(join(WASM, 'gemm_threads')),
        gemmSimd: require(join(WASM, 'gemm_simd')),
        vector: require(join(WASM, 'vector_simd')),
      };
    });
  } finally {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
  return modules!;
}

/** The wasm backend's modules with no worker threads (MXTS_NUM_THREADS=1), loaded once per test file. */
let single: WasmModules | undefined;
export function singleThreadedWasm(): WasmModules {
  return (single ??= loadWasmWith({ MXTS_NUM_THREADS: '1' }));
}
