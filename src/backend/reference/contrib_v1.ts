/**
 * Kernels of MXNet's legacy `_v1` layers where they differ from the modern ones: mshadow pads
 * pooling input with zeros (max windows see the zeros), and its unpooling sends a max window's
 * gradient to every position equal to the maximum, not just the first.
 */
import type { Req } from '../../base/req';

/** The window geometry of Pooling_v1 on (planes, height, width) data, in padded coordinates. */
export interface PoolV1Window {
  readonly height: number; readonly width: number;
  readonly kh: number; readonly kw: number;
  readonly sh: number; readonly sw: number;
  readonly ph: number; readonly pw: number;
  readonly outH: number; readonly outW: number;
}

/** out = each (height, width) plane of x surrounded by ph rows and pw columns of zeros. */
function padPlanes(x: Float32Array, planes: number, height: number, width: number, ph: number, pw: number, out: Float32Array): void {
  const [hp, wp] = [height + 2 * ph, width + 2 * pw];
  out.fill(0, 0, planes * hp * wp);
  for (let c = 0; c < planes; c++) {
    for (let y = 0; y < height; y++) {
      const from = (c * height + y) * width;
      out.set(x.subarray(from, from + width), (c * hp + y + ph) * wp + pw);
    }
  }
}

/**
 * d data of Pooling_v1 (req honoured): each window (clipped to the padded input) sends its head
 * gradient to the data positions inside it: max to every position whose value equals the window's
 * output, sum unchanged, avg times `scale` (1/(kh*kw)). Padding positions are dropped.
 */
function poolV1Backward(poolType: 'max' | 'avg' | 'sum', x: Float32Array, planes: number, w: PoolV1Window, y: Float32Array, head: Float32Array, scale: number, dx: Float32Array, req: Req): void {
  if (req === 'null') return;
  if (req === 'write') dx.fill(0);
  const [hp, wp] = [w.height + 2 * w.ph, w.width + 2 * w.pw];
  let o = 0;
  for (let c = 0; c < planes; c++) {
    const base = c * w.height * w.width;
    for (let oy = 0; oy < w.outH; oy++) {
      const y0 = oy * w.sh;
      const y1 = Math.min(y0 + w.kh, hp);
      for (let ox = 0; ox < w.outW; ox++, o++) {
        const x0 = ox * w.sw;
        const x1 = Math.min(x0 + w.kw, wp);
        const g = poolType === 'avg' ? head[o]! * scale : head[o]!;
        for (let py = Math.max(y0, w.ph); py < Math.min(y1, w.ph + w.height); py++) {
          const row = base + (py - w.ph) * w.width - w.pw;
          for (let px = Math.max(x0, w.pw); px < Math.min(x1, w.pw + w.width); px++) {
            if (poolType !== 'max' || x[row + px] === y[o]) dx[row + px]! += g;
          }
        }
      }
    }
  }
}

export const contribV1Kernels = { padPlanes, poolV1Backward };
