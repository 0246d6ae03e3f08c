/**
 * `mx.nd.random` (MXNet `python/mxnet/ndarray/random.py`): number parameters draw from
 * `_random_X` (shape (1,) by default), NDArray parameters from `_sample_X`; plus `randn`,
 * `multinomial`, `shuffle`. Draws come from the seeded generator (`mx.random.seed`).
 */
import { BindError } from '../base/errors';
import { checkShape, shapeToString, type Shape } from '../base/shape';
import { FrontEnd, makeSampler, readCall, SamplerName } from '../ops/random/frontend';
import { zeros } from './creation';
import { invokeByName } from './invoke';
import { NDArray } from './ndarray';

/** A parameter, a shape, get_prob, or the trailing object of keyword arguments (`shape`, `dtype`, `out`...). */
export type RandomArg = number | boolean | NDArray | Shape | Readonly<Record<string, unknown>> | undefined;
export type NdSampler = (...args: RandomArg[]) => NDArray;

const ndFrontEnd: FrontEnd<NDArray> = {
  isInput: (value): value is NDArray => value instanceof NDArray,
  reciprocal: (value) => value.rdiv(1),
  defaultShape: [1],
  call: (op, inputs, { out, ...params }) => {
    // As MXNet's imperative call: with `out` and no shape, the draw takes the shape of `out`.
    const raw = params['shape'] ?? (inputs.length === 0 && out instanceof NDArray ? out.shape : undefined);
    let result: NDArray | NDArray[];
    if (inputs.length === 0 && raw !== undefined && typeof raw !== 'string') {
      const shape = checkShape(typeof raw === 'number' ? [raw] : raw, { op, argument: 'shape' });
      // A 0 dimension would mean "unknown" to the op; an imperative draw of nothing is an empty array.
      result = shape.includes(0) ? zeros(shape) : invokeByName(op, [], { ...params, shape });
    } else {
      result = invokeByName(op, [...inputs], params);
    }
    // `out` goes through NDArray.set (an NDArray in the options would read as an op input).
    if (out instanceof NDArray && result instanceof NDArray) {
      if (shapeToString(out.shape) !== shapeToString(result.shape)) {
        throw new BindError({ op, argument: 'out', expected: result.shape, actual: out.shape }, `shape ${shapeToString(out.shape)} does not match the result ${shapeToString(result.shape)}`);
      }
      out.set(result);
      return out;
    }
    return result;
  },
};

const sampler = (name: SamplerName) => makeSampler(name, ndFrontEnd) as NdSampler;

export const random = {
  /** uniform(low = 0, high = 1, shape?, {dtype, out}): [low, high). */
  uniform: sampler('uniform'),
  /** normal(loc = 0, scale = 1, shape?): mean loc, standard deviation scale. */
  normal: sampler('normal'),
  /** poisson(lam = 1, shape?). */
  poisson: sampler('poisson'),
  /** exponential(scale = 1, shape?): mean scale (the op's rate lam is 1/scale). */
  exponential: sampler('exponential'),
  /** gamma(alpha = 1, beta = 1, shape?): shape alpha, scale beta. */
  gamma: sampler('gamma'),
  /** negative_binomial(k = 1, p = 1, shape?). */
  negative_binomial: sampler('negative_binomial'),
  /** generalized_negative_binomial(mu = 1, alpha = 1, shape?). */
  generalized_negative_binomial: sampler('generalized_negative_binomial'),
  /** randint(low, high, shape?): integers in [low, high), stored as float32. */
  randint: sampler('randint'),
  /** randn(...shape, {loc, scale, dtype, out}): normal draws of the given dimensions. */
  randn(...args: (number | Readonly<Record<string, unknown>>)[]): NDArray {
    const last = args[args.length - 1];
    const options = typeof last === 'object' ? last : {};
    const shape = args.filter((a): a is number => typeof a === 'number');
    const { loc = 0, scale = 1, ...rest } = options as Record<string, unknown>;
    return random.normal(loc as number, scale as number, shape.length > 0 ? shape : undefined, rest);
  },
  /** multinomial(data, shape?, get_prob = false, {out, dtype = 'int32'}): category indices (and log-probabilities). */
  multinomial(data: NDArray, ...args: RandomArg[]): NDArray | NDArray[] {
    return ndFrontEnd.call('_sample_multinomial', [data], readCall('multinomial', ['shape', 'get_prob'], args)) as NDArray | NDArray[];
  },
  /** shuffle(data): the rows of data in a random order. */
  shuffle(data: NDArray): NDArray {
    return invokeByName('_shuffle', [data], {}) as NDArray;
  },
};
