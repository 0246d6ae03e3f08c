/** `mx.optimizer`: optimizers, the Updater, and `create(name, params)`. */
import { ValueError, didYouMean } from '../base/errors';
import { AdaGrad, Adam, RMSProp } from './adaptive';
import { Optimizer, Updater, getUpdater } from './optimizer';
import { NAG, SGD } from './sgd';

export { Optimizer, Updater, getUpdater, SGD, NAG, Adam, RMSProp, AdaGrad };
export type { OptimizerOptions, OptimizerState, ParamIndex } from './optimizer';

type Params = Readonly<Record<string, unknown>>;
type Entry = { make: (params: Params) => Optimizer; own: readonly string[] };
const REGISTRY: Readonly<Record<string, Entry>> = {
  sgd: { make: (p) => new SGD(p as ConstructorParameters<typeof SGD>[0]), own: ['momentum'] },
  nag: { make: (p) => new NAG(p as ConstructorParameters<typeof NAG>[0]), own: ['momentum'] },
  adam: { make: (p) => new Adam(p as ConstructorParameters<typeof Adam>[0]), own: ['beta1', 'beta2', 'epsilon'] },
  rmsprop: { make: (p) => new RMSProp(p as ConstructorParameters<typeof RMSProp>[0]), own: ['gamma1', 'gamma2', 'epsilon', 'centered', 'clipWeights'] },
  adagrad: { make: (p) => new AdaGrad(p as ConstructorParameters<typeof AdaGrad>[0]), own: ['eps'] },
};

/** The names `create` accepts (`'sgd'`, `'nag'`, `'adam'`, `'rmsprop'`, `'adagrad'`). */
export const knownOptimizers: readonly string[] = Object.keys(REGISTRY).sort();

const BASE_OPTIONS = ['learningRate', 'wd', 'rescaleGrad', 'clipGradient', 'lrScheduler', 'beginNumUpdate', 'paramIdx2Name', 'sym'];

const camel = (key: string) => (key === 'param_idx2name' ? 'paramIdx2Name' : key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()));

/**
 * An optimizer by name (case-insensitive) with its parameters, in camelCase or MXNet's
 * snake_case (`{learning_rate: 0.1, momentum: 0.9}`). An instance is returned as is.
 *
 * @example
 * ```ts
 * const adam = mx.optimizer.create('adam', { learning_rate: 1e-3, wd: 1e-4 });
 * ```
 */
export function create(name: string | Optimizer, params: Readonly<Record<string, unknown>> = {}): Optimizer {
  if (name instanceof Optimizer) return name;
  const factory = typeof name === 'string' ? REGISTRY[name.toLowerCase()] : undefined;
  if (factory === undefined) {
    const shown = String(name);
    throw new ValueError({ op: 'optimizer.create', argument: 'name', actual: name }, `'${shown}' is not a known optimizer${didYouMean(shown, knownOptimizers)}; known optimizers are ${knownOptimizers.join(', ')}`);
  }
  const allowed = [...BASE_OPTIONS, ...factory.own];
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params)) {
    const k = camel(key);
    if (!allowed.includes(k)) throw new ValueError({ op: 'optimizer.create', argument: key }, `is not a parameter of ${name}${didYouMean(k, allowed)}; it takes ${allowed.join(', ')}`);
    options[k] = value;
  }
  return factory.make(options);
}
