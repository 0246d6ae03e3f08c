/** Axis checks for shape rules, with errors of the form `<Op> '<node>': <argument> <n> is out of range ...`. */
import type { ShapeSite } from '../types';

/** Resolves a possibly negative axis of an ndim input, failing at `site` when out of range. */
export function checkedAxis(axis: number, ndim: number, site: ShapeSite, argument = 'axis'): number {
  const resolved = axis < 0 ? axis + ndim : axis;
  if (resolved < 0 || resolved >= ndim) site.fail(argument, `${axis} is out of range for ${ndim}-d input (allowed: ${-ndim} to ${ndim - 1})`, ndim, axis);
  return resolved;
}

/** The same resolution for kernels, where shape inference has already checked the axis. */
export function resolvedAxis(axis: number, ndim: number): number {
  return axis < 0 ? axis + ndim : axis;
}
