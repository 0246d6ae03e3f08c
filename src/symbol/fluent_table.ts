/**
 * MXNet's fluent methods (python/mxnet/symbol/symbol.py and ndarray/ndarray.py, each
 * `def <name>(self, *args, **kwargs): return op.<op>(self, *args, **kwargs)`): MXNet's method
 * name and the op it calls. Symbol and NDArray both get one method per entry, under the camelCase
 * name and MXNet's snake_case name (see installFluent).
 */
export const FLUENT_METHODS = [
  ['reshape_like', 'reshape_like'], ['zeros_like', 'zeros_like'], ['ones_like', 'ones_like'],
  ['broadcast_axes', 'broadcast_axes'], ['repeat', 'repeat'], ['pad', 'pad'], ['swapaxes', 'swapaxes'],
  ['split', 'split'], ['slice', 'slice'], ['slice_axis', 'slice_axis'], ['slice_like', 'slice_like'],
  ['take', 'take'], ['one_hot', 'one_hot'], ['pick', 'pick'], ['sort', 'sort'], ['topk', 'topk'],
  ['argmax', 'argmax'], ['argmax_channel', 'argmax_channel'], ['argmin', 'argmin'], ['argsort', 'argsort'],
  ['clip', 'clip'], ['abs', 'abs'], ['sign', 'sign'], ['flatten', 'flatten'],
  ['shape_array', 'shape_array'], ['size_array', 'size_array'], ['expand_dims', 'expand_dims'],
  ['broadcast_to', 'broadcast_to'], ['broadcast_like', 'broadcast_like'], ['tile', 'tile'],
  ['transpose', 'transpose'], ['flip', 'flip'], ['depth_to_space', 'depth_to_space'],
  ['space_to_depth', 'space_to_depth'], ['diag', 'diag'], ['squeeze', 'squeeze'],
  ['sum', 'sum'], ['nansum', 'nansum'], ['prod', 'prod'], ['nanprod', 'nanprod'], ['mean', 'mean'],
  ['max', 'max'], ['min', 'min'], ['norm', 'norm'],
  ['round', 'round'], ['rint', 'rint'], ['fix', 'fix'], ['floor', 'floor'], ['ceil', 'ceil'], ['trunc', 'trunc'],
  ['sin', 'sin'], ['cos', 'cos'], ['tan', 'tan'], ['arcsin', 'arcsin'], ['arccos', 'arccos'], ['arctan', 'arctan'],
  ['degrees', 'degrees'], ['radians', 'radians'], ['sinh', 'sinh'], ['cosh', 'cosh'], ['tanh', 'tanh'],
  ['arcsinh', 'arcsinh'], ['arccosh', 'arccosh'], ['arctanh', 'arctanh'],
  ['exp', 'exp'], ['expm1', 'expm1'], ['log', 'log'], ['log10', 'log10'], ['log2', 'log2'], ['log1p', 'log1p'],
  ['sqrt', 'sqrt'], ['rsqrt', 'rsqrt'], ['cbrt', 'cbrt'], ['rcbrt', 'rcbrt'], ['square', 'square'],
  ['reciprocal', 'reciprocal'], ['relu', 'relu'], ['sigmoid', 'sigmoid'], ['softmax', 'softmax'],
  ['log_softmax', 'log_softmax'], ['softmin', 'softmin'],
] as const;

/** Methods whose op returns several outputs (an NDArray list; a grouped Symbol). */
export const MULTI_OUTPUT_FLUENT = new Set<string>(['split']);

export type FluentSnakeName = (typeof FLUENT_METHODS)[number][0];

export type CamelCase<S extends string> = S extends `${infer Head}_${infer Rest}` ? `${Head}${Capitalize<CamelCase<Rest>>}` : S;

export type FluentName = FluentSnakeName | CamelCase<FluentSnakeName>;

/** Further inputs positionally (`x.take(indices)`), then one trailing object of the op's parameters. */
export type FluentArg<T> = T | readonly T[] | Readonly<Record<string, unknown>>;

/** One method per fluent name; `Multi` is what multi-output methods return. */
export type FluentMethods<T, Multi, Excluded extends string = never> = {
  [K in Exclude<FluentName, Excluded>]: (...args: FluentArg<T>[]) => K extends 'split' ? Multi : T;
};

export function camelCase(snake: string): string {
  return snake.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/**
 * Defines every fluent method on a class prototype, under both names, calling `apply(opName,
 * [receiver, ...args])`. Names listed in `skip` keep the class's own method.
 */
export function installFluent(proto: object, apply: (method: string, opName: string, args: unknown[]) => unknown, skip: readonly string[] = []): void {
  for (const [snake, opName] of FLUENT_METHODS) {
    for (const name of new Set([snake, camelCase(snake)])) {
      if (skip.includes(name)) continue;
      Object.defineProperty(proto, name, {
        value: function (this: unknown, ...args: unknown[]) {
          return apply(snake, opName, [this, ...args]);
        },
        writable: true,
        configurable: true,
        enumerable: false,
      });
    }
  }
}

/** Options of MXNet's `split_v2(ary, indices_or_sections, axis=0, squeeze_axis=False)`. */
export interface SplitV2Options {
  axis?: number;
  squeezeAxis?: boolean;
}

/** symbol.py / ndarray.py `split_v2`: a section count, or split points (prefixed by 0), as `_split_v2` params. */
export function splitV2Params(indicesOrSections: number | readonly number[], options: SplitV2Options = {}): Record<string, unknown> {
  const sections = typeof indicesOrSections === 'number' ? indicesOrSections : 0;
  const points = typeof indicesOrSections === 'number' ? [] : [0, ...indicesOrSections];
  // MXNet passes a Python list, so the attribute reads `[0, 2, 3]` (and `[]`), not a tuple.
  const indices = `[${points.join(', ')}]`;
  return { indices, axis: options.axis ?? 0, squeeze_axis: options.squeezeAxis ?? false, sections };
}
