/**
 * Convolution, 1-D (NCW) and 2-D (NCHW), by im2col + GEMM per sample and group, as MXNet's
 * CPU kernel (`convolution-inl.h`). Also exports the window parameters Deconvolution shares.
 */
import { ParamError } from '../../base/errors';
import { Shape, shapeToString } from '../../base/shape';
import type { Kernels } from '../../backend/backend';
import { ColumnSource, ConvGeometry, convGeometry, windowCount } from '../../backend/geometry';
import { bool, enumOf, int, intTuple, optional, ParamsOf } from '../params';
import { defineOp } from '../registry';
import type { InferredShapes, MaybeShape, Req, ShapeSite } from '../types';

/** Parameters of Convolution (Deconvolution adds adj and target_shape, and flips no_bias). */
export const WINDOW_PARAMS = {
  kernel: intTuple({ doc: 'window size: (w,) or (h, w)', min: 1 }),
  stride: intTuple({ doc: 'window step: (w,) or (h, w); () means 1 on each axis', default: [], min: 1 }),
  dilate: intTuple({ doc: 'spacing of kernel taps: (w,) or (h, w); () means 1 on each axis', default: [], min: 1 }),
  pad: intTuple({ doc: 'zero padding on both sides: (w,) or (h, w); () means 0', default: [], min: 0 }),
  num_filter: int({ doc: 'number of output channels', min: 1 }),
  num_group: int({ doc: 'channel groups: input and output channels split into this many independent convolutions', default: 1, min: 1 }),
  workspace: int({ doc: 'MXNet workspace limit in MB (accepted, unused by mxts)', default: 1024, min: 0 }),
  no_bias: bool({ doc: 'omit the bias input', default: false }),
  cudnn_tune: optional(enumOf({ doc: 'cuDNN algorithm choice (accepted, unused by mxts)', values: ['off', 'limited_workspace', 'fastest'] })),
  cudnn_off: bool({ doc: 'disable cuDNN (accepted, unused by mxts)', default: false }),
  layout: optional(enumOf({ doc: 'data layout; mxts supports only NCW (1-D) and NCHW (2-D)', values: ['NCW', 'NCHW', 'NCDHW', 'NHWC', 'NDHWC'] })),
};
type Params = ParamsOf<typeof WINDOW_PARAMS>;

/** kernel, stride, pad and dilate with MXNet's per-axis defaults filled in. */
export interface Window {
  readonly kernel: readonly number[];
  readonly stride: readonly number[];
  readonly pad: readonly number[];
  readonly dilate: readonly number[];
}

/** Checks the window parameters against each other (ParamError) and fills the defaults. */
export function resolveWindow(p: Params, site: { readonly op: string; readonly node?: string }): Window {
  const fail = (argument: string, problem: string): never => {
    throw new ParamError({ op: site.op, node: site.node, argument }, problem);
  };
  const n = p.kernel.length;
  if (n !== 1 && n !== 2) fail('kernel', `must have 1 or 2 axes (mxts supports 1-D and 2-D windows), got (${p.kernel.join(', ')})`);
  const axes = (name: 'stride' | 'dilate' | 'pad', fallback: number) => {
    const given = p[name];
    if (given.length === 0) return new Array<number>(n).fill(fallback);
    if (given.length !== n) fail(name, `must have as many axes as kernel (${n}), got (${given.join(', ')})`);
    return given;
  };
  if (p.num_filter % p.num_group !== 0) fail('num_filter', `${p.num_filter} is not divisible by num_group=${p.num_group}`);
  const expected = n === 1 ? 'NCW' : 'NCHW';
  if (p.layout !== null && p.layout !== expected) fail('layout', `'${p.layout}' is not supported by mxts; a ${n}-d kernel needs '${expected}'`);
  return { kernel: p.kernel, stride: axes('stride', 1), pad: axes('pad', 0), dilate: axes('dilate', 1) };
}

/** Checks data's rank and channel grouping; names data in the error. */
export function checkData(data: Shape, window: Window, groups: number, site: ShapeSite): void {
  const n = window.kernel.length;
  if (data.length !== n + 2) {
    site.fail('data', `shape ${shapeToString(data)} must be ${n + 2}-d (batch, channel, ${n === 1 ? 'width' : 'height, width'}) for a ${n}-d kernel`);
  }
  if (data[1]! % groups !== 0) site.fail('data', `has ${data[1]} channels, not divisible by num_group=${groups}`, groups, data[1]);
}

/** Output spatial sizes of a convolution over data; fails when a dilated kernel exceeds the padded input. */
function outputSpatial(data: Shape, w: Window, site: ShapeSite): number[] {
  w.kernel.forEach((k, i) => {
    const size = data[i + 2]!;
    const dilated = w.dilate[i]! * (k - 1) + 1;
    if (dilated > size + 2 * w.pad[i]!) {
      site.fail('data', `spatial size ${size} padded to ${size + 2 * w.pad[i]!} is smaller than the dilated kernel ${dilated} on axis ${i + 2}`);
    }
  });
  return spatialOut(data, w);
}

const spatialOut = (data: Shape, w: Window) => w.kernel.map((k, i) => windowCount(data[i + 2]!, k, w.stride[i]!, w.pad[i]!, w.dilate[i]!));

function inferShape(p: Params, inputs: readonly MaybeShape[], outputs: readonly MaybeShape[], site: ShapeSite): InferredShapes {
  const w = resolveWindow(p, site);
  const data = inputs[0] ?? null;
  if (!data) return { inputs, outputs };
  checkData(data, w, p.num_group, site);
  const weight = [p.num_filter, data[1]! / p.num_group, ...w.kernel];
  const out = [data[0]!, p.num_filter, ...outputSpatial(data, w, site)];
  return { inputs: p.no_bias ? [data, weight] : [data, weight, [p.num_filter]], outputs: [out] };
}

/** The im2col geometry of one sample of data (shapes were checked by inferShape). */
function geometryOf(p: Params, data: Shape): ConvGeometry {
  const w = resolveWindow(p, { op: 'Convolution' });
  return convGeometry(data[1]!, data.slice(2), w.kernel, w.stride, w.pad, w.dilate, spatialOut(data, w));
}

/**
 * grad[f] (req)= sum of head over batch and positions of channel f (BatchNorm's channel sums),
 * summed in float64 into `channelTotals` (a node's state: one double per filter).
 */
export function biasGrad(kernels: Kernels, head: Float32Array, grad: Float32Array, batch: number, spatial: number, req: Req, channelTotals: Float64Array): void {
  const filters = grad.length;
  kernels.channelSums(head, { outer: batch, n: filters, inner: spatial }, null, channelTotals);
  for (let f = 0; f < filters; f++) grad[f] = req === 'add' ? grad[f]! + channelTotals[f]! : channelTotals[f]!;
}

/**
 * The three products of a grouped convolution for one sample, shared with Deconvolution:
 * `im` is the image side (channels x K per group in the column buffer), `cols` the (F x outSpatial)
 * side. Shapes per group g: weight (F/G, C/G*K), col (C/G*K, P), result (F/G, P).
 */
export interface GroupedGemm {
  readonly groups: number;
  /** F/G: output channels per group. */
  readonly rows: number;
  /** C/G * K: column-buffer rows per group. */
  readonly depth: number;
  /** P: output positions. */
  readonly positions: number;
}

/** result[g] (beta)= weight[g] . col[g] */
export function weightTimesCol(kernels: Kernels, s: GroupedGemm, weight: Float32Array, col: Float32Array, result: Float32Array, offR: number, beta: number): void {
  for (let g = 0; g < s.groups; g++) {
    kernels.gemm(false, false, s.rows, s.positions, s.depth, 1, weight, s.depth, g * s.rows * s.depth, col, s.positions, g * s.depth * s.positions, beta, result, s.positions, offR + g * s.rows * s.positions);
  }
}

/** col[g] = weight[g]^T . result[g] */
export function weightTTimesResult(kernels: Kernels, s: GroupedGemm, weight: Float32Array, result: Float32Array, offR: number, col: Float32Array): void {
  for (let g = 0; g < s.groups; g++) {
    kernels.gemm(true, false, s.depth, s.positions, s.rows, 1, weight, s.depth, g * s.rows * s.depth, result, s.positions, offR + g * s.rows * s.positions, 0, col, s.positions, g * s.depth * s.positions);
  }
}

/** weightGrad[g] (beta)= result[g] . col[g]^T */
export function resultTimesColT(kernels: Kernels, s: GroupedGemm, result: Float32Array, offR: number, col: Float32Array, weightGrad: Float32Array, beta: number): void {
  for (let g = 0; g < s.groups; g++) {
    kernels.gemm(false, true, s.rows, s.depth, s.positions, 1, result, s.positions, offR + g * s.rows * s.positions, col, s.positions, g * s.depth * s.positions, beta, weightGrad, s.depth, g * s.rows * s.depth);
  }
}

/** Column-buffer budget per chunk of samples (floats): bounds the workspace for large batches. */
const CHUNK_FLOATS = 1 << 23;

/** Samples per chunk: as many as fit the budget, at least one. */
function chunkSize(s: GroupedGemm, filters: number, batch: number): number {
  const perSample = (s.groups * s.depth + filters) * s.positions;
  return Math.max(1, Math.min(batch, Math.floor(CHUNK_FLOATS / Math.max(1, perSample))));
}

/** Workspace of the batched products: a column buffer and an (F, samples * P) matrix per chunk. */
function batchedWorkspace(s: GroupedGemm, filters: number, batch: number): number {
  const count = chunkSize(s, filters, batch);
  return (s.groups * s.depth + filters) * s.positions * count;
}

/** A ColumnSource refilled before each product (a node's state: no per-call garbage). */
type Columns = { -readonly [K in keyof ColumnSource]: ColumnSource[K] };

/**
 * The chunk's im2col as a GEMM operand, or the images a product's columns are added into
 * (ungrouped convolutions): a backend may write or read the columns where its GEMM works.
 */
function columnsOf(columns: Columns, image: Float32Array, offset: number, geo: ConvGeometry, samples: number, sampleStride: number): ColumnSource {
  columns.image = image;
  columns.offset = offset;
  columns.geo = geo;
  columns.samples = samples;
  columns.sampleStride = sampleStride;
  return columns;
}

/** Everything a convolution node derives from its params and data shape: its state, made at bind. */
interface ConvLayout {
  readonly geo: ConvGeometry;
  readonly s: GroupedGemm;
  readonly batch: number;
  /** Floats of one sample of data. */
  readonly inSize: number;
  /** Samples per chunk: the batch is convolved `chunk` samples per GEMM. */
  readonly chunk: number;
  /** The chunk's column buffer (groups*depth x chunk*P) and (F x chunk*P) matrix in `workspace`. */
  views?: { readonly workspace: Float32Array; readonly cols: Float32Array; readonly matrix: Float32Array };
  readonly columns: Columns;
  /** Per-filter float64 sums for the bias gradient. */
  readonly channelTotals: Float64Array;
}

function layoutOf(p: Params, data: Shape): ConvLayout {
  const geo = geometryOf(p, data);
  const s = groupedOf(p, geo);
  const batch = data[0]!;
  const columns = { image: new Float32Array(0), offset: 0, geo, samples: 0, sampleStride: 0 };
  return { geo, s, batch, inSize: geo.channels * geo.height * geo.width, chunk: chunkSize(s, p.num_filter, batch), columns, channelTotals: new Float64Array(p.num_filter) };
}

/**
 * The workspace split into the chunk's column buffer and result matrix, so each chunk of samples
 * needs one GEMM per group instead of one per sample (views kept per workspace).
 */
function chunkViews(layout: ConvLayout, filters: number, workspace: Float32Array): { cols: Float32Array; matrix: Float32Array } {
  if (layout.views?.workspace !== workspace) {
    const { s, chunk } = layout;
    const colFloats = s.groups * s.depth * s.positions * chunk;
    layout.views = { workspace, cols: workspace.subarray(0, colFloats), matrix: workspace.subarray(colFloats, colFloats + filters * s.positions * chunk) };
  }
  return layout.views;
}

function groupedOf(p: Params, g: ConvGeometry): GroupedGemm {
  return { groups: p.num_group, rows: p.num_filter / p.num_group, depth: (g.channels / p.num_group) * g.kh * g.kw, positions: g.outH * g.outW };
}

export const convolutionOp = defineOp({
  name: 'Convolution',
  doc: [
    'out[n, f] = bias[f] + sum over c in the group of f, and window taps, of weight[f, c, ki, kj] * data[n, c, y*s - p + ki*d, x*s - p + kj*d]',
    '(zero outside data). weight (num_filter, C/num_group, *kernel); groups split channels into independent convolutions.',
    'd data = col2im(weight^T . head); d weight = sum_n head . im2col(data)^T; d bias = sum of head over batch and positions.',
  ].join('\n'),
  params: WINDOW_PARAMS,
  inputs: (p) => (p.no_bias ? ['data', 'weight'] : ['data', 'weight', 'bias']),
  outputs: () => ['output'],
  inferShape,
  workspace: (p, [data]) => batchedWorkspace(groupedOf(p, geometryOf(p, data!)), p.num_filter, data![0]!),
  createState: (p, [data]) => layoutOf(p, data!),
  forward: (p, [x, w, b], [out], [req], ctx) => {
    if (req === 'null') return;
    const layout = ctx.state;
    const { geo, s, batch, inSize, chunk, columns } = layout;
    const { cols, matrix } = chunkViews(layout, p.num_filter, ctx.workspace);
    for (let first = 0; first < batch; first += chunk) {
      const count = Math.min(chunk, batch - first);
      const width = count * s.positions;
      if (s.groups === 1) {
        ctx.kernels.gemmColumns(false, s.rows, width, s.depth, 1, w!.data, s.depth, 0, columnsOf(columns, x!.data, first * inSize, geo, count, inSize), cols, 0, matrix, width, 0);
      } else {
        ctx.kernels.im2col(x!.data, first * inSize, geo, cols, 0, width, count, inSize);
        for (let g = 0; g < s.groups; g++) {
          ctx.kernels.gemm(false, false, s.rows, width, s.depth, 1, w!.data, s.depth, g * s.rows * s.depth, cols, width, g * s.depth * width, 0, matrix, width, g * s.rows * width);
        }
      }
      ctx.kernels.scatterBlocks(matrix, out!.data, first, count, p.num_filter, s.positions, req === 'add', b ? b.data : null);
    }
  },
  backward: {
    usesOutGrads: true,
    reads: () => ({ inputs: [0, 1], outputs: [] }),
    compute: (p, { inputs: [x, w], outGrads: [head] }, [dx, dw, db], [reqX, reqW, reqB], ctx) => {
      const layout = ctx.state;
      const { geo, s, batch, inSize, chunk, columns } = layout;
      const { cols, matrix: heads } = chunkViews(layout, p.num_filter, ctx.workspace);
      const wantX = dx !== null && reqX !== 'null';
      const wantW = dw !== null && reqW !== 'null';
      if (wantX && reqX === 'write') dx!.data.fill(0);
      if (wantW && reqW === 'write' && batch === 0) dw!.data.fill(0);
      for (let first = 0; first < batch; first += chunk) {
        const count = Math.min(chunk, batch - first);
        const width = count * s.positions;
        ctx.kernels.gatherBlocks(head!.data, heads, first, count, p.num_filter, s.positions);
        if (wantW) {
          // d weight[g] (+)= head[g] . cols[g]^T over this chunk's samples at once.
          const beta = first === 0 && reqW === 'write' ? 0 : 1;
          if (s.groups === 1) {
            ctx.kernels.gemmColumns(true, s.rows, s.depth, width, 1, heads, width, 0, columnsOf(columns, x!.data, first * inSize, geo, count, inSize), cols, beta, dw!.data, s.depth, 0);
          } else {
            ctx.kernels.im2col(x!.data, first * inSize, geo, cols, 0, width, count, inSize);
            for (let g = 0; g < s.groups; g++) {
              ctx.kernels.gemm(false, true, s.rows, s.depth, width, 1, heads, width, g * s.rows * width, cols, width, g * s.depth * width, beta, dw!.data, s.depth, g * s.rows * s.depth);
            }
          }
        }
        if (wantX) {
          // cols[g] = weight[g]^T . head[g], then scattered back into each sample's image.
          if (s.groups === 1) {
            ctx.kernels.gemmIntoImages(true, false, s.depth, width, s.rows, w!.data, s.depth, 0, heads, width, 0, columnsOf(columns, dx!.data, first * inSize, geo, count, inSize), cols);
          } else {
            for (let g = 0; g < s.groups; g++) {
              ctx.kernels.gemm(true, false, s.depth, width, s.rows, 1, w!.data, s.depth, g * s.rows * s.depth, heads, width, g * s.rows * width, 0, cols, width, g * s.depth * width);
            }
            ctx.kernels.col2im(cols, geo, dx!.data, first * inSize, 0, width, count, inSize);
          }
        }
      }
      if (db && reqB !== undefined && reqB !== 'null') biasGrad(ctx.kernels, head!.data, db.data, batch, s.positions, reqB, layout.channelTotals);
    },
  },
});
