/**
 * Position-sensitive region-of-interest kernels on NCHW maps: R-FCN's PSROI average pooling (MXNet
 * `contrib/psroi_pooling`) and its deformable form with per-part offsets
 * (`contrib/deformable_psroi_pooling`). Rois whose batch index falls outside the data give zeros
 * (MXNet reads out of bounds there).
 */
import type { Shape } from '../../base/shape';
import type { Req } from '../../base/req';

const f32 = Math.fround;

/** C's round(): halves away from zero. */
const roundHalfAway = (v: number) => (v < 0 ? -Math.round(-v) : Math.round(v));

export interface PsroiGeometry {
  readonly spatialScale: number;
  readonly outputDim: number;
  readonly pooledSize: number;
  readonly groupSize: number;
}

/** Input channel of output channel `ctop`, bin (ph, pw): the group cell the bin falls in. */
function groupChannel(ctop: number, ph: number, pw: number, pooled: number, group: number): number {
  const gh = Math.min(Math.max(Math.floor(f32(ph * group) / pooled), 0), group - 1);
  const gw = Math.min(Math.max(Math.floor(f32(pw * group) / pooled), 0), group - 1);
  return (ctop * group + gh) * group + gw;
}

/**
 * Visits every output (roi, ctop, ph, pw) of PSROI pooling with the plane of its group channel and
 * its bin [h0, h1) x [w0, w1) clipped to the map (empty bins included; rois off the batch skipped).
 */
function forEachPsroiBin(dataShape: Shape, rois: Float32Array, numRois: number, geo: PsroiGeometry,
  visit: (o: number, plane: number, h0: number, h1: number, w0: number, w1: number) => void): void {
  const [batch, channels, height, width] = dataShape as [number, number, number, number];
  const P = geo.pooledSize;
  for (let r = 0; r < numRois; r++) {
    const roi = rois.subarray(r * 5, r * 5 + 5);
    const b = Math.trunc(roi[0]!);
    if (b < 0 || b >= batch) continue;
    const startW = f32(roundHalfAway(roi[1]!) * geo.spatialScale);
    const startH = f32(roundHalfAway(roi[2]!) * geo.spatialScale);
    const endW = f32((roundHalfAway(roi[3]!) + 1) * geo.spatialScale);
    const endH = f32((roundHalfAway(roi[4]!) + 1) * geo.spatialScale);
    const binW = f32(f32(Math.max(f32(endW - startW), 0.1)) / P);
    const binH = f32(f32(Math.max(f32(endH - startH), 0.1)) / P);
    for (let ctop = 0; ctop < geo.outputDim; ctop++) {
      for (let ph = 0; ph < P; ph++) {
        const h0 = Math.min(Math.max(Math.floor(f32(f32(ph * binH) + startH)), 0), height);
        const h1 = Math.min(Math.max(Math.ceil(f32(f32((ph + 1) * binH) + startH)), 0), height);
        for (let pw = 0; pw < P; pw++) {
          const w0 = Math.min(Math.max(Math.floor(f32(f32(pw * binW) + startW)), 0), width);
          const w1 = Math.min(Math.max(Math.ceil(f32(f32((pw + 1) * binW) + startW)), 0), width);
          const c = groupChannel(ctop, ph, pw, P, geo.groupSize);
          visit(((r * geo.outputDim + ctop) * P + ph) * P + pw, (b * channels + c) * height * width, h0, h1, w0, w1);
        }
      }
    }
  }
}

/** out (req)= mean of the group channel over each bin (0 for empty bins and rois off the batch). */
function psroiPool(data: Float32Array, dataShape: Shape, rois: Float32Array, numRois: number, geo: PsroiGeometry, out: Float32Array, req: Req): void {
  if (req === 'null') return;
  if (req === 'write') out.fill(0);
  const width = dataShape[3]!;
  forEachPsroiBin(dataShape, rois, numRois, geo, (o, plane, h0, h1, w0, w1) => {
    if (h1 <= h0 || w1 <= w0) return;
    let sum = 0;
    for (let h = h0; h < h1; h++) for (let w = w0; w < w1; w++) sum += data[plane + h * width + w]!;
    out[o]! += sum / ((h1 - h0) * (w1 - w0));
  });
}

/** dx (req)= each bin's head gradient spread evenly over the bin. */
function psroiPoolGrad(g: Float32Array, dataShape: Shape, rois: Float32Array, numRois: number, geo: PsroiGeometry, dx: Float32Array, req: Req): void {
  if (req === 'null') return;
  if (req === 'write') dx.fill(0);
  const width = dataShape[3]!;
  forEachPsroiBin(dataShape, rois, numRois, geo, (o, plane, h0, h1, w0, w1) => {
    if (h1 <= h0 || w1 <= w0) return;
    const share = g[o]! / ((h1 - h0) * (w1 - w0));
    for (let h = h0; h < h1; h++) for (let w = w0; w < w1; w++) dx[plane + h * width + w]! += share;
  });
}

export interface DeformablePsroiGeometry extends PsroiGeometry {
  readonly partSize: number;
  readonly samplePerPart: number;
  readonly transStd: number;
  /** trans channels / 2 (1 without trans). */
  readonly numClasses: number;
  readonly noTrans: boolean;
}

/** One in-map sample of a deformable bin: the clamped point, the output it feeds, its trans entries and the roi size. */
interface Sample { o: number; plane: number; x: number; y: number; tx: number; ty: number; roiW: number; roiH: number }

/**
 * Visits every output of deformable PSROI pooling (`start`, with the number of in-map samples it
 * will get) and then each of those samples, clamped into [0, size - 1] as MXNet clamps them.
 */
function forEachDeformableSample(dataShape: Shape, rois: Float32Array, numRois: number, trans: Float32Array | null, geo: DeformablePsroiGeometry,
  start: (o: number) => void, visit: (s: Sample) => void): void {
  const [batch, channels, height, width] = dataShape as [number, number, number, number];
  const { pooledSize: P, partSize: part, samplePerPart: spp } = geo;
  const perClass = geo.noTrans ? geo.outputDim : geo.outputDim / geo.numClasses;
  const s: Sample = { o: 0, plane: 0, x: 0, y: 0, tx: 0, ty: 0, roiW: 0, roiH: 0 };
  for (let r = 0; r < numRois; r++) {
    const roi = rois.subarray(r * 5, r * 5 + 5);
    const b = Math.trunc(roi[0]!);
    const startW = f32(f32(roundHalfAway(roi[1]!) * geo.spatialScale) - 0.5);
    const startH = f32(f32(roundHalfAway(roi[2]!) * geo.spatialScale) - 0.5);
    const endW = f32(f32((roundHalfAway(roi[3]!) + 1) * geo.spatialScale) - 0.5);
    const endH = f32(f32((roundHalfAway(roi[4]!) + 1) * geo.spatialScale) - 0.5);
    s.roiW = f32(Math.max(f32(endW - startW), 0.1));
    s.roiH = f32(Math.max(f32(endH - startH), 0.1));
    const binW = f32(s.roiW / P);
    const binH = f32(s.roiH / P);
    const subW = f32(binW / spp);
    const subH = f32(binH / spp);
    for (let ctop = 0; ctop < geo.outputDim; ctop++) {
      const cls = Math.floor(ctop / perClass);
      for (let ph = 0; ph < P; ph++) {
        const partH = Math.floor(f32(f32(ph / P) * part));
        for (let pw = 0; pw < P; pw++) {
          const partW = Math.floor(f32(f32(pw / P) * part));
          s.o = ((r * geo.outputDim + ctop) * P + ph) * P + pw;
          start(s.o);
          if (b < 0 || b >= batch) continue;
          s.tx = ((r * geo.numClasses + cls) * 2 * part + partH) * part + partW;
          s.ty = s.tx + part * part;
          const transX = trans ? f32(trans[s.tx]! * geo.transStd) : 0;
          const transY = trans ? f32(trans[s.ty]! * geo.transStd) : 0;
          const wStart = f32(f32(f32(pw * binW) + startW) + f32(transX * s.roiW));
          const hStart = f32(f32(f32(ph * binH) + startH) + f32(transY * s.roiH));
          s.plane = (b * channels + groupChannel(ctop, ph, pw, P, geo.groupSize)) * height * width;
          for (let ih = 0; ih < spp; ih++) {
            for (let iw = 0; iw < spp; iw++) {
              const w = f32(wStart + f32(iw * subW));
              const h = f32(hStart + f32(ih * subH));
              if (w < -0.5 || w > width - 0.5 || h < -0.5 || h > height - 0.5) continue;
              s.x = Math.min(Math.max(w, 0), width - 1);
              s.y = Math.min(Math.max(h, 0), height - 1);
              visit(s);
            }
          }
        }
      }
    }
  }
}

/** Bilinear value of a plane at (x, y) inside the map, taps floor/ceil on each axis. */
function interpolate(data: Float32Array, plane: number, width: number, x: number, y: number): number {
  const [x0, x1, y0, y1] = [Math.floor(x), Math.ceil(x), Math.floor(y), Math.ceil(y)];
  const dx = x - x0;
  const dy = y - y0;
  const at = (yy: number, xx: number) => data[plane + yy * width + xx]!;
  return (1 - dx) * (1 - dy) * at(y0, x0) + (1 - dx) * dy * at(y1, x0) + dx * (1 - dy) * at(y0, x1) + dx * dy * at(y1, x1);
}

/** out (req)= mean of the in-map samples of each deformable bin (0 when none); topCount (write)= their number. */
function deformablePsroiPool(data: Float32Array, dataShape: Shape, rois: Float32Array, numRois: number, trans: Float32Array | null,
  geo: DeformablePsroiGeometry, out: Float32Array, topCount: Float32Array, req: Req): void {
  const width = dataShape[3]!;
  let sum = 0;
  let count = 0;
  let current = -1;
  const flush = () => {
    if (current < 0) return;
    const v = count === 0 ? 0 : sum / count;
    topCount[current] = count;
    if (req === 'write') out[current] = v;
    else if (req === 'add') out[current]! += v;
  };
  forEachDeformableSample(dataShape, rois, numRois, trans, geo, (o) => {
    flush();
    [current, sum, count] = [o, 0, 0];
  }, (s) => {
    sum += interpolate(data, s.plane, width, s.x, s.y);
    count++;
  });
  flush();
}

/**
 * dData (reqData)= each bin's head gradient / count spread over its samples' bilinear taps;
 * dTrans (reqTrans)= d out / d trans through the sample positions (trans_std * roi size times the
 * interpolation's slope, ignoring the clamping, as MXNet does).
 */
function deformablePsroiPoolGrad(g: Float32Array, data: Float32Array, dataShape: Shape, rois: Float32Array, numRois: number, trans: Float32Array | null,
  topCount: Float32Array, geo: DeformablePsroiGeometry, dData: Float32Array | null, dTrans: Float32Array | null, reqData: Req, reqTrans: Req): void {
  const gradData = reqData === 'null' ? null : dData;
  const gradTrans = reqTrans === 'null' || geo.noTrans ? null : dTrans;
  if (gradData && reqData === 'write') gradData.fill(0);
  if (gradTrans && reqTrans === 'write') gradTrans.fill(0);
  const width = dataShape[3]!;
  forEachDeformableSample(dataShape, rois, numRois, trans, geo, () => undefined, (s) => {
    const count = topCount[s.o]!;
    if (count <= 0) return;
    const share = g[s.o]! / count;
    const [x0, x1, y0, y1] = [Math.floor(s.x), Math.ceil(s.x), Math.floor(s.y), Math.ceil(s.y)];
    const dx = s.x - x0;
    const dy = s.y - y0;
    const [i00, i01, i10, i11] = [y0 * width + x0, y1 * width + x0, y0 * width + x1, y1 * width + x1].map((i) => s.plane + i) as [number, number, number, number];
    if (gradData) {
      gradData[i00]! += (1 - dx) * (1 - dy) * share;
      gradData[i01]! += (1 - dx) * dy * share;
      gradData[i10]! += dx * (1 - dy) * share;
      gradData[i11]! += dx * dy * share;
    }
    if (!gradTrans) return;
    const [u00, u01, u10, u11] = [data[i00]!, data[i01]!, data[i10]!, data[i11]!];
    gradTrans[s.tx]! += (u11 * dy + u10 * (1 - dy) - u01 * dy - u00 * (1 - dy)) * geo.transStd * share * s.roiW;
    gradTrans[s.ty]! += (u11 * dx + u01 * (1 - dx) - u10 * dx - u00 * (1 - dx)) * geo.transStd * share * s.roiH;
  });
}

export const visionRoiKernels = { psroiPool, psroiPoolGrad, deformablePsroiPool, deformablePsroiPoolGrad };
