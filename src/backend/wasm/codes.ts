/**
 * The small integer codes the WebAssembly kernels take to say which scalar function they apply,
 * in one table: the .wat sources branch on these values, and the worker threads receive them in
 * Int32 slots (gemm_threads.ts builds its worker's dispatch from `vectorMap`).
 */
export const SCALAR_CODES = Object.freeze({
  /** vector.wat's element-wise maps (separate exports; the code names one in a worker's map job). */
  vectorMap: Object.freeze({ exp: 0, sigmoid: 1, tanh: 2 } as const),
  /** level1.wat `act_grad`'s kind: relu reads the input, tanh and sigmoid the output. */
  activationGrad: Object.freeze({ relu: 0, tanh: 1, sigmoid: 2 } as const),
  /** level1.wat `binary`'s code. */
  arithmetic: Object.freeze({ add: 0, sub: 1, mul: 2, div: 3 } as const),
});

export type VectorMap = keyof typeof SCALAR_CODES.vectorMap;
export type GradActivation = keyof typeof SCALAR_CODES.activationGrad;
export type Arithmetic = keyof typeof SCALAR_CODES.arithmetic;

/** vector.wat's map names ordered by code, for dispatch by code (the worker's source). */
export const VECTOR_MAP_BY_CODE: readonly VectorMap[] = (Object.keys(SCALAR_CODES.vectorMap) as VectorMap[])
  .sort((a, b) => SCALAR_CODES.vectorMap[a] - SCALAR_CODES.vectorMap[b]);
