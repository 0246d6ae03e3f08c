/** Initializers that delegate: Mixed (by name pattern) and Load (from saved parameters). */
import { ShapeError, ValueError } from '../base/errors';
import { shapeToString, shapesEqual } from '../base/shape';
import type { NDArray } from '../ndarray/ndarray';
import { InitDesc, Initializer } from './initializer';

const nameOf = (desc: string | InitDesc) => (typeof desc === 'string' ? desc : desc.name);

/**
 * The first initializer whose pattern matches the start of the name (Python `re.match`), e.g.
 * `new Mixed(['bias', '.*'], [new Zero(), new Uniform(0.1)])`.
 */
export class Mixed extends Initializer {
  private readonly rules: [RegExp, Initializer][];

  constructor(patterns: readonly string[], initializers: readonly Initializer[]) {
    super();
    if (patterns.length !== initializers.length) {
      throw new ValueError({ op: 'Mixed', argument: 'initializers' }, `has ${initializers.length} entries for ${patterns.length} patterns`);
    }
    this.rules = patterns.map((p, i) => {
      let re: RegExp;
      try {
        re = new RegExp(`^(?:${p})`);
      } catch {
        throw new ValueError({ op: 'Mixed', argument: 'patterns' }, `'${p}' is not a valid regular expression`);
      }
      return [re, initializers[i]!];
    });
  }

  get registryName(): string {
    return 'mixed';
  }

  override dumps(): string {
    throw new ValueError({ op: 'Mixed', argument: 'dumps' }, 'is not available: Mixed has no JSON form in MXNet');
  }

  override initialize(desc: string | InitDesc, arr: NDArray): void {
    const name = nameOf(desc);
    const rule = this.rules.find(([re]) => re.test(name));
    if (!rule) throw new ValueError({ op: 'Mixed', argument: name }, 'did not match any pattern: add a final ".*" pattern with a default initializer');
    rule[1].initialize(desc, arr);
  }

  initWeight(name: string, arr: NDArray): void {
    this.initialize(name, arr);
  }
}

/**
 * Parameters from a record (keys may carry MXNet's `arg:` / `aux:` prefixes); names not found go
 * to `defaultInit`, and are an error without one.
 */
export class Load extends Initializer {
  readonly params: Readonly<Record<string, NDArray>>;
  private readonly defaultInit: Initializer | null;

  constructor(params: Readonly<Record<string, NDArray>>, defaultInit: Initializer | null = null) {
    super();
    const stripped: Record<string, NDArray> = {};
    for (const [key, value] of Object.entries(params)) stripped[key.startsWith('arg:') || key.startsWith('aux:') ? key.slice(4) : key] = value;
    this.params = stripped;
    this.defaultInit = defaultInit;
  }

  get registryName(): string {
    return 'load';
  }

  override dumps(): string {
    throw new ValueError({ op: 'Load', argument: 'dumps' }, 'is not available: Load has no JSON form in MXNet');
  }

  override initialize(desc: string | InitDesc, arr: NDArray): void {
    const name = nameOf(desc);
    const saved = this.params[name];
    if (saved) {
      if (!shapesEqual(saved.shape, arr.shape)) {
        throw new ShapeError({ op: 'Load', argument: name, expected: arr.shape, actual: saved.shape }, `cannot be initialized from loading: shape mismatch, target ${shapeToString(arr.shape)} vs loaded ${shapeToString(saved.shape)}`);
      }
      arr.data.set(saved.data);
      return;
    }
    if (!this.defaultInit) throw new ValueError({ op: 'Load', argument: name }, 'is not among the loaded parameters and no default initializer was given');
    this.defaultInit.initialize(desc, arr);
  }

  initWeight(name: string, arr: NDArray): void {
    this.initialize(name, arr);
  }
}
