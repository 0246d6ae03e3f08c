/**
 * Spatial-transformer kernels: sampling grids (MXNet `grid_generator-inl.h`, the affine part of
 * `spatial_transformer-inl.h`) and bilinear sampling of NCHW maps at normalized grid points
 * (`bilinear_sampler.cc`), with their gradients. Grids are (N, 2, H, W): channel 0 holds x, channel
 * 1 holds y, both in [-1, 1] across the source map; corners taken outside the map contribute 0.
 */
import type { Req } from '../../base/req';

const f32 = Math.fround;

/** How the target grid's coordinates are rounded: GridGenerator steps in float32, SpatialTransformer in float64. */
export type GridRounding = 'float32-step' | 'float64';

/**
 * gridDst (3, H*W) = rows x, y, 1 of the target grid: x = -1 + w * 2/(W-1), y = -1 + h * 2/(H-1).
 * GridGenerator multiplies by the float32 step; SpatialTransformer evaluates the expression in double.
 */
function targetGrid(height: number, width: number, rounding: GridRounding, gridDst: Float32Array): void {
  const size = height * width;
  const stepX = f32(2 / (width - 1));
  const stepY = f32(2 / (height - 1));
  for (let h = 0; h < height; h++) {
    for (let w = 0; w < width; w++) {
      const i = h * width + w;
      gridDst[i] = rounding === 'float64' ? -1 + (w * 2) / (width - 1) : f32(-1 + f32(w * stepX));
      gridDst[size + i] = rounding === 'float64' ? -1 + (h * 2) / (height - 1) : f32(-1 + f32(h * stepY));
      gridDst[2 * size + i] = 1;
    }
  }
}

/**
 * Affine grid: gridDst (3, H*W) as above, then out[n, r, h, w] (req)= theta[n, 3r] * x + theta[n, 3r+1] * y
 * + theta[n, 3r+2] for r = 0 (source x) and 1 (source y); theta is (N, 6).
 */
function affineGrid(theta: Float32Array, batch: number, height: number, width: number, rounding: GridRounding, out: Float32Array, gridDst: Float32Array, req: Req): void {
  targetGrid(height, width, rounding, gridDst);
  if (req === 'null') return;
  const size = height * width;
  for (let n = 0; n < batch; n++) {
    for (let r = 0; r < 2; r++) {
      const a = n * 6 + r * 3;
      const [ax, ay, ab] = [theta[a]!, theta[a + 1]!, theta[a + 2]!];
      const o = (n * 2 + r) * size;
      for (let i = 0; i < size; i++) {
        const v = ax * gridDst[i]! + ay * gridDst[size + i]! + ab;
        out[o + i] = req === 'add' ? out[o + i]! + v : v;
      }
    }
  }
}

/** dTheta[n, 3r + k] (req)= sum over the grid of g[n, r] times row k of gridDst (x, y, 1). */
function affineGridGrad(g: Float32Array, batch: number, size: number, gridDst: Float32Array, dTheta: Float32Array, req: Req): void {
  if (req === 'null') return;
  for (let n = 0; n < batch; n++) {
    for (let r = 0; r < 2; r++) {
      const o = (n * 2 + r) * size;
      const sums = [0, 0, 0];
      for (let i = 0; i < size; i++) {
        const gv = g[o + i]!;
        sums[0]! += gv * gridDst[i]!;
        sums[1]! += gv * gridDst[size + i]!;
        sums[2]! += gv;
      }
      for (let k = 0; k < 3; k++) {
        const t = n * 6 + r * 3 + k;
        dTheta[t] = req === 'add' ? dTheta[t]! + sums[k]! : sums[k]!;
      }
    }
  }
}

/**
 * Warp grid from an optical flow (N, 2, H, W): out x = (flow_x + w) / ((W-1)/2) - 1, out y likewise
 * with h and H; gridDst (2, H, W) (req write) holds the pixel coordinates w and h.
 */
function warpGrid(flow: Float32Array, batch: number, height: number, width: number, out: Float32Array, gridDst: Float32Array, req: Req): void {
  const size = height * width;
  for (let i = 0; i < size; i++) {
    gridDst[i] = i % width;
    gridDst[size + i] = Math.floor(i / width);
  }
  if (req === 'null') return;
  const halves = [f32((width - 1) / 2), f32((height - 1) / 2)];
  for (let n = 0; n < batch; n++) {
    for (let r = 0; r < 2; r++) {
      const o = (n * 2 + r) * size;
      for (let i = 0; i < size; i++) {
        const v = f32(f32(flow[o + i]! + gridDst[r * size + i]!) / halves[r]!) - 1;
        out[o + i] = req === 'add' ? out[o + i]! + v : v;
      }
    }
  }
}

/** dFlow (req)= g / ((W-1)/2) on the x channel and g / ((H-1)/2) on the y channel. */
function warpGridGrad(g: Float32Array, batch: number, height: number, width: number, dFlow: Float32Array, req: Req): void {
  if (req === 'null') return;
  const size = height * width;
  const halves = [f32((width - 1) / 2), f32((height - 1) / 2)];
  for (let n = 0; n < batch; n++) {
    for (let r = 0; r < 2; r++) {
      const o = (n * 2 + r) * size;
      for (let i = 0; i < size; i++) {
        const v = g[o + i]! / halves[r]!;
        dFlow[o + i] = req === 'add' ? dFlow[o + i]! + v : v;
      }
    }
  }
}

/** NCHW source map and (N, 2, outH, outW) grid sizes shared by the sampler kernels. */
export interface SamplerShape {
  readonly batch: number;
  readonly channels: number;
  readonly inH: number;
  readonly inW: number;
  readonly outH: number;
  readonly outW: number;
}

/** One grid point in source pixels: top-left corner (x0, y0) and the weights of that corner's column and row. */
interface Corner { x0: number; y0: number; wx: number; wy: number }

function cornerOf(gx: number, gy: number, inH: number, inW: number, corner: Corner): void {
  // As MXNet: (g + 1) * (size - 1) / 2 in float32, floor, then the top-left weights 1 - fraction.
  const xr = f32(f32(f32(gx + 1) * (inW - 1)) / 2);
  const yr = f32(f32(f32(gy + 1) * (inH - 1)) / 2);
  corner.x0 = Math.floor(xr);
  corner.y0 = Math.floor(yr);
  corner.wx = f32(1 - f32(xr - corner.x0));
  corner.wy = f32(1 - f32(yr - corner.y0));
}

/** The four corner values of plane `base` (0 for corners outside the map), in the order (y0,x0), (y0,x1), (y1,x0), (y1,x1). */
function cornerValues(data: Float32Array, base: number, c: Corner, inH: number, inW: number, v: Float64Array): void {
  const inX0 = c.x0 >= 0 && c.x0 < inW;
  const inX1 = c.x0 + 1 >= 0 && c.x0 + 1 < inW;
  const inY0 = c.y0 >= 0 && c.y0 < inH;
  const inY1 = c.y0 + 1 >= 0 && c.y0 + 1 < inH;
  const at = base + c.y0 * inW + c.x0;
  v[0] = inY0 && inX0 ? data[at]! : 0;
  v[1] = inY0 && inX1 ? data[at + 1]! : 0;
  v[2] = inY1 && inX0 ? data[at + inW]! : 0;
  v[3] = inY1 && inX1 ? data[at + inW + 1]! : 0;
}

const corner: Corner = { x0: 0, y0: 0, wx: 0, wy: 0 };
const values = new Float64Array(4);

/** out[n, c, h, w] (req)= bilinear interpolation of data[n, c] at grid[n, :, h, w]. */
function bilinearSample(data: Float32Array, grid: Float32Array, s: SamplerShape, out: Float32Array, req: Req): void {
  if (req === 'null') return;
  const outSize = s.outH * s.outW;
  for (let n = 0; n < s.batch; n++) {
    for (let i = 0; i < outSize; i++) {
      const g = n * 2 * outSize + i;
      cornerOf(grid[g]!, grid[g + outSize]!, s.inH, s.inW, corner);
      const { wx, wy } = corner;
      for (let c = 0; c < s.channels; c++) {
        cornerValues(data, (n * s.channels + c) * s.inH * s.inW, corner, s.inH, s.inW, values);
        const v = values[0]! * wy * wx + values[1]! * wy * (1 - wx) + values[2]! * (1 - wy) * wx + values[3]! * (1 - wy) * (1 - wx);
        const o = (n * s.channels + c) * outSize + i;
        out[o] = req === 'add' ? out[o]! + v : v;
      }
    }
  }
}

/**
 * dData (reqData)= the head gradient spread over each point's in-map corners with the forward weights;
 * dGrid (reqGrid)= d out / d grid: minus the derivative of the interpolation along each weight,
 * times (size - 1) / 2. dData or dGrid may be null when not wanted.
 */
function bilinearSampleGrad(g: Float32Array, data: Float32Array, grid: Float32Array, s: SamplerShape,
  dData: Float32Array | null, dGrid: Float32Array | null, reqData: Req, reqGrid: Req): void {
  const wantData = dData !== null && reqData !== 'null';
  const wantGrid = dGrid !== null && reqGrid !== 'null';
  if (wantData && reqData === 'write') dData.fill(0);
  const outSize = s.outH * s.outW;
  const plane = s.inH * s.inW;
  for (let n = 0; n < s.batch; n++) {
    for (let i = 0; i < outSize; i++) {
      const gi = n * 2 * outSize + i;
      cornerOf(grid[gi]!, grid[gi + outSize]!, s.inH, s.inW, corner);
      const { x0, y0, wx, wy } = corner;
      let dwy = 0;
      let dwx = 0;
      for (let c = 0; c < s.channels; c++) {
        const base = (n * s.channels + c) * plane;
        const head = g[(n * s.channels + c) * outSize + i]!;
        cornerValues(data, base, corner, s.inH, s.inW, values);
        if (wantData) {
          const at = base + y0 * s.inW + x0;
          const inX0 = x0 >= 0 && x0 < s.inW;
          const inX1 = x0 + 1 >= 0 && x0 + 1 < s.inW;
          if (y0 >= 0 && y0 < s.inH) {
            if (inX0) dData[at]! += head * wy * wx;
            if (inX1) dData[at + 1]! += head * wy * (1 - wx);
          }
          if (y0 + 1 >= 0 && y0 + 1 < s.inH) {
            if (inX0) dData[at + s.inW]! += head * (1 - wy) * wx;
            if (inX1) dData[at + s.inW + 1]! += head * (1 - wy) * (1 - wx);
          }
        }
        const [v00, v01, v10, v11] = [values[0]!, values[1]!, values[2]!, values[3]!];
        const cross = v00 - v01 - v10 + v11;
        dwy += head * (v01 - v11 + cross * wx);
        dwx += head * (v10 - v11 + cross * wy);
      }
      if (wantGrid) {
        const gx = (-dwx * (s.inW - 1)) / 2;
        const gy = (-dwy * (s.inH - 1)) / 2;
        dGrid[gi] = reqGrid === 'add' ? dGrid[gi]! + gx : gx;
        dGrid[gi + outSize] = reqGrid === 'add' ? dGrid[gi + outSize]! + gy : gy;
      }
    }
  }
}

export const visionSamplingKernels = { affineGrid, affineGridGrad, warpGrid, warpGridGrad, bilinearSample, bilinearSampleGrad };
