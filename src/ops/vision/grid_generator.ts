/**
 * GridGenerator (MXNet `grid_generator-inl.h`): the sampling grid BilinearSampler reads, from an
 * affine matrix (N, 6) onto a target (H, W), or from an optical flow (N, 2, H, W). Hidden output
 * grid_dst keeps the target coordinates the affine gradient needs.
 */
import { shapeToString } from '../../base/shape';
import { enumOf, intTuple, ParamsOf } from '../params';
import { defineOp } from '../registry';
import type { MaybeShape, ShapeSite } from '../types';

const PARAMS = {
  transform_type: enumOf({ doc: "'affine': data is an (N, 6) affine matrix; 'warp': data is an (N, 2, H, W) optical flow", values: ['affine', 'warp'] }),
  target_shape: intTuple({ doc: "output (H, W) of the affine grid (ignored by 'warp')", default: [0, 0], min: 0 }),
};
type Params = ParamsOf<typeof PARAMS>;

/** The (H, W) of an affine target, checked positive; fails naming target_shape. */
export function targetHW(target: readonly number[], site: ShapeSite): [number, number] {
  if (target.length !== 2 || !(target[0]! > 0) || !(target[1]! > 0)) {
    site.fail('target_shape', `(${target.join(', ')}) must be two positive sizes (height, width)`);
  }
  return [target[0]!, target[1]!];
}

function inferShape(p: Params, [data]: readonly MaybeShape[], site: ShapeSite) {
  if (!data) return { inputs: [null], outputs: [null, null] };
  if (p.transform_type === 'affine') {
    if (data.length !== 2 || data[1] !== 6) site.fail('data', `shape ${shapeToString(data)} must be (batch, 6): an affine matrix per sample`);
    const [h, w] = targetHW(p.target_shape, site);
    return { inputs: [data], outputs: [[data[0]!, 2, h, w], [3, h * w]] };
  }
  if (data.length !== 4 || data[1] !== 2) site.fail('data', `shape ${shapeToString(data)} must be (batch, 2, height, width): an optical flow`);
  return { inputs: [data], outputs: [data, [2, data[2]!, data[3]!]] };
}

export const gridGeneratorOp = defineOp({
  name: 'GridGenerator',
  doc: [
    'affine: out[n, :, h, w] = theta[n] (2x3) . (x_w, y_h, 1) with x_w = -1 + w*2/(W-1), y_h = -1 + h*2/(H-1);',
    'd theta[n] = g[n] (2 x HW) . grid_dst^T. warp: out = (flow + (w, h)) / ((W-1)/2, (H-1)/2) - 1; d flow = g / ((W-1)/2, (H-1)/2).',
  ].join('\n'),
  params: PARAMS,
  inputs: () => ['data'],
  outputs: () => ['output', 'grid_dst'],
  numVisibleOutputs: () => 1,
  inferShape: (p, inputs, _outputs, site) => inferShape(p, inputs, site),
  forward: (p, [data], [out, gridDst], [req], ctx) => {
    const [n, , h, w] = out!.shape as [number, number, number, number];
    if (p.transform_type === 'affine') ctx.kernels.affineGrid(data!.data, n, h, w, 'float32-step', out!.data, gridDst!.data, req!);
    else ctx.kernels.warpGrid(data!.data, n, h, w, out!.data, gridDst!.data, req!);
  },
  backward: {
    usesOutGrads: true,
    compute: (p, { outputs: [, gridDst], outGrads: [g] }, [dData], [req], ctx) => {
      if (!dData) return;
      const [n, , h, w] = g!.shape as [number, number, number, number];
      if (p.transform_type === 'affine') ctx.kernels.affineGridGrad(g!.data, n, h * w, gridDst!.data, dData.data, req!);
      else ctx.kernels.warpGridGrad(g!.data, n, h, w, dData.data, req!);
    },
  },
});
