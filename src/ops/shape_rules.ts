/** Shape rules shared by many ops. Each returns the completed shapes (null = still unknown). */
import { broadcastShapes, shapeToString, shapesEqual } from '../base/shape';
import type { InferredShapes, MaybeShape, ShapeSite } from './types';

/** Every input and output has one shape (element-wise ops); known ones fill the rest. */
export function sameShapeAll(inputNames: readonly string[]) {
  return (_params: unknown, inputs: readonly MaybeShape[], outputs: readonly MaybeShape[], site: ShapeSite): InferredShapes => {
    let reference: MaybeShape = null;
    let referenceName = '';
    const check = (shape: MaybeShape, name: string) => {
      if (!shape) return;
      if (!reference) {
        reference = shape;
        referenceName = name;
      } else if (!shapesEqual(reference, shape)) {
        site.fail(name, `shape ${shapeToString(shape)} does not match ${referenceName} ${shapeToString(reference)}`, reference, shape);
      }
    };
    inputs.forEach((shape, i) => check(shape, inputNames[i] ?? `input ${i}`));
    outputs.forEach((shape) => check(shape, 'output'));
    return { inputs: inputs.map(() => reference), outputs: outputs.map(() => reference) };
  };
}

/** Two inputs broadcast against each other; the output has the broadcast shape. */
export function broadcastRule(_params: unknown, inputs: readonly MaybeShape[], outputs: readonly MaybeShape[], site: ShapeSite): InferredShapes {
  const [lhs, rhs] = inputs;
  if (!lhs || !rhs) return { inputs, outputs };
  try {
    return { inputs, outputs: [broadcastShapes(lhs, rhs, site)] };
  } catch {
    return site.fail('rhs', `shape ${shapeToString(rhs)} cannot be broadcast with lhs ${shapeToString(lhs)}`, lhs, rhs);
  }
}
