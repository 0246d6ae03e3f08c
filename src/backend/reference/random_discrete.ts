/**
 * Sampling kernels over index sets (MXNet `random/sample_multinomial_op.h`, `shuffle_op.cc`,
 * `unique_sample_op.h`): categorical draws with their log-probabilities and gradient, row
 * shuffling, and unique log-uniform (Zipfian) candidates. Deterministic given `uniform01`.
 */
import type { Req } from '../../base/req';
import type { Uniform01 } from './random_distributions';

function store(out: Float32Array, i: number, value: number, req: Req): void {
  out[i] = req === 'add' ? out[i]! + value : value;
}

/**
 * For each of the rows of `dist` (K probabilities each), M draws: the first category whose
 * cumulative probability (float64 sums stored as float32) reaches a float32 uniform. `logProb`
 * gets log p of each drawn category. A row summing below the draw takes the last category
 * (MXNet would read past the row). `cumulative` is K floats of scratch.
 */
function sampleCategorical(
  dist: Float32Array, K: number, samples: Float32Array, M: number, sampleReq: Req,
  logProb: Float32Array | null, probReq: Req, cumulative: Float32Array, uniform01: Uniform01,
): void {
  const rows = dist.length / K;
  for (let r = 0; r < rows; r++) {
    let acc = 0;
    for (let c = 0; c < K; c++) {
      acc += dist[r * K + c]!;
      cumulative[c] = acc;
    }
    for (let j = 0; j < M; j++) {
      const u = Math.fround(uniform01());
      let left = 0;
      let right = K;
      while (right > left) {
        const middle = left + ((right - left) >> 1);
        if (cumulative[middle]! < u) left = middle + 1;
        else right = middle;
      }
      const category = Math.min(left, K - 1);
      if (sampleReq !== 'null') store(samples, r * M + j, category, sampleReq);
      if (logProb && probReq !== 'null') store(logProb, r * M + j, Math.log(dist[r * K + category]!), probReq);
    }
  }
}

/** d dist[r, s] += g[r, j] / dist[r, s] for each draw s = samples[r, j] (the gradient of log p). */
function sampleCategoricalBackward(
  logProbGrad: Float32Array, dist: Float32Array, K: number, samples: Float32Array, M: number, distGrad: Float32Array, req: Req,
): void {
  if (req === 'null') return;
  if (req === 'write') distGrad.fill(0);
  const rows = dist.length / K;
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < M; j++) {
      const at = r * K + samples[r * M + j]!;
      distGrad[at] = distGrad[at]! + logProbGrad[r * M + j]! / dist[at]!;
    }
  }
}

/**
 * Shuffles the `rows` rows of `rowSize` values (Fisher-Yates on row indices: row i swaps with
 * j = floor(u (i + 1)) from the last row down). `scratch` holds rowSize + rows floats. `out` may
 * be `x` itself (in place).
 */
function shuffleRows(x: Float32Array, rows: number, rowSize: number, out: Float32Array, req: Req, scratch: Float32Array, uniform01: Uniform01): void {
  if (req === 'null' || rows === 0) return;
  const permAt = rowSize; // scratch[permAt + r]: the input row that output row r takes
  for (let r = 0; r < rows; r++) scratch[permAt + r] = r;
  for (let i = rows - 1; i > 0; i--) {
    const j = Math.floor(uniform01() * (i + 1));
    const t = scratch[permAt + i]!;
    scratch[permAt + i] = scratch[permAt + j]!;
    scratch[permAt + j] = t;
  }
  const inPlace = x.buffer === out.buffer && x.byteOffset === out.byteOffset;
  if (!inPlace) {
    for (let r = 0; r < rows; r++) {
      const from = scratch[permAt + r]! * rowSize;
      for (let c = 0; c < rowSize; c++) store(out, r * rowSize + c, x[from + c]!, req);
    }
    return;
  }
  // In place: follow each cycle of the permutation, parking its first row in scratch; -1 marks done.
  for (let start = 0; start < rows; start++) {
    if (scratch[permAt + start]! < 0) continue;
    for (let c = 0; c < rowSize; c++) scratch[c] = out[start * rowSize + c]!;
    let current = start;
    for (;;) {
      const next = scratch[permAt + current]!;
      scratch[permAt + current] = -1;
      if (next === start) {
        for (let c = 0; c < rowSize; c++) out[current * rowSize + c] = scratch[c]!;
        break;
      }
      out.copyWithin(current * rowSize, next * rowSize, next * rowSize + rowSize);
      current = next;
    }
  }
}

/**
 * For each of `batch` rows, `numSampled` distinct classes drawn as round(exp(u log rangeMax)) - 1
 * (MXNet's approximately log-uniform base), and the number of draws it took. The first `tableSize`
 * floats of `table` (a power of two >= 2 numSampled) are an open-addressing set of class + 1 (0 empty).
 */
function sampleUniqueZipfian(
  rangeMax: number, batch: number, numSampled: number, samples: Float32Array, tries: Float32Array,
  table: Float32Array, tableSize: number, uniform01: Uniform01,
): void {
  const logRange = Math.log(rangeMax);
  const mask = tableSize - 1;
  for (let b = 0; b < batch; b++) {
    table.fill(0, 0, tableSize);
    let count = 0;
    let draws = 0;
    while (count < numSampled) {
      const value = Math.floor(Math.exp(uniform01() * logRange) + 0.5) - 1;
      draws++;
      let slot = (Math.imul(value + 1, 0x9e3779b1) >>> 0) & mask;
      while (table[slot] !== 0 && table[slot] !== value + 1) slot = (slot + 1) & mask;
      if (table[slot] === 0) {
        table[slot] = value + 1;
        samples[b * numSampled + count++] = value;
      }
    }
    tries[b] = draws;
  }
}

export const randomDiscreteKernels = {
  sampleCategorical,
  sampleCategoricalBackward,
  shuffleRows,
  sampleUniqueZipfian,
};
