/**
 * The one seeded generator behind every random draw (`mx.random.seed`). xoshiro128** gives
 * reproducible streams across runs and platforms; it does not reproduce MXNet's mt19937 draws.
 */
import { ValueError } from './errors';

let state = new Uint32Array(4);

function splitMix32(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Re-seeds the global generator; the same seed gives the same sequence of draws. */
export function seed(seedValue: number): void {
  if (!Number.isFinite(seedValue)) throw new ValueError({ op: 'random.seed', argument: 'seed' }, `must be a finite number, got ${seedValue}`);
  const next = splitMix32(Math.trunc(seedValue));
  state = new Uint32Array([next(), next(), next(), next()]);
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

function nextUint32(): number {
  const s = state;
  const result = Math.imul(rotl(Math.imul(s[1]!, 5) >>> 0, 7), 9) >>> 0;
  const t = (s[1]! << 9) >>> 0;
  s[2]! ^= s[0]!;
  s[3]! ^= s[1]!;
  s[1]! ^= s[2]!;
  s[0]! ^= s[3]!;
  s[2]! ^= t;
  s[3] = rotl(s[3]!, 11);
  return result;
}

/** Uniform in [0, 1) with 32 random bits. */
export function nextFloat(): number {
  return nextUint32() / 4294967296;
}

/** Fills `out` with uniform draws in [low, high). */
export function fillUniform(out: Float32Array, low: number, high: number): void {
  const span = high - low;
  for (let i = 0; i < out.length; i++) {
    // fround can round up to `high`; keep the interval half-open as MXNet documents.
    let v = Math.fround(low + span * nextFloat());
    if (v >= high && span > 0) v = Math.fround(low);
    out[i] = v;
  }
}

/** Fills `out` with normal draws (Box-Muller). */
export function fillNormal(out: Float32Array, mean: number, std: number): void {
  for (let i = 0; i < out.length; i += 2) {
    const u1 = 1 - nextFloat(); // in (0, 1], so log is finite
    const u2 = nextFloat();
    const radius = Math.sqrt(-2 * Math.log(u1));
    out[i] = mean + std * radius * Math.cos(2 * Math.PI * u2);
    if (i + 1 < out.length) out[i + 1] = mean + std * radius * Math.sin(2 * Math.PI * u2);
  }
}

/** Uniform integer in [0, n). */
export function nextInt(n: number): number {
  return Math.floor(nextFloat() * n);
}

seed(0);
