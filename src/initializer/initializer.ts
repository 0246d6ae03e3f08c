/**
 * Initializers (MXNet `python/mxnet/initializer.py`). An initializer fills one parameter array,
 * choosing by the parameter's name unless the variable carries an `__init__` attribute:
 * names ending in `bias`, `beta`, `moving_mean`, `moving_inv_var`, `moving_avg`, `min` are
 * zero; `gamma`, `moving_var`, `max` are one; `weight` gets the initializer's own rule.
 */
import { ValueError, didYouMean } from '../base/errors';
import { fillNormal, fillUniform } from '../base/random';
import { pyNumberStr } from '../base/pystr';
import type { NDArray } from '../ndarray/ndarray';

/** A parameter to initialize: its name and its variable's attributes (`__init__`, ...). */
export interface InitDesc {
  readonly name: string;
  readonly attrs?: Readonly<Record<string, string>>;
}

type KwargValue = number | string | boolean;

/** Python's `json.dumps([name, kwargs])` text: `["xavier", {"rnd_type": "uniform", "magnitude": 3}]`. */
function pyJsonDumps(name: string, kwargs: Readonly<Record<string, KwargValue>>): string {
  const value = (v: KwargValue) => (typeof v === 'number' ? pyNumberStr(v) : typeof v === 'boolean' ? String(v) : JSON.stringify(v));
  const items = Object.entries(kwargs).map(([k, v]) => `${JSON.stringify(k)}: ${value(v)}`);
  return `[${JSON.stringify(name)}, {${items.join(', ')}}]`;
}

/** Name suffix -> fill rule, in MXNet's order of checks. */
const NAME_RULES: readonly [string, 'zero' | 'one' | 'weight'][] = [
  ['bias', 'zero'],
  ['gamma', 'one'],
  ['beta', 'zero'],
  ['weight', 'weight'],
  ['moving_mean', 'zero'],
  ['moving_var', 'one'],
  ['moving_inv_var', 'zero'],
  ['moving_avg', 'zero'],
  ['min', 'zero'],
  ['max', 'one'],
];

/**
 * The base of parameter initializers (MXNet's `mx.init.Initializer`): called with a parameter's
 * name and array, it fills weights, biases, gammas, betas and moving statistics by MXNet's naming
 * rules (`*_bias` and `*_beta` to 0, `*_gamma` and `*_moving_var` to 1, weights by the subclass).
 *
 * @example
 * ```ts
 * mod.initParams({ initializer: new mx.init.Xavier({ magnitude: 2 }) });
 * ```
 */
export abstract class Initializer {
  /** The constructor arguments as MXNet records them (for `dumps`). */
  protected readonly kwargs: Readonly<Record<string, KwargValue>>;

  constructor(kwargs: Readonly<Record<string, KwargValue>> = {}) {
    this.kwargs = kwargs;
  }

  /** MXNet's registry name (lower-cased class name). */
  abstract get registryName(): string;

  /** The JSON form MXNet stores in `__init__`: `["uniform", {"scale": 0.07}]`. */
  dumps(): string {
    return pyJsonDumps(this.registryName, this.kwargs);
  }

  /**
   * Fills `arr` for the parameter `desc`. A desc whose attrs hold `__init__` is filled by that
   * initializer's weight rule; otherwise the name decides (see the module comment).
   */
  initialize(desc: string | InitDesc, arr: NDArray): void {
    const name = typeof desc === 'string' ? desc : desc.name;
    const own = typeof desc === 'string' ? undefined : desc.attrs?.['__init__'];
    if (own) {
      create(own).initWeight(name, arr);
      return;
    }
    const rule = NAME_RULES.find(([suffix]) => name.endsWith(suffix))?.[1];
    switch (rule) {
      case 'zero':
        arr.data.fill(0);
        return;
      case 'one':
        arr.data.fill(1);
        return;
      case 'weight':
        this.initWeight(name, arr);
        return;
      case undefined:
        throw new ValueError(
          { op: 'Initializer', argument: name },
          'has an unknown initialization pattern: default initialization covers names ending in weight, bias, gamma (1), beta (0) and moving statistics; give the variable its own init (sym.Variable(name, {init}))',
        );
      default: {
        const never: never = rule;
        throw new Error(`unreachable ${String(never)}`);
      }
    }
  }

  /** The rule for weights (and for any array when named by a variable's `__init__`). */
  abstract initWeight(name: string, arr: NDArray): void;

  toString(): string {
    return this.dumps();
  }
}

/** Fills every parameter with 0 (MXNet's `mx.init.Zero`). */
export class Zero extends Initializer {
  get registryName(): string {
    return 'zero';
  }
  initWeight(_name: string, arr: NDArray): void {
    arr.data.fill(0);
  }
}

/** Fills every parameter with 1 (MXNet's `mx.init.One`). */
export class One extends Initializer {
  get registryName(): string {
    return 'one';
  }
  initWeight(_name: string, arr: NDArray): void {
    arr.data.fill(1);
  }
}

/** Fills every parameter with one value (MXNet's `mx.init.Constant`): `new mx.init.Constant(0.5)`. */
export class Constant extends Initializer {
  readonly value: number;
  constructor(value: number) {
    if (typeof value !== 'number' || Number.isNaN(value)) throw new ValueError({ op: 'Constant', argument: 'value' }, `must be a number, got ${String(value)}`);
    super({ value });
    this.value = value;
  }
  get registryName(): string {
    return 'constant';
  }
  initWeight(_name: string, arr: NDArray): void {
    arr.data.fill(this.value);
  }
}

function checkPositive(op: string, argument: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new ValueError({ op, argument }, `must be a finite non-negative number, got ${String(value)}`);
  return value;
}

/** Weights uniform in [-scale, scale) (default 0.07). */
export class Uniform extends Initializer {
  readonly scale: number;
  constructor(scale = 0.07) {
    super({ scale: checkPositive('Uniform', 'scale', scale) });
    this.scale = scale;
  }
  get registryName(): string {
    return 'uniform';
  }
  initWeight(_name: string, arr: NDArray): void {
    fillUniform(arr.data, -this.scale, this.scale);
  }
}

/** Weights normal with mean 0 and standard deviation sigma (default 0.01). */
export class Normal extends Initializer {
  readonly sigma: number;
  constructor(sigma = 0.01) {
    super({ sigma: checkPositive('Normal', 'sigma', sigma) });
    this.sigma = sigma;
  }
  get registryName(): string {
    return 'normal';
  }
  initWeight(_name: string, arr: NDArray): void {
    fillNormal(arr.data, 0, this.sigma);
  }
}

/** Xavier's distribution: uniform in [-scale, scale] or Gaussian with standard deviation scale. */
export type XavierRndType = 'uniform' | 'gaussian';
/** Which fan Xavier's scale divides by: the mean of fan-in and fan-out, fan-in, or fan-out. */
export type XavierFactorType = 'avg' | 'in' | 'out';

/** Options of `Xavier`: MXNet's `rnd_type`, `factor_type` and `magnitude`, in camelCase. */
export interface XavierOptions {
  rndType?: XavierRndType;
  factorType?: XavierFactorType;
  magnitude?: number;
}

/**
 * Xavier/Glorot: scale = sqrt(magnitude / factor) with fan_in = shape[1]·prod(shape[2:]),
 * fan_out = shape[0]·prod(shape[2:]) and factor their average, fan_in or fan_out; weights
 * uniform in [-scale, scale) or normal(0, scale).
 *
 * @example
 * ```ts
 * new mx.init.Xavier({ rndType: 'gaussian', factorType: 'in', magnitude: 2 });
 * ```
 */
export class Xavier extends Initializer {
  readonly rndType: XavierRndType;
  readonly factorType: XavierFactorType;
  readonly magnitude: number;

  constructor(options: XavierOptions = {}, kwargs?: Readonly<Record<string, KwargValue>>) {
    const rndType = options.rndType ?? 'uniform';
    const factorType = options.factorType ?? 'avg';
    const magnitude = options.magnitude ?? 3;
    if (rndType !== 'uniform' && rndType !== 'gaussian') throw new ValueError({ op: 'Xavier', argument: 'rndType' }, `must be 'uniform' or 'gaussian', got ${String(rndType)}`);
    if (factorType !== 'avg' && factorType !== 'in' && factorType !== 'out') throw new ValueError({ op: 'Xavier', argument: 'factorType' }, `must be 'avg', 'in' or 'out', got ${String(factorType)}`);
    checkPositive('Xavier', 'magnitude', magnitude);
    super(kwargs ?? { rnd_type: rndType, factor_type: factorType, magnitude });
    this.rndType = rndType;
    this.factorType = factorType;
    this.magnitude = magnitude;
  }

  get registryName(): string {
    return 'xavier';
  }

  /** The bound (uniform) or standard deviation (gaussian) for an array of this shape. */
  scaleFor(name: string, shape: readonly number[]): number {
    if (shape.length < 2) throw new ValueError({ op: 'Xavier', argument: name }, `cannot be initialized: Xavier needs at least 2 dimensions, got shape [${shape.join(',')}]`);
    const hw = shape.slice(2).reduce((a, b) => a * b, 1);
    const fanIn = shape[1]! * hw;
    const fanOut = shape[0]! * hw;
    const factor = this.factorType === 'avg' ? (fanIn + fanOut) / 2 : this.factorType === 'in' ? fanIn : fanOut;
    return Math.sqrt(this.magnitude / factor);
  }

  initWeight(name: string, arr: NDArray): void {
    const scale = this.scaleFor(name, arr.shape);
    if (this.rndType === 'uniform') fillUniform(arr.data, -scale, scale);
    else fillNormal(arr.data, 0, scale);
  }
}

/** He/MSRA for PReLU: Xavier gaussian with magnitude 2 / (1 + slope²). */
export class MSRAPrelu extends Xavier {
  readonly slope: number;
  constructor(options: { factorType?: XavierFactorType; slope?: number } = {}) {
    const factorType = options.factorType ?? 'avg';
    const slope = options.slope ?? 0.25;
    super({ rndType: 'gaussian', factorType, magnitude: 2 / (1 + slope * slope) }, { factor_type: factorType, slope });
    this.slope = slope;
  }
  override get registryName(): string {
    return 'msraprelu';
  }
}

type Factory = (kwargs: Readonly<Record<string, unknown>>) => Initializer;
const num = (v: unknown) => (v === undefined ? undefined : Number(v));

const REGISTRY: Readonly<Record<string, Factory>> = {
  zero: () => new Zero(),
  zeros: () => new Zero(),
  one: () => new One(),
  ones: () => new One(),
  constant: (k) => new Constant(Number(k['value'])),
  uniform: (k) => new Uniform(num(k['scale'])),
  normal: (k) => new Normal(num(k['sigma'])),
  xavier: (k) => {
    const options: XavierOptions = {};
    if (k['rnd_type'] !== undefined) options.rndType = k['rnd_type'] as XavierRndType;
    if (k['factor_type'] !== undefined) options.factorType = k['factor_type'] as XavierFactorType;
    if (k['magnitude'] !== undefined) options.magnitude = Number(k['magnitude']);
    return new Xavier(options);
  },
  msraprelu: (k) => {
    const options: { factorType?: XavierFactorType; slope?: number } = {};
    if (k['factor_type'] !== undefined) options.factorType = k['factor_type'] as XavierFactorType;
    if (k['slope'] !== undefined) options.slope = Number(k['slope']);
    return new MSRAPrelu(options);
  },
};

/** The names `create` accepts (`'xavier'`, `'uniform'`, ...). */
export const knownInitializers: readonly string[] = Object.keys(REGISTRY).sort();

/**
 * An initializer from an instance (returned as is), a registry name (`'xavier'`, `'zeros'`), or
 * MXNet's JSON form (`'["normal", {"sigma": 0.5}]'`, as `__init__` attributes hold).
 */
export function create(spec: string | Initializer): Initializer {
  if (spec instanceof Initializer) return spec;
  if (typeof spec !== 'string') throw new ValueError({ op: 'initializer.create', argument: 'init' }, 'must be an initializer, a name or its JSON form');
  let name = spec;
  let kwargs: Record<string, unknown> = {};
  if (spec.trim().startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(spec);
    } catch {
      parsed = undefined;
    }
    if (!Array.isArray(parsed) || typeof parsed[0] !== 'string' || (parsed[1] !== undefined && (typeof parsed[1] !== 'object' || parsed[1] === null))) {
      throw new ValueError({ op: 'initializer.create', argument: 'init', actual: spec }, `'${spec}' is not an initializer's JSON form ["name", {kwargs}]`);
    }
    name = parsed[0];
    kwargs = (parsed[1] ?? {}) as Record<string, unknown>;
  }
  const factory = REGISTRY[name.toLowerCase()];
  if (!factory) {
    throw new ValueError({ op: 'initializer.create', argument: 'init', actual: name }, `'${name}' is not a known initializer${didYouMean(name, knownInitializers)}; known initializers are ${knownInitializers.join(', ')}`);
  }
  return factory(kwargs);
}
