/**
 * Layout descriptors that operators compute from their parameters and shapes and kernels consume:
 * a convolution window over an image, a pooling window, an (outer, n, inner) axis view, a batch
 * of images seen as im2col columns. Plain data and arithmetic, no kernels.
 */

/** Everything about one image and its sliding window. */
export interface ConvGeometry {
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  readonly kh: number;
  readonly kw: number;
  readonly sh: number;
  readonly sw: number;
  readonly ph: number;
  readonly pw: number;
  readonly dh: number;
  readonly dw: number;
  readonly outH: number;
  readonly outW: number;
}

/** Output length of a sliding window over `size` (floor convention). */
export function windowCount(size: number, kernel: number, stride: number, pad: number, dilate: number): number {
  return Math.floor((size + 2 * pad - (dilate * (kernel - 1) + 1)) / stride) + 1;
}

/**
 * Geometry from spatial sizes and per-axis (kernel, stride, pad, dilate) lists of length 1 or 2;
 * 1-D lists describe the width, with height 1.
 */
export function convGeometry(
  channels: number,
  spatial: readonly number[],
  kernel: readonly number[],
  stride: readonly number[],
  pad: readonly number[],
  dilate: readonly number[],
  outSpatial: readonly number[],
): ConvGeometry {
  const two = spatial.length === 2;
  const at = (list: readonly number[], axis: 0 | 1, fallback: number) => (two ? list[axis]! : axis === 0 ? fallback : list[0]!);
  return {
    channels,
    height: at(spatial, 0, 1),
    width: at(spatial, 1, 1),
    kh: at(kernel, 0, 1),
    kw: at(kernel, 1, 1),
    sh: at(stride, 0, 1),
    sw: at(stride, 1, 1),
    ph: at(pad, 0, 0),
    pw: at(pad, 1, 0),
    dh: at(dilate, 0, 1),
    dw: at(dilate, 1, 1),
    outH: at(outSpatial, 0, 1),
    outW: at(outSpatial, 1, 1),
  };
}

/** Elements of the column buffer for one image. */
export function colSize(g: ConvGeometry): number {
  return g.channels * g.kh * g.kw * g.outH * g.outW;
}

/** An (outer, n, inner) view: the middle axis of a tensor, with everything before and after it flattened. */
export interface AxisView {
  readonly outer: number;
  readonly n: number;
  readonly inner: number;
}

export function axisView(shape: readonly number[], axis: number): AxisView {
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i]!;
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i]!;
  return { outer, n: shape[axis]!, inner };
}

/** A max/avg/sum pooling window over planes of height x width. */
export type PoolGeometry = Pick<ConvGeometry, 'height' | 'width' | 'outH' | 'outW' | 'kh' | 'kw' | 'sh' | 'sw' | 'ph' | 'pw'>;

/**
 * A GEMM operand given as the im2col columns of `samples` images (channels*kh*kw rows of
 * samples*outH*outW floats), the first at image[offset] and each next sampleStride further, or the
 * images a product's columns are added back into (col2im). Backends may build the columns where
 * their GEMM reads them, without a column buffer in JavaScript memory.
 */
export interface ColumnSource {
  readonly image: Float32Array;
  readonly offset: number;
  readonly geo: ConvGeometry;
  readonly samples: number;
  readonly sampleStride: number;
}
