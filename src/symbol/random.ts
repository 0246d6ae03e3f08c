/**
 * `mx.sym.random` (MXNet `python/mxnet/symbol/random.py`): number parameters make `_random_X`
 * nodes (shape left to inference unless given), Symbol parameters `_sample_X` nodes; plus `randn`,
 * `multinomial`, `shuffle`. Options `name` and `attr` name and annotate the node.
 */
import { FrontEnd, makeSampler, readCall, SamplerName } from '../ops/random/frontend';
import { getOp } from '../ops/registry';
import { applyOp } from './apply_op';
import { Symbol } from './symbol';

/** A parameter, a shape, get_prob, or the trailing object of keyword arguments (`shape`, `dtype`, `name`...). */
export type SymRandomArg = number | boolean | Symbol | readonly number[] | Readonly<Record<string, unknown>> | undefined;
export type SymSampler = (...args: SymRandomArg[]) => Symbol;

const symFrontEnd: FrontEnd<Symbol> = {
  isInput: (value): value is Symbol => value instanceof Symbol,
  reciprocal: (value) => value.rdiv(1),
  defaultShape: undefined,
  call: (op, inputs, params) => applyOp(getOp(op), op, [...inputs, params]),
};

const sampler = (name: SamplerName) => makeSampler(name, symFrontEnd) as SymSampler;

export const random = {
  uniform: sampler('uniform'),
  normal: sampler('normal'),
  poisson: sampler('poisson'),
  exponential: sampler('exponential'),
  gamma: sampler('gamma'),
  negative_binomial: sampler('negative_binomial'),
  generalized_negative_binomial: sampler('generalized_negative_binomial'),
  randint: sampler('randint'),
  /** randn(...shape, {loc, scale, dtype, name}). */
  randn(...args: (number | Readonly<Record<string, unknown>>)[]): Symbol {
    const last = args[args.length - 1];
    const options = typeof last === 'object' ? last : {};
    const shape = args.filter((a): a is number => typeof a === 'number');
    const { loc = 0, scale = 1, ...rest } = options as Record<string, unknown>;
    return random.normal(loc as number, scale as number, shape.length > 0 ? shape : undefined, rest);
  },
  /** multinomial(data, shape?, get_prob = false, {dtype = 'int32', name}). */
  multinomial(data: Symbol, ...args: SymRandomArg[]): Symbol {
    return applyOp(getOp('_sample_multinomial'), '_sample_multinomial', [data, readCall('multinomial', ['shape', 'get_prob'], args)]);
  },
  /** shuffle(data, {name}). */
  shuffle(data: Symbol, options: Readonly<Record<string, unknown>> = {}): Symbol {
    return applyOp(getOp('_shuffle'), '_shuffle', [data, options]);
  },
};
