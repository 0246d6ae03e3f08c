/**
 * Symbol-level checks as in MXNet's test_utils: forward against expected outputs, backward against
 * expected gradients, and gradients against central differences of an objective.
 */
import { cpu } from '../base/context';
import { ValueError, listNames } from '../base/errors';
import { fillUniform } from '../base/random';
import type { GradReq } from '../executor/bind';
import type { Executor } from '../executor/executor';
import { NDArray } from '../ndarray/ndarray';
import { array } from '../ndarray/creation';
import type { Symbol } from '../symbol/symbol';
import { ArrayLikeValue, Tolerance, assertAlmostEqual } from './assert';
import { numericGradient } from './numeric';

/** Input values by argument name, or in `listArguments()` order (MXNet's `location`). */
export type Location = Readonly<Record<string, ArrayLikeValue>> | readonly ArrayLikeValue[];

/** Copies of the user's values by argument name, so checks never touch what the user gave. */
function toArrays(names: readonly string[], location: Location, what: string): Record<string, NDArray> {
  const out: Record<string, NDArray> = {};
  if (Array.isArray(location)) {
    if (location.length !== names.length) throw new ValueError({ op: 'testUtils', argument: what }, `has ${location.length} entries for ${names.length} names (${listNames(names)})`);
    names.forEach((name, i) => (out[name] = array(location[i] as ArrayLikeValue)));
    return out;
  }
  for (const name of names) {
    const value = (location as Record<string, ArrayLikeValue>)[name];
    if (value === undefined) throw new ValueError({ op: 'testUtils', argument: name }, `is missing from ${what}`);
    out[name] = array(value);
  }
  return out;
}

function bindFor(symbol: Symbol, location: Location, auxStates: Location | undefined, gradReq: GradReq | Record<string, GradReq>): Executor {
  const args = toArrays(symbol.listArguments(), location, 'location');
  const aux = auxStates ? toArrays(symbol.listAuxiliaryStates(), auxStates, 'auxStates') : undefined;
  return symbol.bind(cpu(), args, { gradReq, ...(aux ? { auxStates: aux } : {}) });
}

/** Tolerances plus the auxiliary states to bind for a check. */
export interface CheckOptions extends Tolerance {
  auxStates?: Location;
  isTrain?: boolean;
}

/**
 * Binds `symbol` to `location`, runs forward and asserts each output equals `expected` within
 * the tolerance (MXNet's `check_symbolic_forward`).
 *
 * @example
 * ```ts
 * const y = mx.sym.relu(mx.sym.Variable('x'));
 * mx.testUtils.checkSymbolicForward(y, { x: [[-1, 2]] }, [[[0, 2]]]);
 * ```
 */
export function checkSymbolicForward(symbol: Symbol, location: Location, expected: readonly ArrayLikeValue[], options: CheckOptions = {}): readonly NDArray[] {
  const exec = bindFor(symbol, location, options.auxStates, 'null');
  const outputs = exec.forward(options.isTrain ?? false);
  const names = symbol.listOutputs();
  if (expected.length !== outputs.length) throw new ValueError({ op: 'checkSymbolicForward', argument: 'expected' }, `has ${expected.length} arrays for ${outputs.length} outputs`);
  outputs.forEach((out, i) => assertAlmostEqual(out, expected[i]!, { ...options, names: [names[i]!, 'expected'] }));
  return outputs;
}

/**
 * Runs forward(train) and backward(outGrads) and compares gradients. With gradReq 'add' the
 * gradient arrays start from random values and must end at those values plus the gradient.
 *
 * @example
 * ```ts
 * const y = mx.sym.square(mx.sym.Variable('x'));
 * // d(sum(x^2 * g))/dx = 2 x g
 * mx.testUtils.checkSymbolicBackward(y, { x: [[1, 2]] }, [[[1, 1]]], { x: [[2, 4]] });
 * ```
 */
export function checkSymbolicBackward(
  symbol: Symbol,
  location: Location,
  outGrads: readonly ArrayLikeValue[] | undefined,
  expected: Readonly<Record<string, ArrayLikeValue>>,
  options: CheckOptions & { gradReq?: GradReq } = {},
): Record<string, NDArray> {
  const req = options.gradReq ?? 'write';
  const gradReq: Record<string, GradReq> = {};
  for (const name of Object.keys(expected)) gradReq[name] = req;
  const exec = bindFor(symbol, location, options.auxStates, gradReq);
  const initial: Record<string, Float32Array> = {};
  for (const [name, grad] of Object.entries(exec.gradDict)) {
    if (req === 'add') fillUniform(grad.data, -1, 1);
    initial[name] = grad.data.slice();
  }
  exec.forward(true);
  exec.backward(outGrads?.map((g) => array(g)));
  for (const [name, want] of Object.entries(expected)) {
    const wanted = array(want);
    if (req === 'add') wanted.data.forEach((v, i) => (wanted.data[i] = v + initial[name]![i]!));
    assertAlmostEqual(exec.gradDict[name]!, wanted, { ...options, names: [`gradient of ${name}`, 'expected'] });
  }
  return exec.gradDict;
}

/** Options of {@link checkNumericGradient}: tolerances, the finite-difference step and which arguments to check. */
export interface NumericGradientOptions extends CheckOptions {
  /** Step of the central differences (MXNet's numeric_eps). */
  numericEps?: number;
  /** Arguments to check (default: all). */
  gradNodes?: readonly string[];
  /**
   * The scalar whose gradient is checked, from the outputs (in float64). Default: a random
   * projection sum_i(p_i * out_i) whose head gradient is p. Loss heads ignore head gradients,
   * so pass the loss they imply (e.g. cross-entropy for SoftmaxOutput).
   */
  objective?: (outputs: readonly Float64Array[]) => number;
}

/**
 * Compares the executor's gradients with central differences of the objective (MXNet's check_numeric_gradient).
 *
 * @example
 * ```ts
 * const y = mx.sym.tanh(mx.sym.Variable('x'));
 * mx.testUtils.checkNumericGradient(y, { x: mx.nd.random.uniform(-1, 1, [3, 4]) }, { rtol: 1e-2, atol: 1e-3 });
 * ```
 */
export function checkNumericGradient(symbol: Symbol, location: Location, options: NumericGradientOptions = {}): void {
  const { numericEps = 1e-3, rtol = 1e-2, atol = 1e-3, isTrain = true } = options;
  const gradNodes = options.gradNodes ?? symbol.listArguments();
  const gradReq: Record<string, GradReq> = {};
  for (const name of gradNodes) gradReq[name] = 'write';
  const exec = bindFor(symbol, location, options.auxStates, gradReq);
  const projections = exec.outputs.map((out) => {
    const p = new Float32Array(out.size);
    fillUniform(p, 0, 1);
    return p;
  });
  const objective = options.objective ?? ((outs: readonly Float64Array[]) => outs.reduce((sum, out, i) => sum + out.reduce((s, v, k) => s + v * projections[i]![k]!, 0), 0));
  const evaluate = () => objective(exec.forward(isTrain).map((out) => Float64Array.from(out.data)));

  evaluate();
  // NaN in every gradient first: with gradReq 'write' a backward must overwrite all of it (the
  // memory plan hands gradients reused memory), so a kernel that skips elements cannot pass.
  for (const name of gradNodes) exec.gradDict[name]?.data.fill(NaN);
  exec.backward(options.objective ? undefined : exec.outputs.map((out, i) => new NDArray(projections[i]!, out.shape)));
  const analytic: Record<string, Float32Array> = {};
  for (const name of gradNodes) analytic[name] = exec.gradDict[name]!.data.slice();

  for (const name of gradNodes) {
    const target = exec.argDict[name]!;
    const start = Float64Array.from(target.data);
    const numeric = numericGradient((x) => {
      target.data.set(x);
      return evaluate();
    }, start, numericEps);
    target.data.set(start);
    assertAlmostEqual(analytic[name]!, numeric, { rtol, atol, names: [`symbolic gradient of ${name}`, 'numeric gradient'] });
  }
}
