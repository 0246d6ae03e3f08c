/**
 * Operator parameter schemas. Each spec knows its default, its range, and how to read both the
 * TypeScript value a user passes and the string MXNet's JSON stores (`"1.0"`, `"True"`, `"(3, 3)"`).
 */
import { didYouMean, ErrorSite, ParamError } from '../base/errors';
import { describe } from '../base/shape';

interface SpecBase<T> {
  readonly doc: string;
  /** `undefined` marks a required parameter. */
  readonly default: T | undefined;
  readonly parse: (raw: unknown, site: ErrorSite) => T;
}

export type ParamSpec<T = unknown> = SpecBase<T>;
export type ParamSchema = Readonly<Record<string, ParamSpec>>;
export type ParamsOf<S extends ParamSchema> = { readonly [K in keyof S]: S[K] extends ParamSpec<infer T> ? T : never };

const TRUE_STRINGS = new Set(['true', 'True', '1']);
const FALSE_STRINGS = new Set(['false', 'False', '0']);

function readNumber(raw: unknown, site: ErrorSite, what: string): number {
  let value: number;
  if (typeof raw === 'number') value = raw;
  else if (typeof raw === 'string' && raw.trim() !== '' && !Number.isNaN(Number(raw.trim()))) value = Number(raw.trim());
  else throw new ParamError({ ...site, actual: raw }, `must be ${what}, got ${describe(raw)}`);
  if (!Number.isFinite(value)) throw new ParamError({ ...site, actual: raw }, `must be a finite number, got ${raw}`);
  return value;
}

function checkRange(value: number, site: ErrorSite, min: number | undefined, max: number | undefined): number {
  if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
    const range = `[${min ?? '-inf'}, ${max ?? 'inf'}]`;
    throw new ParamError({ ...site, actual: value, expected: range }, `must be in ${range}, got ${value}`);
  }
  return value;
}

interface NumberOptions<D> {
  doc: string;
  default?: D;
  min?: number;
  max?: number;
}

export function float(options: NumberOptions<number>): ParamSpec<number> {
  return {
    doc: options.doc,
    default: options.default,
    parse: (raw, site) => checkRange(readNumber(raw, site, 'a number'), site, options.min, options.max),
  };
}

export function int(options: NumberOptions<number>): ParamSpec<number> {
  return {
    doc: options.doc,
    default: options.default,
    parse: (raw, site) => {
      const value = readNumber(raw, site, 'an integer');
      if (!Number.isInteger(value)) throw new ParamError({ ...site, actual: raw }, `must be an integer, got ${raw}`);
      return checkRange(value, site, options.min, options.max);
    },
  };
}

export function bool(options: { doc: string; default: boolean }): ParamSpec<boolean> {
  return {
    doc: options.doc,
    default: options.default,
    parse: (raw, site) => {
      if (typeof raw === 'boolean') return raw;
      if (raw === 1 || raw === 0) return raw === 1;
      if (typeof raw === 'string' && TRUE_STRINGS.has(raw.trim())) return true;
      if (typeof raw === 'string' && FALSE_STRINGS.has(raw.trim())) return false;
      throw new ParamError({ ...site, actual: raw }, `must be a boolean (true/false or 'True'/'False'), got ${describe(raw)}`);
    },
  };
}

export function enumOf<const V extends string>(options: { doc: string; values: readonly V[]; default?: V }): ParamSpec<V> {
  return {
    doc: options.doc,
    default: options.default,
    parse: (raw, site) => {
      if (typeof raw === 'string' && (options.values as readonly string[]).includes(raw)) return raw as V;
      const hint = typeof raw === 'string' ? didYouMean(raw, options.values) : '';
      throw new ParamError(
        { ...site, actual: raw, expected: options.values },
        `must be one of ${options.values.map((v) => `'${v}'`).join(', ')}, got ${describe(raw)}${hint}`,
      );
    },
  };
}

/** A tuple of integers such as a kernel size: `[3, 3]`, `"(3, 3)"`, `"[3,3]"`, or a single integer. */
export function intTuple(options: { doc: string; default?: readonly number[]; min?: number }): ParamSpec<readonly number[]> {
  return {
    doc: options.doc,
    default: options.default,
    parse: (raw, site) => {
      let items: unknown[];
      if (Array.isArray(raw)) items = raw;
      else if (typeof raw === 'number') items = [raw];
      // Brackets must pair up, as MXNet's tuple parser requires: '(3,3' is refused.
      else if (typeof raw === 'string' && /^\s*(?:\([\s\d,+-]*\)|\[[\s\d,+-]*\]|[\s\d,+-]*)\s*$/.test(raw)) {
        items = raw.replace(/[()[\]\s]/g, '').split(',').filter((s) => s !== '');
      } else throw new ParamError({ ...site, actual: raw }, `must be a tuple of integers such as (3, 3), got ${describe(raw)}`);
      return Object.freeze(items.map((item) => {
        const value = readNumber(item, site, 'a tuple of integers');
        if (!Number.isInteger(value)) throw new ParamError({ ...site, actual: raw }, `must hold integers, got ${describe(raw)}`);
        return checkRange(value, site, options.min, undefined);
      }));
    },
  };
}

/** A parameter whose value may be `None` (MXNet's `dmlc::optional`). */
export function optional<T>(spec: ParamSpec<T>): ParamSpec<T | null> {
  return {
    doc: spec.doc,
    default: spec.default ?? null,
    parse: (raw, site) => (raw === null || raw === 'None' ? null : spec.parse(raw, site)),
  };
}

export function string(options: { doc: string; default?: string }): ParamSpec<string> {
  return {
    doc: options.doc,
    default: options.default,
    parse: (raw, site) => {
      if (typeof raw !== 'string') throw new ParamError({ ...site, actual: raw }, `must be a string, got ${describe(raw)}`);
      return raw;
    },
  };
}

/**
 * Reads user-given parameters against a schema: unknown names get a "did you mean", missing
 * required ones an error; the result holds every parameter, defaults filled in, frozen.
 */
export function parseParams<S extends ParamSchema>(
  schema: S,
  given: Readonly<Record<string, unknown>>,
  site: ErrorSite,
): ParamsOf<S> {
  const known = Object.keys(schema);
  for (const key of Object.keys(given)) {
    if (!Object.prototype.hasOwnProperty.call(schema, key)) {
      const list = known.length ? `; its parameters are ${known.join(', ')}` : '; it takes no parameters';
      throw new ParamError({ ...site, argument: key }, `is not a parameter of ${site.op}${didYouMean(key, known)}${list}`);
    }
  }
  const params: Record<string, unknown> = {};
  for (const key of known) {
    const spec = schema[key]!;
    if (Object.prototype.hasOwnProperty.call(given, key) && given[key] !== undefined) {
      params[key] = spec.parse(given[key], { ...site, argument: key });
    } else if (spec.default !== undefined) {
      params[key] = spec.default;
    } else {
      throw new ParamError({ ...site, argument: key }, `is required (${spec.doc})`);
    }
  }
  return Object.freeze(params) as ParamsOf<S>;
}
