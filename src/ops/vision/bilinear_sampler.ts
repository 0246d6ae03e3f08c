/**
 * BilinearSampler (MXNet `bilinear_sampler.cc`): samples NCHW data at a normalized grid, corners
 * outside the map counting 0; and SpatialTransformer (`spatial_transformer-inl.h`): an affine grid
 * from loc (N, 6) onto target_shape, sampled the same way.
 */
import type { SamplerShape } from '../../backend/reference/vision_sampling';
import { shapeToString } from '../../base/shape';
import { bool, enumOf, intTuple, optional } from '../params';
import { defineOp } from '../registry';
import type { MaybeShape, ShapeSite } from '../types';
import { targetHW } from './grid_generator';

/** MXNet's optional<bool> defaulting to None (accepted, unused: mxts has no cuDNN). */
const cudnnOff = optional({ ...bool({ doc: 'turn cuDNN off (accepted, unused by mxts)', default: false }), default: undefined });

function need4d(shape: readonly number[], name: string, what: string, site: ShapeSite): void {
  if (shape.length !== 4) site.fail(name, `shape ${shapeToString(shape)} must be 4-d (${what})`);
}

const samplerShape = (data: readonly number[], outH: number, outW: number): SamplerShape => ({
  batch: data[0]!, channels: data[1]!, inH: data[2]!, inW: data[3]!, outH, outW,
});

export const bilinearSamplerOp = defineOp({
  name: 'BilinearSampler',
  doc: [
    'out[n, c, h, w] = bilinear interpolation of data[n, c] at x = (grid[n, 0, h, w] + 1)(W-1)/2, y = (grid[n, 1, h, w] + 1)(H-1)/2;',
    'corners outside the map count 0. d data = g spread over the in-map corners; d grid = d out/d (x, y) times (W-1)/2, (H-1)/2.',
  ].join('\n'),
  params: { cudnn_off: cudnnOff },
  inputs: () => ['data', 'grid'],
  outputs: () => ['output', 'tmp'],
  numVisibleOutputs: () => 1,
  inferShape: (_p, [data, grid]: readonly MaybeShape[], _outputs, site) => {
    if (!data) return { inputs: [null, grid ?? null], outputs: [null, null] };
    need4d(data, 'data', 'batch, channel, height, width', site);
    if (!grid) return { inputs: [data, null], outputs: [null, null] };
    need4d(grid, 'grid', 'batch, 2, height, width', site);
    if (grid[0] !== data[0]) site.fail('grid', `batch ${grid[0]} differs from data's batch ${data[0]} (grid ${shapeToString(grid)}, data ${shapeToString(data)})`);
    if (grid[1] !== 2) site.fail('grid', `shape ${shapeToString(grid)} must have 2 channels (x, y)`);
    return { inputs: [data, grid], outputs: [[data[0]!, data[1]!, grid[2]!, grid[3]!], [grid[0]!, grid[2]!, grid[3]!, 2]] };
  },
  forward: (_p, [data, grid], [out, tmp], [req], ctx) => {
    ctx.kernels.bilinearSample(data!.data, grid!.data, samplerShape(data!.shape, grid!.shape[2]!, grid!.shape[3]!), out!.data, req!);
    tmp!.data.fill(0); // cuDNN's scratch in MXNet; unused on the CPU path
  },
  backward: {
    usesOutGrads: true,
    compute: (_p, { inputs: [data, grid], outGrads: [g] }, [dData, dGrid], [reqData, reqGrid], ctx) => {
      const s = samplerShape(data!.shape, grid!.shape[2]!, grid!.shape[3]!);
      ctx.kernels.bilinearSampleGrad(g!.data, data!.data, grid!.data, s, dData?.data ?? null, dGrid?.data ?? null, reqData!, reqGrid!);
    },
  },
});

export const spatialTransformerOp = defineOp({
  name: 'SpatialTransformer',
  doc: [
    'grid_src[n] = loc[n] (2x3) . grid_dst, grid_dst (3, H*W) the target (x, y, 1) in [-1, 1]; out = BilinearSampler(data, grid_src).',
    "d data as BilinearSampler's; d loc[n] = d grid_src[n] . grid_dst^T.",
  ].join('\n'),
  params: {
    target_shape: intTuple({ doc: 'output (height, width)', default: [0, 0], min: 0 }),
    transform_type: enumOf({ doc: "transformation type (only 'affine')", values: ['affine'] }),
    sampler_type: enumOf({ doc: "sampling type (only 'bilinear')", values: ['bilinear'] }),
    cudnn_off: cudnnOff,
  },
  inputs: () => ['data', 'loc'],
  outputs: () => ['output', 'grid_dst', 'grid_src'],
  numVisibleOutputs: () => 1,
  inferShape: (p, [data, loc]: readonly MaybeShape[], _outputs, site) => {
    if (!data) return { inputs: [null, loc ?? null], outputs: [null, null, null] };
    need4d(data, 'data', 'batch, channel, height, width', site);
    if (!loc) return { inputs: [data, null], outputs: [null, null, null] };
    if (loc.length !== 2 || loc[1] !== 6) site.fail('loc', `shape ${shapeToString(loc)} must be (batch, 6): an affine matrix per sample`);
    if (loc[0] !== data[0]) site.fail('loc', `batch ${loc[0]} differs from data's batch ${data[0]}`);
    const [h, w] = targetHW(p.target_shape, site);
    return { inputs: [data, loc], outputs: [[data[0]!, data[1]!, h, w], [3, h * w], [data[0]!, 2, h * w]] };
  },
  workspace: (p, [data]) => data![0]! * 2 * p.target_shape[0]! * p.target_shape[1]!,
  forward: (_p, [data, loc], [out, gridDst, gridSrc], [req], ctx) => {
    const [h, w] = out!.shape.slice(2) as [number, number];
    ctx.kernels.affineGrid(loc!.data, data!.shape[0]!, h, w, 'float64', gridSrc!.data, gridDst!.data, 'write');
    ctx.kernels.bilinearSample(data!.data, gridSrc!.data, samplerShape(data!.shape, h, w), out!.data, req!);
  },
  backward: {
    usesOutGrads: true,
    compute: (_p, { inputs: [data], outputs: [, gridDst, gridSrc], outGrads: [g] }, [dData, dLoc], [reqData, reqLoc], ctx) => {
      const [h, w] = g!.shape.slice(2) as [number, number];
      const dGrid = dLoc ? ctx.workspace : null;
      ctx.kernels.bilinearSampleGrad(g!.data, data!.data, gridSrc!.data, samplerShape(data!.shape, h, w), dData?.data ?? null, dGrid, reqData!, dGrid ? 'write' : 'null');
      if (dLoc && dGrid) ctx.kernels.affineGridGrad(dGrid, data!.shape[0]!, h * w, gridDst!.data, dLoc.data, reqLoc!);
    },
  },
});
