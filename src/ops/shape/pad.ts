/**
 * `Pad` (alias `pad`, MXNet `pad.cc` / `pad-inl.h`): pads the spatial axes of 4-d or 5-d data
 * (never batch or channel) with a constant, the edge values, or a reflection (numpy's `reflect`,
 * which does not repeat the edge). Each output index maps, axis by axis, to an input index (or to
 * the constant), so one table per axis drives both forward and the gradient, which adds every
 * padded position's gradient to the input value it copied.
 */
import { Shape, shapeToString, stridesOf } from '../../base/shape';
import { enumOf, float, intTuple } from '../params';
import { defineOp } from '../registry';
import type { ShapeSite } from '../types';
import { clearForAdd } from './common';

type PadMode = 'constant' | 'edge' | 'reflect';

function checkPad(mode: PadMode, width: readonly number[], data: Shape, site: ShapeSite): void {
  const given = `(${width.join(',')})`;
  if (data.length !== 4 && data.length !== 5) site.fail('data', `shape ${shapeToString(data)} is ${data.length}-d: Pad supports only 4-d and 5-d input`, '4 or 5 axes', data);
  if (width.length !== 2 * data.length) site.fail('pad_width', `${given} must give 2 entries per axis of the ${data.length}-d data (${2 * data.length})`, 2 * data.length, width.length);
  if (width.slice(0, 4).some((w) => w !== 0)) site.fail('pad_width', `${given} pads the batch or channel axis: its first four entries must be 0`);
  if (mode === 'reflect') {
    width.forEach((w, k) => {
      const size = data[k >> 1]!;
      if (w >= size) site.fail('pad_width', `${given} pads axis ${k >> 1} by ${w} in reflect mode, which needs padding smaller than the axis size ${size}`, `< ${size}`, w);
    });
  }
}

/** Per axis: the input index each output index copies, or -1 for the constant. */
function padTables(mode: PadMode, width: readonly number[], data: Shape): Int32Array[] {
  return data.map((size, axis) => {
    const before = width[2 * axis]!;
    const table = new Int32Array(before + size + width[2 * axis + 1]!);
    for (let o = 0; o < table.length; o++) {
      let i = o - before;
      if (i < 0 || i >= size) {
        if (mode === 'constant') i = -1;
        else if (mode === 'edge') i = i < 0 ? 0 : size - 1;
        else i = i < 0 ? -i : 2 * (size - 1) - i;
      }
      table[o] = i;
    }
    return table;
  });
}

export const padOp = defineOp({
  name: 'Pad',
  aliases: ['pad'],
  doc: 'out = data padded by pad_width (before/after per axis; spatial axes only) with constant_value, the edge value, or a reflection; dx = g at each input position plus, for edge/reflect, the gradients of the padded positions that copied it.',
  params: {
    mode: enumOf({ doc: 'constant, edge or reflect (required)', values: ['constant', 'edge', 'reflect'] as const }),
    pad_width: intTuple({ doc: 'before and after padding of every axis, (0,0,0,0, ...) for batch and channel (required)', min: 0 }),
    constant_value: float({ doc: 'the value of constant padding', default: 0 }),
  },
  inputs: () => ['data'],
  outputs: () => ['output'],
  inferShape: (p, [data], _outputs, site) => {
    if (!data) return { inputs: [null], outputs: [null] };
    checkPad(p.mode, p.pad_width, data, site);
    return { inputs: [data], outputs: [data.map((d, i) => d + p.pad_width[2 * i]! + p.pad_width[2 * i + 1]!)] };
  },
  // The input's strides and the per-axis tables, made once per node.
  createState: (p, [data]) => ({ strides: stridesOf(data!), tables: padTables(p.mode, p.pad_width, data!) }),
  forward: (p, [x], [out], [req], ctx) =>
    ctx.kernels.axisTableGather(x!.data, ctx.state.strides, ctx.state.tables, out!.data, out!.shape, p.constant_value, req!),
  backward: {
    usesOutGrads: true,
    compute: (_p, { outGrads: [g] }, [dx], [req], ctx) => {
      if (!dx || req === 'null') return;
      clearForAdd(dx, req!, ctx);
      ctx.kernels.axisTableScatterAdd(g!.data, g!.shape, ctx.state.tables, dx.data, ctx.state.strides);
    },
  },
});
