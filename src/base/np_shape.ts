/**
 * MXNet's two shape conventions (`mx.util.set_np_shape`). Legacy (the MXNet 1.x default): a 0
 * dimension in a shape given to shape inference means "unknown". NumPy semantics: 0 is a real
 * zero-size dimension and -1 means unknown.
 */

let npShapeActive = false;

/** Whether NumPy shape semantics are on (MXNet's `is_np_shape()`). */
export function isNpShape(): boolean {
  return npShapeActive;
}

/** Turns NumPy shape semantics on or off for the process; returns the previous state (as MXNet). */
export function setNpShape(active: boolean): boolean {
  if (typeof active !== 'boolean') throw new TypeError('setNpShape: active must be a boolean');
  const previous = npShapeActive;
  npShapeActive = active;
  return previous;
}

/** Runs `body` with NumPy shape semantics on (or off), restoring the previous state after (MXNet's `with np_shape(active):`). */
export function npShape<T>(active: boolean, body: () => T): T {
  const previous = setNpShape(active);
  try {
    return body();
  } finally {
    setNpShape(previous);
  }
}

/**
 * Whether a shape given to shape inference stands for "unknown" under the current convention: it
 * has a 0 dimension (legacy) or a -1 dimension (NumPy semantics). Such shapes are treated as not
 * given. mxts knows shapes whole or not at all, so the known dimensions of such a shape are unused.
 */
export function isUnknownShape(shape: unknown): boolean {
  if (!Array.isArray(shape)) return false;
  return npShapeActive ? shape.includes(-1) : shape.includes(0);
}
