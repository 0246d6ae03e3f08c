/**
 * `_contrib_fft` / `_contrib_ifft` (MXNet `contrib/fft-inl.h`, `ifft-inl.h`): 1-d transforms of the
 * last axis of 2-d (N, d) or 4-d (N1, N2, N3, d) data, complex values interleaved as
 * [re0, im0, re1, im1, ...]. Neither normalizes (MXNet leaves out the 1/d, "to be consistent with
 * caffe"). MXNet runs them on GPU only (cuFFT); mxts computes the same transforms on every backend.
 */
import { shapeToString } from '../../base/shape';
import { int } from '../params';
import { defineOp } from '../registry';
import type { AnyOpDef } from '../types';

const PARAMS = { compute_size: int({ doc: 'rows transformed per cuFFT batch in MXNet (no effect on the result)', default: 128 }) };

const rowsOf = (shape: readonly number[]) => shape.slice(0, -1).reduce((a, b) => a * b, 1);

export const fftOp = defineOp({
  name: '_contrib_fft',
  doc: [
    'out[..., 2k] + i out[..., 2k+1] = sum_m data[..., m] exp(-2 pi i k m / d): (..., d) real -> (..., 2d) interleaved complex.',
    'd data[m] = sum_k g_re[k] cos(2 pi k m / d) - g_im[k] sin(2 pi k m / d) (the real part of the unnormalized inverse transform of g).',
  ].join('\n'),
  params: PARAMS,
  inputs: () => ['data'],
  outputs: () => ['output'],
  inferShape: (_p, [data], outputs, site) => {
    if (!data) return { inputs: [null], outputs };
    if (data.length !== 2 && data.length !== 4) site.fail('data', `must be 2-d (N, d) or 4-d (N1, N2, N3, d), got ${shapeToString(data)}`);
    return { inputs: [data], outputs: [[...data.slice(0, -1), 2 * data[data.length - 1]!]] };
  },
  forward: (_p, [x], [out], [req], ctx) => ctx.kernels.dftRealRows(x!.data, rowsOf(x!.shape), x!.shape[x!.shape.length - 1]!, out!.data, req!),
  backward: {
    usesOutGrads: true,
    compute: (_p, { inputs: [x], outGrads: [g] }, [dx], [req], ctx) => {
      if (dx) ctx.kernels.inverseDftRealPart(g!.data, rowsOf(x!.shape), x!.shape[x!.shape.length - 1]!, dx.data, req!);
    },
  },
});

export const ifftOp = defineOp({
  name: '_contrib_ifft',
  doc: [
    'out[..., m] = sum_k (data[..., 2k] cos(2 pi k m / d) - data[..., 2k+1] sin(2 pi k m / d)): the real part of the unnormalized',
    'inverse transform, (..., 2d) interleaved complex -> (..., d). d data = the forward transform of g, interleaved.',
  ].join('\n'),
  params: PARAMS,
  inputs: () => ['data'],
  outputs: () => ['output'],
  inferShape: (_p, [data], outputs, site) => {
    if (!data) return { inputs: [null], outputs };
    if (data.length !== 2 && data.length !== 4) site.fail('data', `must be 2-d (N, 2d) or 4-d (N1, N2, N3, 2d), got ${shapeToString(data)}`);
    const last = data[data.length - 1]!;
    if (last % 2 !== 0) site.fail('data', `last axis ${last} must be even: it holds interleaved (real, imaginary) pairs`);
    return { inputs: [data], outputs: [[...data.slice(0, -1), last / 2]] };
  },
  forward: (_p, [x], [out], [req], ctx) => ctx.kernels.inverseDftRealPart(x!.data, rowsOf(x!.shape), x!.shape[x!.shape.length - 1]! / 2, out!.data, req!),
  backward: {
    usesOutGrads: true,
    compute: (_p, { inputs: [x], outGrads: [g] }, [dx], [req], ctx) => {
      if (dx) ctx.kernels.dftRealRows(g!.data, rowsOf(x!.shape), x!.shape[x!.shape.length - 1]! / 2, dx.data, req!);
    },
  },
});

export const fftOps: readonly AnyOpDef[] = [fftOp, ifftOp];
