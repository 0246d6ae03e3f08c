/**
 * Ops that change the shape but not the values (MXNet `tensor/matrix_op-inl.h`): `Reshape` (with
 * the special codes 0, -1, -2, -3, -4 and `reverse`, and the legacy `target_shape`), `Flatten`
 * and `expand_dims`. Forward copies; backward copies the head gradient back.
 */
import { Shape, shapeToString, sizeOf } from '../../base/shape';
import { bool, int, intTuple, ParamsOf } from '../params';
import { defineOp } from '../registry';
import type { ShapeSite } from '../types';
import { viewCompute } from './copy';

const RESHAPE_PARAMS = {
  shape: intTuple({ doc: 'target shape; 0 copies, -1 infers, -2 copies the rest, -3 merges two, -4 splits one into the next two', default: [] }),
  reverse: bool({ doc: 'apply the special codes from the right', default: false }),
  target_shape: intTuple({ doc: '(deprecated) target shape, 0 marks the one inferred dimension', default: [] }),
  keep_highest: bool({ doc: '(deprecated, with target_shape) keep the first input dimension', default: false }),
};
type ReshapeParams = ParamsOf<typeof RESHAPE_PARAMS>;

/** MXNet's InferReshapeShape, left to right over (possibly reversed) input dims and codes. */
export function reshapeTarget(codes: readonly number[], input: Shape, reverse: boolean, site: ShapeSite): Shape {
  const dims = reverse ? input.slice().reverse() : input.slice();
  const spec = reverse ? codes.slice().reverse() : codes.slice();
  const given = `(${codes.join(',')})`;
  const fail = (problem: string): never => site.fail('shape', `${given} ${problem} for input ${shapeToString(input)}`, codes, input);
  const out: number[] = [];
  let src = 0;
  let inferAt = -1;
  for (let i = 0; i < spec.length; i++) {
    const code = spec[i]!;
    if (code === 0) {
      if (src >= dims.length) fail('copies (0) an input dimension that does not exist');
      out.push(dims[src++]!);
    } else if (code === -1) {
      if (inferAt >= 0) fail('has more than one -1: at most one dimension can be inferred');
      inferAt = out.length;
      out.push(1);
      src++;
    } else if (code === -2) {
      while (src < dims.length) out.push(dims[src++]!);
    } else if (code === -3) {
      if (src + 1 >= dims.length) fail('merges (-3) two input dimensions where fewer than two remain');
      out.push(dims[src]! * dims[src + 1]!);
      src += 2;
    } else if (code === -4) {
      if (i + 2 >= spec.length) fail('splits (-4) a dimension but does not give the two parts after it');
      if (src >= dims.length) fail('splits (-4) an input dimension that does not exist');
      const whole = dims[src++]!;
      // NOTE: with reverse the codes are read from the right, so the two parts come before the -4.
      let a = spec[++i]!;
      let b = spec[++i]!;
      if (a === -1 && b === -1) fail('splits (-4) into two inferred parts (-1, -1): at most one part can be -1');
      if ((a < -1 || a === 0) || (b < -1 || b === 0)) fail('splits (-4) into parts that are not positive or -1');
      if (a === -1) a = whole % b === 0 ? whole / b : fail(`splits (-4) ${whole} into parts of ${b}, which does not divide it`);
      if (b === -1) b = whole % a === 0 ? whole / a : fail(`splits (-4) ${whole} into parts of ${a}, which does not divide it`);
      if (a * b !== whole) fail(`splits (-4) ${whole} into ${a} x ${b} = ${a * b}`);
      out.push(a, b);
    } else if (code > 0) {
      out.push(code);
      src++;
    } else {
      fail(`has the code ${code}: dimensions must be positive or one of 0, -1, -2, -3, -4`);
    }
  }
  if (inferAt >= 0) {
    const known = sizeOf(out);
    if (known === 0 || sizeOf(input) % known !== 0) fail(`cannot infer the -1: ${sizeOf(input)} elements are not a multiple of ${known}`);
    out[inferAt] = sizeOf(input) / known;
  }
  if (reverse) out.reverse();
  if (sizeOf(out) !== sizeOf(input)) fail(`gives [${out.join(',')}] with ${sizeOf(out)} elements, but the input has ${sizeOf(input)}`);
  return out;
}

/** The deprecated target_shape form: one 0 is inferred; keep_highest keeps input dim 0. */
function legacyTarget(p: ReshapeParams, input: Shape, site: ShapeSite): Shape {
  const out = p.target_shape.slice();
  if (p.keep_highest) out[0] = input[0]!;
  const zeros = out.flatMap((d, i) => (d === 0 && (i > 0 || !p.keep_highest) ? [i] : []));
  if (zeros.length > 1) site.fail('target_shape', `(${p.target_shape.join(',')}) has more than one 0 to infer`);
  if (zeros.length === 1) {
    out[zeros[0]!] = 1;
    out[zeros[0]!] = sizeOf(input) / sizeOf(out);
  }
  if (sizeOf(out) !== sizeOf(input) || !out.every(Number.isInteger)) {
    site.fail('target_shape', `(${p.target_shape.join(',')}) does not fit input ${shapeToString(input)} (${sizeOf(input)} elements)`);
  }
  return out;
}

export const reshapeOp = defineOp({
  name: 'Reshape',
  aliases: ['reshape'],
  doc: [
    'out = data with a new shape (same values, row-major). Codes in shape: 0 copies the input dim; -1 infers one dim;',
    '-2 copies all remaining dims; -3 merges the next two input dims; -4 splits one input dim into the two values after it',
    '(one may be -1). reverse matches codes from the right. dx = g reshaped back.',
  ].join('\n'),
  params: RESHAPE_PARAMS,
  inputs: () => ['data'],
  outputs: () => ['output'],
  inferShape: (p, [data], _outputs, site) => {
    if (!data) return { inputs: [null], outputs: [null] };
    if (p.shape.length === 0 && p.target_shape.length === 0) site.fail('shape', 'is required (give shape, or the deprecated target_shape)');
    const out = p.shape.length > 0 ? reshapeTarget(p.shape, data, p.reverse, site) : legacyTarget(p, data, site);
    return { inputs: [data], outputs: [out] };
  },
  ...viewCompute,
});

export const flattenOp = defineOp({
  name: 'Flatten',
  aliases: ['flatten'],
  doc: 'out = data reshaped to (d0, d1*d2*...); dx = g reshaped back.',
  params: {},
  inputs: () => ['data'],
  outputs: () => ['output'],
  inferShape: (_p, [data], _outputs, site) => {
    if (!data) return { inputs: [null], outputs: [null] };
    if (data.length === 0) site.fail('data', 'needs at least 1 axis to flatten, got a 0-d shape []');
    return { inputs: [data], outputs: [[data[0]!, sizeOf(data.slice(1))]] };
  },
  ...viewCompute,
});

export const expandDimsOp = defineOp({
  name: 'expand_dims',
  doc: 'out = data with a new axis of size 1 inserted at position axis (in [-ndim-1, ndim]); dx = g reshaped back.',
  params: { axis: int({ doc: 'position of the new axis; negative counts from the end of the output (required)' }) },
  inputs: () => ['data'],
  outputs: () => ['output'],
  inferShape: (p, [data], _outputs, site) => {
    if (!data) return { inputs: [null], outputs: [null] };
    const at = p.axis < 0 ? p.axis + data.length + 1 : p.axis;
    if (at < 0 || at > data.length) site.fail('axis', `${p.axis} is out of range for ${data.length}-d input (allowed: ${-data.length - 1} to ${data.length})`);
    return { inputs: [data], outputs: [[...data.slice(0, at), 1, ...data.slice(at)]] };
  },
  ...viewCompute,
});
