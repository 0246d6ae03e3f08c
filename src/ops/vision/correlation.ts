/**
 * Correlation (MXNet `correlation-inl.h`, FlowNet): a cost volume between two NCHW maps. Hidden
 * outputs tmp1/tmp2 hold the zero-padded inputs channels-last, as MXNet's do; the gradient reads them.
 */
import type { CorrelationGeometry } from '../../backend/reference/vision_correlation';
import { Shape, shapeToString } from '../../base/shape';
import { bool, int, ParamsOf } from '../params';
import { defineOp } from '../registry';
import type { MaybeShape, ShapeSite } from '../types';

const PARAMS = {
  kernel_size: int({ doc: 'side of the compared patches (odd)', default: 1, min: 0 }),
  max_displacement: int({ doc: 'largest displacement compared, in pixels', default: 1, min: 0 }),
  stride1: int({ doc: 'step between output positions on data1', default: 1, min: 1 }),
  stride2: int({ doc: 'step between displacements on data2', default: 1, min: 1 }),
  pad_size: int({ doc: 'zero padding on each side of both inputs', default: 0, min: 0 }),
  is_multiply: bool({ doc: 'compare by product (true) or absolute difference (false)', default: true }),
};
type Params = ParamsOf<typeof PARAMS>;

/** The output geometry MXNet derives (top sizes rounded up); the site, when given, checks it. */
function geometryOf(p: Params, data: Shape, site?: ShapeSite): CorrelationGeometry {
  const [batch, channels, height, width] = data as [number, number, number, number];
  const border = p.max_displacement + Math.floor((p.kernel_size - 1) / 2);
  const topWidth = Math.ceil((width + 2 * p.pad_size - 2 * border) / p.stride1);
  const topHeight = Math.ceil((height + 2 * p.pad_size - 2 * border) / p.stride1);
  if (site && p.kernel_size % 2 === 0) site.fail('kernel_size', `must be odd, got ${p.kernel_size}`);
  if (site && (topWidth < 1 || topHeight < 1)) {
    site.fail('data1', `shape ${shapeToString(data)} padded by ${p.pad_size} is too small for max_displacement ${p.max_displacement} and kernel_size ${p.kernel_size} (output would be ${topHeight}x${topWidth})`);
  }
  const gridWidth = 2 * Math.floor(p.max_displacement / p.stride2) + 1;
  return {
    batch, channels, height, width, kernelSize: p.kernel_size, maxDisplacement: p.max_displacement,
    stride1: p.stride1, stride2: p.stride2, padSize: p.pad_size, isMultiply: p.is_multiply,
    topChannels: gridWidth * gridWidth, topHeight, topWidth,
  };
}

export const correlationOp = defineOp({
  name: 'Correlation',
  doc: [
    'out[n, (dy/s2 + r)*(2r+1) + dx/s2 + r, i, j] = mean over a kernel_size^2 window and the channels of',
    'data1[y + h, x + w] * data2[y + dy + h, x + dx + w] (or |data1 - data2|) on the padded inputs, y = i*stride1 + max_displacement,',
    'x = j*stride1 + max_displacement, r = max_displacement / stride2. d data1 = g * data2 / count (or g * sign / count), d data2 alike.',
  ].join('\n'),
  params: PARAMS,
  inputs: () => ['data1', 'data2'],
  outputs: () => ['output', 'tmp1', 'tmp2'],
  numVisibleOutputs: () => 1,
  inferShape: (p, [data1, data2]: readonly MaybeShape[], _outputs, site) => {
    const data = data1 ?? data2 ?? null;
    if (!data) return { inputs: [null, null], outputs: [null, null, null] };
    if (data.length !== 4) site.fail(data1 ? 'data1' : 'data2', `shape ${shapeToString(data)} must be 4-d (batch, channel, height, width)`);
    if (data1 && data2 && shapeToString(data1) !== shapeToString(data2)) {
      site.fail('data2', `shape ${shapeToString(data2)} differs from data1's ${shapeToString(data1)}`);
    }
    const g = geometryOf(p, data, site);
    const padded = [g.batch, g.height + 2 * g.padSize, g.width + 2 * g.padSize, g.channels];
    return { inputs: [data, data], outputs: [[g.batch, g.topChannels, g.topHeight, g.topWidth], padded, padded] };
  },
  forward: (p, [data1, data2], [out, tmp1, tmp2], [req], ctx) => {
    ctx.kernels.correlation(data1!.data, data2!.data, geometryOf(p, data1!.shape), out!.data, tmp1!.data, tmp2!.data, req!);
  },
  backward: {
    usesOutGrads: true,
    compute: (p, { inputs: [data1], outputs: [, tmp1, tmp2], outGrads: [g] }, [d1, d2], [req1, req2], ctx) => {
      ctx.kernels.correlationGrad(g!.data, tmp1!.data, tmp2!.data, geometryOf(p, data1!.shape), d1?.data ?? null, d2?.data ?? null, req1!, req2!);
    },
  },
});
