/**
 * Sequence kernels (SequenceMask, SequenceLast, SequenceReverse). Data is (steps, batch, rest) for
 * time axis 0 or (batch, steps, rest) for axis 1; `lengths` holds one length per batch entry (null:
 * every sequence is full). Lengths are truncated to integers and clipped to [0, steps].
 */
import type { Req } from '../../base/req';

export interface SequenceView {
  readonly steps: number;
  readonly batch: number;
  readonly rest: number;
  /** The time axis: 0 for (steps, batch, ...), 1 for (batch, steps, ...). */
  readonly axis: 0 | 1;
}

/** Flat offset of (step t, batch entry b)'s first element. */
function offsetOf(view: SequenceView, t: number, b: number): number {
  return (view.axis === 0 ? t * view.batch + b : b * view.steps + t) * view.rest;
}

function lengthOf(lengths: Float32Array | null, b: number, steps: number): number {
  if (!lengths) return steps;
  return Math.min(Math.max(Math.trunc(lengths[b]!), 0), steps);
}

function put(out: Float32Array, i: number, v: number, req: Req): void {
  if (req === 'write') out[i] = v;
  else if (req === 'add') out[i]! += v;
}

/** out = x where t < length, `value` elsewhere (the backward passes value 0 over the head gradient). */
function sequenceMask(x: Float32Array, lengths: Float32Array | null, view: SequenceView, value: number, out: Float32Array, req: Req): void {
  if (req === 'null') return;
  for (let b = 0; b < view.batch; b++) {
    const length = lengthOf(lengths, b, view.steps);
    for (let t = 0; t < view.steps; t++) {
      const base = offsetOf(view, t, b);
      for (let r = 0; r < view.rest; r++) put(out, base + r, t < length ? x[base + r]! : value, req);
    }
  }
}

/** out[b] = x at step length-1 of entry b (out is (batch, rest)); a zero length reads step 0. */
function sequenceLast(x: Float32Array, lengths: Float32Array | null, view: SequenceView, out: Float32Array, req: Req): void {
  if (req === 'null') return;
  for (let b = 0; b < view.batch; b++) {
    const base = offsetOf(view, Math.max(lengthOf(lengths, b, view.steps) - 1, 0), b);
    for (let r = 0; r < view.rest; r++) put(out, b * view.rest + r, x[base + r]!, req);
  }
}

/** dx = g[b] at the step SequenceLast read, 0 elsewhere. */
function sequenceLastBackward(g: Float32Array, lengths: Float32Array | null, view: SequenceView, dx: Float32Array, req: Req): void {
  if (req === 'null') return;
  if (req === 'write') dx.fill(0);
  for (let b = 0; b < view.batch; b++) {
    const base = offsetOf(view, Math.max(lengthOf(lengths, b, view.steps) - 1, 0), b);
    for (let r = 0; r < view.rest; r++) dx[base + r]! += g[b * view.rest + r]!;
  }
}

/** out[t] = x[length-1-t] for t < length, out[t] = x[t] past it (its own inverse, so also the backward). */
function sequenceReverse(x: Float32Array, lengths: Float32Array | null, view: SequenceView, out: Float32Array, req: Req): void {
  if (req === 'null') return;
  for (let b = 0; b < view.batch; b++) {
    const length = lengthOf(lengths, b, view.steps);
    for (let t = 0; t < view.steps; t++) {
      const from = offsetOf(view, t < length ? length - 1 - t : t, b);
      const to = offsetOf(view, t, b);
      for (let r = 0; r < view.rest; r++) put(out, to + r, x[from + r]!, req);
    }
  }
}

export const layersSequenceKernels = { sequenceMask, sequenceLast, sequenceLastBackward, sequenceReverse };
