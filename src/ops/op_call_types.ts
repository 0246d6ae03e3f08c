/**
 * The TypeScript signatures of `mx.sym.X(...)` and `mx.nd.X(...)`. What each op takes (its
 * parameters, input names, whether a parameter is required) is generated from the registry into
 * ./generated/op_types.ts by scripts/gen_op_types.ts; this file says how a call is made of them.
 * Types only: the front ends call `applyOp` / `invoke` whatever the types say.
 */
import type { NDArray } from '../ndarray/ndarray';
import type { Symbol } from '../symbol/symbol';
import type { OpSignatures } from './generated/op_types';

/** An integer, or the string MXNet's JSON stores (`'8'`). */
export type IntParam = number | string;
/** A number, or the string MXNet's JSON stores (`'0.5'`, `'1e-05'`). */
export type FloatParam = number | string;
/** `true`/`false`, `0`/`1`, or the string MXNet's JSON stores (`'True'`, `'False'`). */
export type BoolParam = boolean | 0 | 1 | string;
/** A tuple such as a kernel size: `[3, 3]`, one integer, or the JSON string `'(3, 3)'`. */
export type IntTupleParam = readonly number[] | number | string;
/** A tuple of floats: `[0.5, 1]`, one number, or the JSON string `'(0.5, 1.0)'`. */
export type FloatTupleParam = readonly number[] | number | string;
/** A tuple whose items may be None (slice's begin/end/step): `[null, 1]` or `'(None, 1)'`. */
export type OptionalIntTupleParam = readonly (number | null)[] | number | string;

/** What the generated file says about one op name. */
export interface OpSignature {
  /** The parameter interface; properties with a default are optional. */
  readonly params: object;
  /** Input names a call may give by name (`arg${number}` for variadic ops). */
  readonly inputs: string;
  /** Whether some parameter has no default, so that the trailing object cannot be left out. */
  readonly paramsRequired: boolean;
  /** Whether the mx.nd call returns a list of arrays. */
  readonly multiOutput: boolean;
}

/**
 * Options of every `mx.sym` op call besides its parameters: the node name, attributes, MXNet's
 * hidden attribute words (stored as `__lr_mult__`...) and any `__x__` attribute.
 */
export interface SymCallOptions {
  readonly name?: string | undefined;
  readonly attr?: Readonly<Record<string, string>> | undefined;
  readonly ctx_group?: string | undefined;
  readonly lr_mult?: FloatParam | undefined;
  readonly wd_mult?: FloatParam | undefined;
  readonly force_mirroring?: BoolParam | undefined;
  readonly mirror_stage?: BoolParam | undefined;
  readonly [hidden: `__${string}__`]: unknown;
}

/** Options of every `mx.nd` op call besides its parameters. */
export interface NdCallOptions {
  readonly name?: string | undefined;
  /** Writes the (single) result into this array and returns it. */
  readonly out?: NDArray | undefined;
}

type SymInput = Symbol | readonly Symbol[];
type NdInput = NDArray | readonly NDArray[];

/** The trailing object of an `mx.sym` call: parameters, inputs by name, call options. */
export type SymOptions<S extends OpSignature> = S['params'] & { readonly [K in S['inputs']]?: Symbol | undefined } & SymCallOptions;
/** The trailing object of an `mx.nd` call: parameters, inputs by name, call options. */
export type NdOptions<S extends OpSignature> = S['params'] & { readonly [K in S['inputs']]?: NDArray | undefined } & NdCallOptions;

/**
 * `mx.sym.X`: inputs positionally (Symbols or lists of them), then one trailing object with the
 * parameters, inputs by name, `name` and `attr`. Inputs left out become variables.
 */
export interface SymOpWithParams<S extends OpSignature> {
  (...args: [...inputs: SymInput[], options: SymOptions<S>]): Symbol;
}

/**
 * An op whose parameters all have defaults may also be called with inputs only. Two overloads
 * rather than one union of argument lists: an editor then completes the trailing object from
 * the parameters alone, not from the Symbol an input could also be.
 */
export interface SymOpWithOptionalParams<S extends OpSignature> extends SymOpWithParams<S> {
  (...inputs: SymInput[]): Symbol;
}

export type SymOpFn<S extends OpSignature> = S['paramsRequired'] extends true ? SymOpWithParams<S> : SymOpWithOptionalParams<S>;

type NdResult<S extends OpSignature> = S['multiOutput'] extends true ? NDArray[] : NDArray;

/**
 * `mx.nd.X`: as `mx.sym.X` with NDArrays; multi-output ops return a list. Which inputs mx.nd
 * needs depends on the parameters (`no_bias`) and on how many are given positionally, so their
 * presence is checked at run time (a BindError naming the input).
 */
export interface NdOpWithParams<S extends OpSignature> {
  (...args: [...inputs: NdInput[], options: NdOptions<S>]): NdResult<S>;
}

export interface NdOpWithOptionalParams<S extends OpSignature> extends NdOpWithParams<S> {
  (...inputs: NdInput[]): NdResult<S>;
}

export type NdOpFn<S extends OpSignature> = S['paramsRequired'] extends true ? NdOpWithParams<S> : NdOpWithOptionalParams<S>;

/** One typed function per registered name (aliases included), as `mx.sym` holds them. */
export type SymOps = { readonly [K in keyof OpSignatures]: SymOpFn<OpSignatures[K]> };
/** One typed function per registered name (aliases included), as `mx.nd` holds them. */
export type NdOps = { readonly [K in keyof OpSignatures]: NdOpFn<OpSignatures[K]> };

/** The parameters of op `K`, as `mx.sym.K` / `mx.nd.K` take them (`OpParams<'Convolution'>`). */
export type OpParams<K extends keyof OpSignatures> = OpSignatures[K]['params'];
