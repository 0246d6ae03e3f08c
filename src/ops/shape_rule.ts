/**
 * Runs an op's shape rule and checks it against what is already known: the one place where a
 * known shape that disagrees with the rule becomes an error naming op, node and argument.
 */
import { ShapeError } from '../base/errors';
import { shapeToString, shapesEqual } from '../base/shape';
import type { AnyOpDef, MaybeShape, ShapeSite } from './types';

export function shapeSite(op: string, node: string): ShapeSite {
  return {
    op,
    node,
    fail(argument, problem, expected, actual): never {
      throw new ShapeError({ op, node, argument, expected, actual }, problem);
    },
  };
}

export interface ShapeRuleResult {
  inputs: MaybeShape[];
  outputs: MaybeShape[];
  changed: boolean;
}

function merge(known: MaybeShape, inferred: MaybeShape, site: ShapeSite, argument: string): { shape: MaybeShape; changed: boolean } {
  if (!inferred) return { shape: known, changed: false };
  if (!known) return { shape: inferred, changed: true };
  if (!shapesEqual(known, inferred)) {
    site.fail(argument, `shape ${shapeToString(known)} does not match the inferred shape ${shapeToString(inferred)}`, inferred, known);
  }
  return { shape: known, changed: false };
}

export function applyShapeRule(
  def: AnyOpDef,
  params: unknown,
  inputs: readonly MaybeShape[],
  outputs: readonly MaybeShape[],
  site: ShapeSite,
): ShapeRuleResult {
  const inputNames = def.inputs(params);
  const outputNames = def.outputs(params);
  const inferred = def.inferShape(params, inputs, outputs, site);
  let changed = false;
  const mergedInputs = inputs.map((known, i) => {
    const m = merge(known, inferred.inputs[i] ?? null, site, inputNames[i] ?? `input ${i}`);
    changed ||= m.changed;
    return m.shape;
  });
  const mergedOutputs = outputs.map((known, i) => {
    const m = merge(known, inferred.outputs[i] ?? null, site, outputNames[i] ?? `output ${i}`);
    changed ||= m.changed;
    return m.shape;
  });
  return { inputs: mergedInputs, outputs: mergedOutputs, changed };
}
