/**
 * mx.backendInfo(): what each backend runs on this host, the GEMM kernel's choice (relaxed SIMD's
 * fused multiply-add or mul + add) included, decided once when the wasm backend loads.
 */
import * as mx from '../../src/index';
import { ValueError } from '../../src/base/errors';
import { loadWasmWith } from '../helpers/isolated_wasm';

describe('mx.backendInfo', () => {
  test('the reference backend: plain loops on one thread', () => {
    expect(mx.backendInfo('reference')).toEqual({ name: 'reference', simd: false, relaxedSimd: false, fma: false, threads: 1 });
  });

  test('the wasm backend: SIMD, threads from MXTS_NUM_THREADS or the cores, fma exactly where relaxed SIMD is on', () => {
    const info = mx.backendInfo('wasm');
    expect(info.name).toBe('wasm');
    expect(info.simd).toBe(true);
    expect(info.threads).toBeGreaterThanOrEqual(1);
    if (process.env['MXTS_NUM_THREADS']) expect(info.threads).toBe(Number(process.env['MXTS_NUM_THREADS']));
    expect(info.fma).toBe(info.relaxedSimd && process.env['MXTS_RELAXED_SIMD'] !== '0');
  });

  test('without a name: the process-wide backend', () => {
    expect(mx.backendInfo().name).toBe(mx.getBackend());
    expect(Object.isFrozen(mx.backendInfo())).toBe(true);
  });

  test('MXTS_RELAXED_SIMD=0 keeps mul+add, =1 turns the fused kernel on (under Node 20 by switching V8\'s flag on)', () => {
    expect(loadWasmWith({ MXTS_RELAXED_SIMD: '0' }).index.wasmBackendInfo()).toMatchObject({ fma: false });
    expect(loadWasmWith({ MXTS_RELAXED_SIMD: '1', MXTS_NUM_THREADS: '1' }).index.wasmBackendInfo()).toEqual({ simd: true, relaxedSimd: true, fma: true, threads: 1 });
  });

  test('an unknown backend name is refused, naming the argument', () => {
    expect(() => mx.backendInfo('gpu' as never)).toThrow(ValueError);
    expect(() => mx.backendInfo('gpu' as never)).toThrow(/backendInfo.*backend|backend.*must be one of/);
  });
});
