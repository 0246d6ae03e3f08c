/**
 * Which backend runs kernels: chosen per process (`mx.setBackend`, or the environment variable
 * `MXTS_BACKEND` at start-up) and per executor (the `backend` bind option). The default is `wasm`
 * where the host has WebAssembly SIMD, else `reference`.
 */
import { ValueError } from '../base/errors';
import { BACKEND_NAMES, Backend, BackendName, MemoryReservation } from './backend';
import { referenceKernels } from './reference/index';
import { wasmBackend, wasmBackendInfo, wasmSimdAvailable } from './wasm/index';

const PLAIN: MemoryReservation = Object.freeze({ kind: 'plain', memory: null });
const referenceBackend: Backend = Object.freeze({ name: 'reference', kernels: referenceKernels, reserveMemory: () => PLAIN });

let active: Backend | null = null;

/** The backend called `name`; refuses unknown names and `wasm` where the host cannot run it. */
export function backendNamed(name: unknown, site = 'setBackend'): Backend {
  if (name === 'reference') return referenceBackend;
  if (name === 'wasm') {
    if (!wasmSimdAvailable()) throw new ValueError({ op: site, argument: 'backend' }, `'wasm' needs WebAssembly with SIMD, which this host lacks; use 'reference'`);
    return wasmBackend;
  }
  throw new ValueError({ op: site, argument: 'backend', actual: name }, `must be one of ${BACKEND_NAMES.map((n) => `'${n}'`).join(', ')}, got ${JSON.stringify(name) ?? String(name)}`);
}

function initialBackend(): Backend {
  const fromEnv = typeof process !== 'undefined' ? process.env?.['MXTS_BACKEND'] : undefined;
  if (fromEnv) return backendNamed(fromEnv, 'MXTS_BACKEND');
  return wasmSimdAvailable() ? wasmBackend : referenceBackend;
}

/** The process-wide backend (executors bound without a `backend` option, `mx.nd` calls). */
export function currentBackend(): Backend {
  return (active ??= initialBackend());
}

/** Makes `name` the process-wide backend for executors bound from now on and for `mx.nd` calls. */
export function setBackend(name: BackendName): void {
  active = backendNamed(name);
}

/** The name of the process-wide backend. */
export function getBackend(): BackendName {
  return currentBackend().name;
}

/**
 * What a backend runs on this host (the process-wide one unless `name` is given): `simd`, its
 * kernels use WebAssembly SIMD; `relaxedSimd`, the engine has relaxed SIMD; `fma`, the GEMM (and so
 * dot, FullyConnected, convolution) multiplies with relaxed SIMD's fused multiply-add rather than
 * mul + add (on where the engine has relaxed SIMD; MXTS_RELAXED_SIMD=0 turns it off, =1 also turns
 * it on under Node 20); `threads`, the threads its large kernels split across.
 */
export interface BackendInfo {
  readonly name: BackendName;
  readonly simd: boolean;
  readonly relaxedSimd: boolean;
  readonly fma: boolean;
  readonly threads: number;
}

export function backendInfo(name?: BackendName): BackendInfo {
  const backend = name === undefined ? currentBackend() : backendNamed(name, 'backendInfo');
  if (backend.name === 'reference') return Object.freeze({ name: 'reference', simd: false, relaxedSimd: false, fma: false, threads: 1 });
  return Object.freeze({ name: backend.name, ...wasmBackendInfo() });
}
